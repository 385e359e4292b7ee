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

/// A bucket's name, endpoint URL or region that botocore refuses.
public struct S3AddressError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Where one bucket lives, as botocore's S3 endpoint rules derive it from django-storages'
/// `bucket_name`, `region_name`, `endpoint_url`, `addressing_style` and `use_ssl` (no FIPS,
/// dual-stack, accelerate, access points or S3 Express): the one definition of the S3 host, used
/// by the S3 client (DJS3), the rules (DJRules) and the collect description (DJPython).
public struct S3Address: Sendable, Equatable {
    public let bucket: String
    /// What botocore reports as `client.meta.endpoint_url`.
    public let endpointURL: String
    /// The region used in the signature scope.
    public let signingRegion: String
    public let scheme: String
    /// The endpoint's host without the bucket, as written (case kept, IPv6 in brackets).
    public let host: String
    /// Explicit port from the endpoint URL, if any.
    public let port: Int?
    /// Path of a custom endpoint, always ending in `/`.
    public let basePath: String
    /// The bucket is the first label of the host rather than the first path segment.
    public let virtualHosted: Bool

    /// - Parameters:
    ///   - region: nil or empty: botocore's default (`us-east-1`, the global `s3.amazonaws.com`).
    ///   - endpointURL: a custom endpoint with scheme (`https://minio.example.com:9000`); overrides `useSSL`.
    public init(bucket: String, region: String?, endpointURL: String?, addressingStyle: S3AddressingStyle,
                useSSL: Bool) throws(S3AddressError) {
        guard !bucket.isEmpty, bucket.count <= 255,
              bucket.unicodeScalars.allSatisfy({ $0.isASCII && (Self.isAlphanumeric($0) || ".-_".unicodeScalars.contains($0)) })
        else {
            throw S3AddressError(message:
                "Invalid bucket name \"\(bucket)\": Bucket name must match the regex \"^[a-zA-Z0-9.\\-_]{1,255}$\"")
        }
        self.bucket = bucket
        let region = region.flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
        signingRegion = region == "aws-global" ? "us-east-1" : region

        if let custom = endpointURL {
            guard let parsed = Self.parse(custom) else { throw S3AddressError(message: "Invalid endpoint: \(custom)") }
            self.endpointURL = custom
            scheme = parsed.scheme
            host = parsed.host
            port = parsed.port
            basePath = parsed.path.hasSuffix("/") ? parsed.path : parsed.path + "/"
            let isIP = host.hasPrefix("[") || Self.isIPv4(host)
            virtualHosted = addressingStyle == .virtual && !isIP && Self.isVirtualHostable(bucket, allowDots: scheme == "http")
        } else {
            scheme = useSSL ? "https" : "http"
            host = Self.awsHost(region: region)
            port = nil
            basePath = "/"
            self.endpointURL = "\(scheme)://\(host)"
            virtualHosted = addressingStyle != .path && Self.isVirtualHostable(bucket, allowDots: false)
        }
    }

    /// The host and percent-encoded path of an object (`key`) or of the bucket itself (`key == nil`).
    public func resource(key: String?) -> (host: String, path: String) {
        let encodedKey = key.map { PercentEncoding.quote($0, safe: "/~") }
        if virtualHosted { return ("\(bucket).\(host)", basePath + (encodedKey ?? "")) }
        let bucketPath = basePath + PercentEncoding.quote(bucket, safe: "")
        return (host, bucketPath + (encodedKey.map { "/" + $0 } ?? ""))
    }

    /// The URL of an object (`key`) or of the bucket itself, without query.
    public func url(key: String?) -> String {
        let (host, path) = resource(key: key)
        return "\(scheme)://\(port.map { "\(host):\($0)" } ?? host)\(path)"
    }

    /// botocore's endpoint on Amazon's own S3 for a region: the global `s3.amazonaws.com` for
    /// `us-east-1` (and `aws-global`), `s3.<region>.amazonaws.com` (`.com.cn` in China) otherwise.
    public static func awsHost(region: String?) -> String {
        guard let region, !region.isEmpty, region != "us-east-1", region != "aws-global" else { return "s3.amazonaws.com" }
        return "s3.\(region)." + (region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com")
    }

    /// A host of Amazon's own S3 (or another AWS service): `amazonaws.com` or a name below it.
    public static func isAWSHost(_ host: String) -> Bool {
        let host = host.lowercased()
        return host == "amazonaws.com" || host.hasSuffix(".amazonaws.com") || host.hasSuffix(".amazonaws.com.cn")
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

    /// `scheme://host[:port][/path]` with scheme http or https, as botocore's `parseURL` accepts it.
    private static func parse(_ url: String) -> (scheme: String, host: String, port: Int?, path: String)? {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
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
