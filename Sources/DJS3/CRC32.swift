import Foundation

/// CRC-32 (IEEE 802.3, zlib's `crc32`), for the `x-amz-checksum-crc32` header.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var c = UInt32(index)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// Base64 of the big-endian checksum, as S3 expects.
    static func base64(_ bytes: some Sequence<UInt8>) -> String {
        let value = checksum(bytes)
        let raw = [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
        return Data(raw).base64EncodedString()
    }
}
