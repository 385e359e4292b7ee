import Crypto
import DJCollect
import DJSettings
import DJStaticFiles
import Foundation

/// One object exactly as django-storages' `S3Storage._save` would write it: key, stored bytes
/// (gzipped when the storage says so) and headers. The bytes stay in a file (the staged file, or
/// its gzipped copy beside the staging tree): memory does not grow with the size of the tree.
public struct PreparedObject: Sendable {
    public var name: String
    public var key: String
    /// The file holding the object's bytes.
    public var file: String
    public var size: Int
    /// PutObject headers, in order (object parameters, ACL, Content-Type, Content-Encoding).
    public var headers: [(name: String, value: String)]
    /// Bodies of at least this size go up in parts of `partSize` (boto3's TransferConfig).
    public var multipartThreshold: Int
    public var partSize: Int
    /// The ETag S3 gives the stored object: the MD5 of the body, or for a multipart upload the MD5
    /// of the parts' MD5s with "-<parts>".
    public let eTag: String

    /// Reads `file` once, in bounded chunks, for its size and ETag.
    public init(name: String, key: String, file: String, headers: [(name: String, value: String)],
                multipartThreshold: Int, partSize: Int) throws {
        self.name = name
        self.key = key
        self.file = file
        self.headers = headers
        self.multipartThreshold = multipartThreshold
        self.partSize = partSize
        var parts: [Data] = []
        var whole = Insecure.MD5()
        var part = Insecure.MD5()
        var inPart = 0
        let size = try SafeIO.stream(file) { chunk in
            whole.update(bufferPointer: chunk)
            var offset = 0
            while offset < chunk.count {  // a part boundary may fall inside a chunk
                let take = partSize > 0 ? min(chunk.count - offset, partSize - inPart) : chunk.count - offset
                part.update(bufferPointer: UnsafeRawBufferPointer(rebasing: chunk[offset..<offset + take]))
                inPart += take
                offset += take
                if inPart == partSize {
                    parts.append(Data(part.finalize()))
                    part = Insecure.MD5()
                    inPart = 0
                }
            }
        }
        if inPart > 0 || parts.isEmpty { parts.append(Data(part.finalize())) }
        self.size = size
        if size >= multipartThreshold && partSize > 0 {
            eTag = "\"" + Insecure.MD5.hash(data: parts.reduce(Data(), +)).hex + "-\(parts.count)\""
        } else {
            eTag = "\"" + whole.finalize().hex + "\""
        }
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

    /// `_get_write_parameters` + the gzip decision of `_save`, for the staged `file`. `guessed` is
    /// `mimetypes.guess_type(key)` in the project's interpreter; `headers` the storage's serialised
    /// object parameters and ACL. A gzipped body is written to `gzipped` (a new file).
    public func prepare(name: String, key: String, file: String, gzipped: String, guessed: (type: String?, encoding: String?),
                        headers base: [[String]]) throws -> PreparedObject {
        var headers = base.compactMap { $0.count == 2 ? (name: $0[0], value: $0[1]) : nil }
        func has(_ header: String) -> Bool { headers.contains { $0.name.lowercased() == header } }
        if !has("content-type") {
            headers.append(("Content-Type", guessed.type ?? "application/octet-stream"))
            if let encoding = guessed.encoding { headers.append(("Content-Encoding", encoding)) }
        }
        var body = file
        let contentType = headers.first { $0.name.lowercased() == "content-type" }?.value ?? ""
        if target.gzip && target.gzipContentTypes.contains(contentType) && !has("content-encoding") {
            try FileManager.default.createDirectory(atPath: (gzipped as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            _ = try PythonGzip.compressobj(file: file, into: gzipped)
            body = gzipped
            headers.append(("Content-Encoding", "gzip"))
        }
        return try PreparedObject(name: name, key: key, file: body, headers: headers,
                                  multipartThreshold: target.multipartThreshold, partSize: target.multipartChunkSize)
    }
}
