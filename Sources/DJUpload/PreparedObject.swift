import CompressNIO
import Crypto
import DJSettings
import Foundation
import NIOCore

/// One object exactly as django-storages' `S3Storage._save` would write it: key, stored bytes
/// (gzipped when the storage says so) and headers.
public struct PreparedObject: Sendable {
    public var name: String
    public var key: String
    public var body: Data
    /// PutObject headers, in order (object parameters, ACL, Content-Type, Content-Encoding).
    public var headers: [(name: String, value: String)]
    /// Bodies of at least this size go up in parts of `partSize` (boto3's TransferConfig).
    public var multipartThreshold: Int
    public var partSize: Int

    /// The ETag S3 gives the stored object: the MD5 of the body, or for a multipart upload the MD5
    /// of the parts' MD5s with "-<parts>".
    public var eTag: String {
        guard body.count >= multipartThreshold, partSize > 0 else {
            return "\"" + Insecure.MD5.hash(data: body).hex + "\""
        }
        var digests = Data()
        var parts = 0
        var offset = 0
        repeat {
            let end = min(offset + partSize, body.count)
            digests.append(contentsOf: Insecure.MD5.hash(data: body[offset..<end]))
            parts += 1
            offset = end
        } while offset < body.count
        return "\"" + Insecure.MD5.hash(data: digests).hex + "-\(parts)\""
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

extension Digest {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

/// Builds `PreparedObject`s the way `S3Storage._save` does.
public struct ObjectPreparer: Sendable {
    public var target: CollectDescription.S3Target

    public init(target: CollectDescription.S3Target) { self.target = target }

    /// `_get_write_parameters` + the gzip decision of `_save`. `guessed` is
    /// `mimetypes.guess_type(key)` in the project's interpreter; `headers` the storage's serialised
    /// object parameters and ACL.
    public func prepare(name: String, key: String, contents: Data, guessed: (type: String?, encoding: String?),
                        headers base: [[String]]) throws -> PreparedObject {
        var headers = base.compactMap { $0.count == 2 ? (name: $0[0], value: $0[1]) : nil }
        func has(_ header: String) -> Bool { headers.contains { $0.name.lowercased() == header } }
        if !has("content-type") {
            headers.append(("Content-Type", guessed.type ?? "application/octet-stream"))
            if let encoding = guessed.encoding { headers.append(("Content-Encoding", encoding)) }
        }
        var body = contents
        let contentType = headers.first { $0.name.lowercased() == "content-type" }?.value ?? ""
        if target.gzip && target.gzipContentTypes.contains(contentType) && !has("content-encoding") {
            body = try Self.gzip(contents)
            headers.append(("Content-Encoding", "gzip"))
        }
        return PreparedObject(name: name, key: key, body: body, headers: headers,
                              multipartThreshold: target.multipartThreshold, partSize: target.multipartChunkSize)
    }

    /// django-storages' `GzipCompressionWrapper`: `zlib.compressobj(level=9, wbits=31)` (a gzip
    /// stream with no name and mtime 0, default memory level and strategy).
    public static func gzip(_ data: Data) throws -> Data {
        var input = ByteBuffer(bytes: data)
        let configuration = ZlibConfiguration(windowSize: .window128k, compressionLevel: .bestCompression,
                                              memoryLevel: .memory128K, strategy: .default)
        var output = try input.compress(with: .gzip(configuration: configuration))
        return Data(output.readBytes(length: output.readableBytes) ?? [])
    }
}
