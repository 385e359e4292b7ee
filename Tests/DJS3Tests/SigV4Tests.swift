import Foundation
import Testing
@testable import DJS3
import S3Addressing

/// The configuration a reference case describes (`region`, `endpoint_url`, `addressing_style`,
/// `use_ssl` as given to botocore).
func configuration(_ record: [String: Any], bucket: String) -> S3Configuration {
    S3Configuration(bucket: bucket, region: record["region"] as? String, endpointURL: record["endpoint_url"] as? String,
                    addressingStyle: (record["addressing_style"] as? String).flatMap(S3AddressingStyle.init) ?? .auto,
                    useSSL: record["use_ssl"] as? Bool ?? true)
}

func pairs(_ value: Any?) -> [(String, String)] {
    (value as? [[String]] ?? []).map { ($0[0], $0[1]) }
}

@Suite struct SigV4Tests {
    /// Every case of `botocore_reference.py sign`: the URL, payload hash, canonical request,
    /// string to sign and Authorization header must equal botocore's `S3SigV4Auth` byte for byte.
    @Test func signaturesMatchBotocore() throws {
        let answer = try #require(try reference(["sign"]) as? [String: Any])
        let cases = try #require(answer["cases"] as? [[String: Any]])
        let timestamp = try #require(answer["timestamp"] as? String)
        let date = try #require(ISO8601DateFormatter().date(from: timestamp))
        #expect(cases.count == 28)
        for record in cases {
            let name = record["name"] as? String ?? "?"
            let bucket = try #require(record["bucket"] as? String)
            let endpoint = try S3Endpoint(configuration(record, bucket: bucket))
            let target = endpoint.target(key: record["key"] as? String,
                                         query: pairs(record["query"]).map { .init($0.0, $0.1) })
            #expect(target.url == record["url"] as? String, "\(name): URL")

            let headers = pairs(record["headers"]).map { (name: $0.0, value: $0.1) }
            let body = Data((record["body"] as? String ?? "").utf8)
            let payloadHash = SigV4Signer.payloadHash(
                body: body, isHTTPS: target.scheme == "https", headers: headers,
                checksumHeader: record["checksum_header"] as? String ?? "Content-MD5",
                isStreamingInput: record["streaming"] as? Bool ?? false)
            #expect(payloadHash == record["payload_hash"] as? String, "\(name): payload hash")

            let credentials = S3Credentials(accessKeyID: try #require(answer["access_key"] as? String),
                                            secretAccessKey: try #require(answer["secret_key"] as? String),
                                            sessionToken: record["token"] as? String)
            let signer = SigV4Signer(credentials: credentials, region: endpoint.signingRegion)
            let signature = signer.sign(method: try #require(record["method"] as? String), target: target,
                                        headers: headers, payloadHash: payloadHash, date: date)
            #expect(signature.canonicalRequest == record["canonical_request"] as? String, "\(name): canonical request")
            #expect(signature.stringToSign == record["string_to_sign"] as? String, "\(name): string to sign")
            #expect(signature.authorization == record["authorization"] as? String, "\(name): Authorization")
        }
    }

    @Test func signedHeadersAreAddedOnceAndStaleOnesReplaced() throws {
        let endpoint = try S3Endpoint(S3Configuration(bucket: "b", endpointURL: "http://127.0.0.1:9000"))
        let signer = SigV4Signer(credentials: S3Credentials(accessKeyID: "AK", secretAccessKey: "SK", sessionToken: "T"),
                                 region: "us-east-1")
        let signature = signer.sign(method: "GET", target: endpoint.target(key: "k"),
                                    headers: [("Authorization", "old"), ("X-Amz-Date", "old"), ("User-Agent", "djstatic")],
                                    payloadHash: SigV4Signer.emptyPayloadHash, date: Date(timeIntervalSince1970: 0))
        #expect(signature.headers.map(\.name) == ["User-Agent", "X-Amz-Date", "X-Amz-Security-Token",
                                                  "X-Amz-Content-SHA256", "Authorization"])
        #expect(signature.headers.first { $0.name == "X-Amz-Date" }?.value == "19700101T000000Z")
        #expect(signature.authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"))
    }

    @Test func crc32MatchesBotocoreHeader() {
        // botocore sent x-amz-checksum-crc32: NhCmhg== for b"hello" and jNwWgw== for b"x".
        #expect(CRC32.base64(Array("hello".utf8)) == "NhCmhg==")
        #expect(CRC32.base64(Array("x".utf8)) == "jNwWgw==")
        #expect(CRC32.checksum([UInt8]()) == 0)
    }
}
