import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import PythonStdlib

/// One object in a listing.
public struct S3Object: Sendable, Equatable {
    public let key: String
    public let size: Int
    /// As S3 returns it, quotes included (`"d41d8cd98f00b204e9800998ecf8427e"`, `"…-2"`).
    public let eTag: String
    public let lastModified: Date
}

/// The metadata HEAD/GET return.
public struct S3ObjectHead: Sendable {
    public let contentLength: Int
    public let eTag: String
    public let lastModified: Date?
    /// All response headers, names lower-cased (`content-type`, `cache-control`,
    /// `content-encoding`, `x-amz-meta-*`, …).
    public let headers: [String: String]
}

/// An S3 client for one bucket over AsyncHTTPClient: SigV4-signed requests with botocore's
/// addressing, retries with exponential backoff and jitter, multipart uploads above the
/// configured threshold.
///
/// Call `shutdown()` when done, or use `S3Client.with(...)`, which always does.
public final class S3Client: Sendable {
    public let endpoint: S3Endpoint
    public let configuration: S3Configuration
    let signer: SigV4Signer
    let httpClient: HTTPClient
    /// Base of the exponential backoff (botocore: 1 s, doubled per attempt, capped at 20 s).
    let retryBaseDelay: Duration

    /// Parallel part uploads per multipart object (boto3 `TransferConfig.max_concurrency`).
    public static let partConcurrency = 10

    public convenience init(configuration: S3Configuration, credentials: S3Credentials) throws {
        try self.init(configuration: configuration, credentials: credentials, retryBaseDelay: .seconds(1))
    }

    init(configuration: S3Configuration, credentials: S3Credentials, retryBaseDelay: Duration) throws {
        self.configuration = configuration
        endpoint = try S3Endpoint(configuration)
        signer = SigV4Signer(credentials: credentials, region: endpoint.signingRegion)
        self.retryBaseDelay = retryBaseDelay
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.redirectConfiguration = .disallow
        httpConfiguration.timeout = .init(connect: .seconds(10), read: Self.timeAmount(configuration.requestTimeout))
        httpConfiguration.connectionPool = .init(idleTimeout: .seconds(60),
                                                 concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
        // A refused connection surfaces at once; `send` retries it with backoff like any other
        // connection error.
        httpConfiguration.connectionPool.retryConnectionEstablishment = false
        httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration)
    }

    /// Runs `body` with a client and shuts the client down afterwards, also when `body` throws.
    public static func with<R: Sendable>(configuration: S3Configuration, credentials: S3Credentials,
                                         _ body: (S3Client) async throws -> R) async throws -> R {
        try await with(configuration: configuration, credentials: credentials, retryBaseDelay: .seconds(1), body)
    }

    static func with<R: Sendable>(configuration: S3Configuration, credentials: S3Credentials, retryBaseDelay: Duration,
                                  _ body: (S3Client) async throws -> R) async throws -> R {
        let client = try S3Client(configuration: configuration, credentials: credentials, retryBaseDelay: retryBaseDelay)
        let result: R
        do {
            result = try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return result
    }

    public func shutdown() async throws {
        try await httpClient.shutdown()
    }

    // MARK: - Operations

    /// All objects under `prefix` (every page of ListObjectsV2), in key order.
    public func listObjects(prefix: String = "") async throws -> [S3Object] {
        var objects: [S3Object] = []
        var token: String?
        repeat {
            var query = [S3RequestTarget.QueryItem("list-type", "2")]
            if !prefix.isEmpty { query.append(.init("prefix", prefix)) }
            if let token { query.append(.init("continuation-token", token)) }
            query.append(.init("encoding-type", "url"))
            let response = try await send("ListObjectsV2", method: .GET, key: nil, query: query)
            guard let root = S3XMLElement.parse(response.body), root.name == "ListBucketResult" else {
                throw S3Error.invalidResponse(operation: "ListObjectsV2", message: "not a ListBucketResult document")
            }
            let urlEncoded = root.text("EncodingType") == "url"
            for entry in root.all("Contents") {
                guard let rawKey = entry.text("Key"), let size = entry.text("Size").flatMap({ Int($0) }),
                      let modified = entry.text("LastModified").flatMap(Self.parseISO8601) else {
                    throw S3Error.invalidResponse(operation: "ListObjectsV2", message: "incomplete Contents entry")
                }
                objects.append(S3Object(key: urlEncoded ? PercentEncoding.unquotePlus(rawKey) : rawKey, size: size,
                                        eTag: entry.text("ETag") ?? "", lastModified: modified))
            }
            token = root.text("IsTruncated") == "true" ? root.text("NextContinuationToken") : nil
        } while token != nil
        return objects
    }

    /// HEAD; nil when the object does not exist (404).
    public func headObject(key: String) async throws -> S3ObjectHead? {
        do {
            let response = try await send("HeadObject", method: .HEAD, key: key)
            return Self.head(response.headers, bodyLength: nil)
        } catch S3Error.service(let error) where error.statusCode == 404 {
            return nil
        }
    }

    /// GET: the object's bytes (as stored: no content decoding) and metadata.
    public func getObject(key: String) async throws -> (body: Data, head: S3ObjectHead) {
        let response = try await send("GetObject", method: .GET, key: key)
        return (response.body, Self.head(response.headers, bodyLength: response.body.count))
    }

    public func deleteObject(key: String) async throws {
        _ = try await send("DeleteObject", method: .DELETE, key: key)
    }

    /// A key DeleteObjects did not delete, with S3's code and message for it.
    public struct DeleteFailure: Sendable, Equatable {
        public let key: String
        public let code: String
        public let message: String
    }

    /// The most keys one DeleteObjects request may name.
    public static let deleteBatchLimit = 1000

    /// DeleteObjects (quiet mode) for at most `deleteBatchLimit` keys: the request as a whole is
    /// retried like any other; the keys S3 reports as not deleted are returned. A missing key counts
    /// as deleted (S3 says so too).
    public func deleteObjects(keys: [String]) async throws -> [DeleteFailure] {
        precondition(keys.count <= Self.deleteBatchLimit, "DeleteObjects takes at most \(Self.deleteBatchLimit) keys")
        guard !keys.isEmpty else { return [] }
        var xml = "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>"
        for key in keys { xml += "<Object><Key>\(S3XMLElement.escape(key))</Key></Object>" }
        xml += "</Delete>"
        let body = Data(xml.utf8)
        // S3 requires a checksum of the body: CRC32 as botocore >= 1.36 sends it, else Content-MD5.
        var headers = checksumHeaders(body)
        if headers.isEmpty { headers = [("Content-MD5", Data(Insecure.MD5.hash(data: body)).base64EncodedString())] }
        headers.append(("Content-Type", "application/xml"))
        let response = try await send("DeleteObjects", method: .POST, key: nil, query: [.init("delete", "")],
                                      headers: headers, body: body)
        guard let root = S3XMLElement.parse(response.body), root.name == "DeleteResult" else {
            throw S3Error.invalidResponse(operation: "DeleteObjects", message: "not a DeleteResult document")
        }
        return root.all("Error").map { error in
            DeleteFailure(key: error.text("Key") ?? "", code: error.text("Code") ?? "", message: error.text("Message") ?? "")
        }
    }

    /// Uploads `body` like boto3's `upload_fileobj`: one PutObject below
    /// `configuration.multipartThreshold`, otherwise a multipart upload in `partSize` parts
    /// (aborted on failure). `headers` are HTTP headers (`Content-Type`, `Cache-Control`,
    /// `Content-Encoding`, `x-amz-acl`, `x-amz-meta-*`, …); multipart parts carry none of them.
    /// - Returns: the ETag S3 reports.
    @discardableResult
    public func putObject(key: String, body: Data, headers: [(name: String, value: String)] = []) async throws
        -> String {
        if body.count >= configuration.multipartThreshold {
            return try await multipartUpload(key: key, size: body.count, headers: headers) { body.subdata(in: $0) }
        }
        return try await putSingle(key: key, body: body, headers: headers)
    }

    /// `putObject` of the bytes of `file`, in bounded memory: below the threshold the file is read
    /// whole (at most the threshold); above it each part is read only when it is sent (at most
    /// `partConcurrency` parts in memory at once).
    @discardableResult
    public func putObject(key: String, file: String, headers: [(name: String, value: String)] = []) async throws
        -> String {
        let size = try Self.size(of: file)
        if size >= configuration.multipartThreshold {
            return try await multipartUpload(key: key, size: size, headers: headers) { try Self.read(file, $0) }
        }
        return try await putSingle(key: key, body: try Self.read(file, 0..<size), headers: headers)
    }

    static func size(of file: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }

    /// The bytes of `file` in `range`.
    static func read(_ file: String, _ range: Range<Int>) throws -> Data {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(range.lowerBound))
        let data = try handle.read(upToCount: range.count) ?? Data()
        guard data.count == range.count else {
            throw S3Error.invalidConfiguration("\(file) changed while it was uploaded (\(data.count) of \(range.count) bytes read)")
        }
        return data
    }

    private func putSingle(key: String, body: Data, headers: [(name: String, value: String)]) async throws -> String {
        var allHeaders = headers
        allHeaders += checksumHeaders(body)
        let response = try await send("PutObject", method: .PUT, key: key, headers: allHeaders, body: body,
                                      isStreamingInput: true)
        return response.headers.first(name: "etag") ?? ""
    }

    /// CreateMultipartUpload; returns the upload id.
    public func createMultipartUpload(key: String, headers: [(name: String, value: String)] = []) async throws
        -> String {
        var allHeaders = headers
        if configuration.sendsCRC32Checksum { allHeaders.append(("x-amz-checksum-algorithm", "CRC32")) }
        let response = try await send("CreateMultipartUpload", method: .POST, key: key,
                                      query: [.init("uploads", "")], headers: allHeaders)
        guard let uploadID = S3XMLElement.parse(response.body)?.text("UploadId") else {
            throw S3Error.invalidResponse(operation: "CreateMultipartUpload", message: "no UploadId")
        }
        return uploadID
    }

    /// One uploaded part, as CompleteMultipartUpload needs it.
    public struct CompletedPart: Sendable {
        public let partNumber: Int
        public let eTag: String
        /// Base64 CRC32 when the upload was created with the CRC32 algorithm.
        public let checksumCRC32: String?
    }

    public func uploadPart(key: String, uploadID: String, partNumber: Int, body: Data) async throws -> CompletedPart {
        let checksum = checksumHeaders(body)
        let response = try await send("UploadPart", method: .PUT, key: key,
                                      query: [.init("partNumber", String(partNumber)), .init("uploadId", uploadID)],
                                      headers: checksum, body: body, isStreamingInput: true)
        guard let eTag = response.headers.first(name: "etag") else {
            throw S3Error.invalidResponse(operation: "UploadPart", message: "no ETag")
        }
        return CompletedPart(partNumber: partNumber, eTag: eTag,
                             checksumCRC32: checksum.first { $0.name == "x-amz-checksum-crc32" }?.value)
    }

    /// CompleteMultipartUpload; returns the object's ETag.
    @discardableResult
    public func completeMultipartUpload(key: String, uploadID: String, parts: [CompletedPart]) async throws -> String {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts.sorted(by: { $0.partNumber < $1.partNumber }) {
            xml += "<Part><ETag>\(S3XMLElement.escape(part.eTag))</ETag><PartNumber>\(part.partNumber)</PartNumber>"
            if let crc = part.checksumCRC32 { xml += "<ChecksumCRC32>\(crc)</ChecksumCRC32>" }
            xml += "</Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let response = try await send("CompleteMultipartUpload", method: .POST, key: key,
                                      query: [.init("uploadId", uploadID)], body: Data(xml.utf8))
        guard let eTag = S3XMLElement.parse(response.body)?.text("ETag") else {
            throw S3Error.invalidResponse(operation: "CompleteMultipartUpload", message: "no ETag")
        }
        return eTag
    }

    public func abortMultipartUpload(key: String, uploadID: String) async throws {
        _ = try await send("AbortMultipartUpload", method: .DELETE, key: key, query: [.init("uploadId", uploadID)])
    }

    /// CreateBucket (with a LocationConstraint outside us-east-1); for test set-up.
    func createBucket() async throws {
        var body = Data()
        if endpoint.signingRegion != "us-east-1" {
            body = Data(("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<LocationConstraint>\(endpoint.signingRegion)</LocationConstraint></CreateBucketConfiguration>").utf8)
        }
        _ = try await send("CreateBucket", method: .PUT, key: nil, body: body)
    }

    /// `part` gives the bytes of a range of the body; it is called when that part is sent.
    private func multipartUpload(key: String, size: Int, headers: [(name: String, value: String)],
                                 part: @escaping @Sendable (Range<Int>) throws -> Data) async throws -> String {
        let uploadID = try await createMultipartUpload(key: key, headers: headers)
        let partSize = configuration.partSize
        let ranges = stride(from: 0, to: size, by: partSize).map { $0..<min($0 + partSize, size) }
        do {
            let parts = try await withThrowingTaskGroup(of: CompletedPart.self) { group in
                var parts: [CompletedPart] = []
                for (index, range) in ranges.enumerated() {
                    if index >= Self.partConcurrency, let done = try await group.next() { parts.append(done) }
                    group.addTask { try await self.uploadPart(key: key, uploadID: uploadID, partNumber: index + 1,
                                                              body: try part(range)) }
                }
                for try await done in group { parts.append(done) }
                return parts
            }
            return try await completeMultipartUpload(key: key, uploadID: uploadID, parts: parts)
        } catch {
            try? await abortMultipartUpload(key: key, uploadID: uploadID)
            throw error
        }
    }

    private func checksumHeaders(_ body: Data) -> [(name: String, value: String)] {
        guard configuration.sendsCRC32Checksum else { return [] }
        return [("x-amz-checksum-crc32", CRC32.base64(body)), ("x-amz-sdk-checksum-algorithm", "CRC32")]
    }

    // MARK: - Transport

    struct Response {
        let status: Int
        let headers: HTTPHeaders
        let body: Data
    }

    /// Signs and sends one request, retrying retryable failures; throws `S3Error`.
    func send(_ operation: String, method: HTTPMethod, key: String?, query: [S3RequestTarget.QueryItem] = [],
              headers: [(name: String, value: String)] = [], body: Data = Data(),
              isStreamingInput: Bool = false) async throws -> Response {
        let target = endpoint.target(key: key, query: query)
        let payloadHash = SigV4Signer.payloadHash(
            body: body, isHTTPS: target.scheme == "https", headers: headers,
            checksumHeader: configuration.sendsCRC32Checksum ? "x-amz-checksum-crc32" : "Content-MD5",
            isStreamingInput: isStreamingInput)
        let url = target.url
        var attempt = 1
        while true {
            let failure: S3Error
            do {
                let response = try await execute(method: method, url: url, target: target, headers: headers,
                                                  body: body, payloadHash: payloadHash)
                if let error = Self.serviceError(operation, response) {
                    guard error.isRetryable else { throw S3Error.service(error) }
                    failure = .service(error)
                } else {
                    return response
                }
            } catch let error as S3Error {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = .transport(operation: operation, message: String(describing: error))
            }
            guard attempt < configuration.maxAttempts, !Task.isCancelled else { throw failure }
            try await Task.sleep(for: backoff(attempt: attempt))
            attempt += 1
        }
    }

    private func execute(method: HTTPMethod, url: String, target: S3RequestTarget,
                         headers: [(name: String, value: String)], body: Data, payloadHash: String) async throws
        -> Response {
        let signature = signer.sign(method: method.rawValue, target: target,
                                    headers: headers + [("Host", target.hostHeader)],
                                    payloadHash: payloadHash, date: Date())
        var request = HTTPClientRequest(url: url)
        request.method = method
        for header in signature.headers { request.headers.add(name: header.name, value: header.value) }
        if !body.isEmpty || method == .PUT || method == .POST {
            request.body = .bytes(body)  // turned into ByteBuffers ~4 MB at a time, as it is sent
        }
        let response = try await httpClient.execute(request, timeout: Self.timeAmount(configuration.requestTimeout))
        let buffer = try await response.body.collect(upTo: Int.max)
        let data = Data(buffer.readableBytesView)
        return Response(status: Int(response.status.code), headers: response.headers, body: data)
    }

    /// Full jitter: a random delay up to base * 2^(attempt-1), capped at 20 s.
    func backoff(attempt: Int) -> Duration {
        let cap = min(retryBaseDelay * (1 << min(attempt - 1, 16)), .seconds(20))
        return cap * Double.random(in: 0...1)
    }

    /// nil for a 2xx answer that is not an embedded error (CompleteMultipartUpload can answer 200
    /// with an `<Error>` body).
    static func serviceError(_ operation: String, _ response: Response) -> S3ServiceError? {
        let root = response.body.isEmpty ? nil : S3XMLElement.parse(response.body)
        if (200..<300).contains(response.status), root?.name != "Error" { return nil }
        let reason = HTTPResponseStatus(statusCode: response.status).reasonPhrase
        return S3ServiceError(operation: operation, statusCode: response.status,
                              code: root?.text("Code") ?? String(response.status),
                              message: root?.text("Message") ?? reason,
                              requestID: root?.text("RequestId") ?? response.headers.first(name: "x-amz-request-id"))
    }

    static func head(_ headers: HTTPHeaders, bodyLength: Int?) -> S3ObjectHead {
        var map: [String: String] = [:]
        for header in headers { map[header.name.lowercased()] = header.value }
        return S3ObjectHead(contentLength: map["content-length"].flatMap { Int($0) } ?? bodyLength ?? 0,
                            eTag: map["etag"] ?? "", lastModified: map["last-modified"].flatMap(parseHTTPDate),
                            headers: map)
    }

    static func parseISO8601(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// Runs `body` for every item with at most `maxConcurrency` running at once; the first error
/// cancels the rest and is rethrown.
public func forEachConcurrently<Element: Sendable>(
    _ items: some Sequence<Element>, maxConcurrency: Int,
    _ body: @escaping @Sendable (Element) async throws -> Void
) async throws {
    precondition(maxConcurrency > 0, "maxConcurrency must be positive")
    try await withThrowingTaskGroup(of: Void.self) { group in
        var running = 0
        for item in items {
            if running >= maxConcurrency {
                try await group.next()
                running -= 1
            }
            group.addTask { try await body(item) }
            running += 1
        }
        try await group.waitForAll()
    }
}
