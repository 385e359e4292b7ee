import Foundation
import PythonStdlib
import S3Addressing

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

/// Endpoint resolution for one bucket: the configuration's `S3Address` (botocore's S3 endpoint
/// rules), and the request URLs built on it.
public struct S3Endpoint: Sendable {
    public let configuration: S3Configuration
    public let address: S3Address
    /// What botocore reports as `client.meta.endpoint_url`.
    public var endpointURL: String { address.endpointURL }
    /// The region used in the signature scope.
    public var signingRegion: String { address.signingRegion }

    public init(_ configuration: S3Configuration) throws {
        self.configuration = configuration
        do {
            address = try S3Address(bucket: configuration.bucket, region: configuration.region,
                                    endpointURL: configuration.endpointURL,
                                    addressingStyle: configuration.addressingStyle, useSSL: configuration.useSSL)
        } catch {
            throw S3Error.invalidConfiguration(error.message)
        }
    }

    /// The request URL for an object (`key`) or for the bucket itself (`key == nil`).
    public func target(key: String?, query: [S3RequestTarget.QueryItem] = []) -> S3RequestTarget {
        let (host, path) = address.resource(key: key)
        return S3RequestTarget(scheme: address.scheme, host: host, port: address.port, path: path, query: query)
    }
}
