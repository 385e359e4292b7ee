import Crypto
import Foundation

/// AWS Signature Version 4 for S3 in header form, as botocore's `S3SigV4Auth` computes it.
///
/// S3 differences from generic SigV4: the path is signed exactly as sent (no normalisation, no
/// second encoding) and `X-Amz-Content-SHA256` always carries the payload hash (or
/// `UNSIGNED-PAYLOAD`) and is signed.
public struct SigV4Signer: Sendable {
    /// The hash of an empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// Headers botocore never signs (hop-by-hop and tracing headers, User-Agent).
    static let unsignedHeaders: Set<String> = [
        "baggage", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "traceparent", "tracestate", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    public let credentials: S3Credentials
    public let region: String
    public let service: String

    public init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The three intermediate products and the headers to send.
    public struct Signature: Sendable {
        public let canonicalRequest: String
        public let stringToSign: String
        public let authorization: String
        /// The request's headers followed by `X-Amz-Date`, `X-Amz-Security-Token` (with a session
        /// token), `X-Amz-Content-SHA256` and `Authorization`, in that order.
        public let headers: [(name: String, value: String)]
    }

    /// Signs `target` with the given headers (the signer adds host when absent, the date, token and
    /// payload-hash headers). `payloadHash` comes from `payloadHash(body:url:...)`.
    public func sign(method: String, target: S3RequestTarget, headers: [(name: String, value: String)],
                     payloadHash: String, date: Date) -> Signature {
        let timestamp = Self.timestamp(date)
        var finalHeaders = headers.filter { header in
            let lower = header.name.lowercased()
            return !["authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"].contains(lower)
        }
        finalHeaders.append(("X-Amz-Date", timestamp))
        if let token = credentials.sessionToken { finalHeaders.append(("X-Amz-Security-Token", token)) }
        finalHeaders.append(("X-Amz-Content-SHA256", payloadHash))

        // Lower-cased name -> values in order (repeated headers are joined with ",").
        var signed: [String: [String]] = [:]
        for header in finalHeaders {
            let lower = header.name.lowercased()
            if !Self.unsignedHeaders.contains(lower) { signed[lower, default: []].append(header.value) }
        }
        if signed["host"] == nil { signed["host"] = [target.hostHeader] }
        let names = signed.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let canonicalHeaders = names.map { name in
            name + ":" + signed[name]!.map(Self.trimAll).joined(separator: ",")
        }.joined(separator: "\n")
        let signedHeaders = names.joined(separator: ";")

        let canonicalRequest = [
            method.uppercased(), target.path, target.canonicalQuery, canonicalHeaders + "\n", signedHeaders, payloadHash,
        ].joined(separator: "\n")
        let day = String(timestamp.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", timestamp, scope, Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(
            for: Data(stringToSign.utf8), using: signingKey(day: day)))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        finalHeaders.append(("Authorization", authorization))
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign,
                         authorization: authorization, headers: finalHeaders)
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request").
    func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// The value for `X-Amz-Content-SHA256`, decided as `S3SigV4Auth._should_sha256_sign_payload`
    /// does with default configuration: the body is hashed over plain HTTP, or when the request
    /// carries no checksum header (`Content-MD5`, or the named flexible-checksum header), or when
    /// the body is not streaming input; otherwise (HTTPS + checksum + streaming body, i.e.
    /// PutObject/UploadPart) the payload is `UNSIGNED-PAYLOAD`.
    public static func payloadHash(body: some DataProtocol, isHTTPS: Bool, headers: [(name: String, value: String)],
                                   checksumHeader: String = "Content-MD5", isStreamingInput: Bool) -> String {
        let hasChecksum = headers.contains { $0.name.caseInsensitiveCompare(checksumHeader) == .orderedSame }
        if isHTTPS && hasChecksum && isStreamingInput { return unsignedPayload }
        return body.isEmpty ? emptyPayloadHash : hex(SHA256.hash(data: body))
    }

    /// `YYYYMMDDTHHMMSSZ` in UTC.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String { let v = v ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year ?? 0)\(two(c.month))\(two(c.day))T\(two(c.hour))\(two(c.minute))\(two(c.second))Z"
    }

    /// Python's `' '.join(value.split())`.
    static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
