import Crypto
import DJStaticFiles

/// Digests of whole files in bounded memory (the hashed names' MD5, WhiteNoise's SHA-256 cache keys).
extension SafeIO {
    /// The MD5 digest of a file's bytes, read in bounded chunks.
    public static func md5(_ path: String) throws(CollectError) -> [UInt8] {
        var hasher = Insecure.MD5()
        _ = try stream(path) { hasher.update(bufferPointer: $0) }
        return Array(hasher.finalize())
    }

    /// The SHA-256 digest (lower-case hex) and size of a file's bytes, read in bounded chunks.
    static func sha256(_ path: String) throws(CollectError) -> (hex: String, size: Int) {
        var hasher = SHA256()
        let size = try stream(path) { hasher.update(bufferPointer: $0) }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), size)
    }
}
