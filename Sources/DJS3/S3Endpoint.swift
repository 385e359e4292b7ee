import Foundation
import PythonStdlib

/// botocore's `addressing_style` (`Config(s3={"addressing_style": ...})`).
public enum S3AddressingStyle: String, Sendable, CaseIterable {
    /// Virtual-hosted when the bucket name allows it (AWS only; custom endpoints get path style).
    case auto
    /// `https://host/<bucket>/<key>`.
    case path
    /// `https://<bucket>.host/<key>` when the bucket name allows it.
    case virtual
}

/// Where and how to reach one bucket: django-storages' `bucket_name`, `region_name`,
/// `endpoint_url`, `addressing_style` and `use_ssl`, plus transfer settings.
public struct S3Configuration: Sendable {
    public var bucket: String
    /// nil: botocore's default (`us-east-1`, the global `s3.amazonaws.com` endpoint).
    public var region: String?
    /// A custom endpoint with scheme (`https://minio.example.com`); overrides `useSSL`.
    public var endpointURL: String?
    public var addressingStyle: S3AddressingStyle
    public var useSSL: Bool
    /// Bodies of at least this many bytes are sent as multipart uploads (boto3 `TransferConfig`:
    /// 8 MiB).
    public var multipartThreshold: Int
    /// Part size for multipart uploads (boto3: 8 MiB).
    public var partSize: Int
    /// Attempts per request, the first included (botocore's standard retry mode: 3).
    public var maxAttempts: Int
    /// Per-request timeout (connect + response).
    public var requestTimeout: Duration
    /// Send a CRC32 flexible checksum with uploads as botocore >= 1.36 does by default
    /// (`request_checksum_calculation=when_supported`); false sends none (`when_required`).
    public var sendsCRC32Checksum: Bool

    public init(bucket: String, region: String? = nil, endpointURL: String? = nil,
                addressingStyle: S3AddressingStyle = .auto, useSSL: Bool = true,
                multipartThreshold: Int = 8 * 1024 * 1024, partSize: Int = 8 * 1024 * 1024,
                maxAttempts: Int = 3, requestTimeout: Duration = .seconds(60), sendsCRC32Checksum: Bool = true) {
        self.bucket = bucket
        self.region = region
        self.endpointURL = endpointURL
        self.addressingStyle = addressingStyle
        self.useSSL = useSSL
        self.multipartThreshold = multipartThreshold
        self.partSize = partSize
        self.maxAttempts = maxAttempts
        self.requestTimeout = requestTimeout
        self.sendsCRC32Checksum = sendsCRC32Checksum
    }
}

/// The URL of one request, split the way signing needs it.
public struct S3RequestTarget: Sendable, Equatable {
    public let scheme: String
    /// Host as it appears in the URL (case kept, IPv6 in brackets).
    public let host: String
    /// Explicit port from the endpoint URL, if any.
    public let port: Int?
    /// The percent-encoded path, exactly as sent and signed.
    public let path: String
    /// Query parameters, unencoded, in the order they are sent.
    public let query: [QueryItem]

    public struct QueryItem: Sendable, Equatable {
        public let name: String
        public let value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The full URL (query values encoded as botocore's `percent_encode_sequence`; an empty value
    /// is written as a bare name, as in `?uploads`).
    public var url: String {
        let authority = port.map { "\(host):\($0)" } ?? host
        let queryString = query.map { item in
            let name = PercentEncoding.quote(item.name, safe: "")
            return item.value.isEmpty ? name : name + "=" + PercentEncoding.quote(item.value, safe: "")
        }.joined(separator: "&")
        return "\(scheme)://\(authority)\(path)" + (queryString.isEmpty ? "" : "?" + queryString)
    }

    /// The Host header: lower-cased, port only when it is not the scheme's default.
    public var hostHeader: String {
        let lower = host.lowercased()
        guard let port, port != (scheme == "https" ? 443 : 80) else { return lower }
        return "\(lower):\(port)"
    }

    /// Sorted `name=value` pairs, each side encoded with `-_.~` safe.
    var canonicalQuery: String {
        query.map { (PercentEncoding.quote($0.name, safe: ""), PercentEncoding.quote($0.value, safe: "")) }
            .sorted { a, b in
                a.0 == b.0 ? Array(a.1.utf8).lexicographicallyPrecedes(Array(b.1.utf8))
                    : Array(a.0.utf8).lexicographicallyPrecedes(Array(b.0.utf8))
            }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }
}

/// Endpoint resolution for one bucket as botocore's S3 endpoint rules do it (no FIPS, dual-stack,
/// accelerate, access points or S3 Express).
public struct S3Endpoint: Sendable {
    public let configuration: S3Configuration
    /// What botocore reports as `client.meta.endpoint_url`.
    public let endpointURL: String
    /// The region used in the signature scope.
    public let signingRegion: String

    private let scheme: String
    private let host: String
    private let port: Int?
    /// Path of a custom endpoint, always ending in `/`.
    private let basePath: String
    private let virtualHosted: Bool

    public init(_ configuration: S3Configuration) throws {
        self.configuration = configuration
        let bucket = configuration.bucket
        guard !bucket.isEmpty, bucket.count <= 255,
              bucket.unicodeScalars.allSatisfy({ $0.isASCII && (Self.isAlphanumeric($0) || ".-_".unicodeScalars.contains($0)) })
        else {
            throw S3Error.invalidConfiguration(
                "Invalid bucket name \"\(bucket)\": Bucket name must match the regex \"^[a-zA-Z0-9.\\-_]{1,255}$\"")
        }
        let region = configuration.region.flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
        signingRegion = region == "aws-global" ? "us-east-1" : region

        if let custom = configuration.endpointURL {
            guard let parsed = Self.parse(custom) else {
                throw S3Error.invalidConfiguration("Invalid endpoint: \(custom)")
            }
            endpointURL = custom
            scheme = parsed.scheme
            host = parsed.host
            port = parsed.port
            basePath = parsed.path.hasSuffix("/") ? parsed.path : parsed.path + "/"
            let isIP = host.hasPrefix("[") || Self.isIPv4(host)
            virtualHosted = configuration.addressingStyle == .virtual && !isIP
                && Self.isVirtualHostable(bucket, allowDots: scheme == "http")
        } else {
            scheme = configuration.useSSL ? "https" : "http"
            if region == "us-east-1" || region == "aws-global" {
                host = "s3.amazonaws.com"
            } else {
                host = "s3.\(region)." + (region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com")
            }
            port = nil
            basePath = "/"
            endpointURL = "\(scheme)://\(host)"
            virtualHosted = configuration.addressingStyle != .path && Self.isVirtualHostable(bucket, allowDots: false)
        }
    }

    /// The request URL for an object (`key`) or for the bucket itself (`key == nil`).
    public func target(key: String?, query: [S3RequestTarget.QueryItem] = []) -> S3RequestTarget {
        let encodedKey = key.map { PercentEncoding.quote($0, safe: "/~") }
        if virtualHosted {
            return S3RequestTarget(scheme: scheme, host: "\(configuration.bucket).\(host)", port: port,
                                   path: basePath + (encodedKey ?? ""), query: query)
        }
        let bucketPath = basePath + PercentEncoding.quote(configuration.bucket, safe: "")
        return S3RequestTarget(scheme: scheme, host: host, port: port,
                               path: bucketPath + (encodedKey.map { "/" + $0 } ?? ""), query: query)
    }

    /// `aws.isVirtualHostableS3Bucket`: 3+ characters, lower case, not an IPv4 address, and
    /// each label (or the whole name, when dots are not allowed) a valid RFC 1123 host label.
    static func isVirtualHostable(_ bucket: String, allowDots: Bool) -> Bool {
        guard bucket.count >= 3, bucket.lowercased() == bucket, !isIPv4(bucket) else { return false }
        if !allowDots && bucket.contains(".") { return false }
        return bucket.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { $0.isASCII && (isAlphanumeric($0) || $0 == "-") }
        }
    }

    static func isIPv4(_ value: String) -> Bool {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { (1...3).contains($0.count) && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        (0x61...0x7A).contains(scalar.value) || (0x41...0x5A).contains(scalar.value) || (0x30...0x39).contains(scalar.value)
    }

    /// `scheme://host[:port][/path]` with scheme http or https.
    private static func parse(_ url: String) -> (scheme: String, host: String, port: Int?, path: String)? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let pathStart = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<pathStart]
        var path = String(rest[pathStart...].prefix { $0 != "?" && $0 != "#" })
        if path.isEmpty { path = "/" }
        var host = Substring(authority)
        var port: Int?
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { port = Int(after.dropFirst()) }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            guard let value = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = value
        }
        guard !host.isEmpty else { return nil }
        return (scheme, String(host), port, path)
    }
}
