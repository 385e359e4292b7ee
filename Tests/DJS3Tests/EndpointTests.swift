import Foundation
import Testing
import PythonStdlib
@testable import DJS3

@Suite struct EndpointTests {
    /// Every case of `botocore_reference.py endpoints`: `client.meta.endpoint_url`, the HeadObject
    /// URL, the ListObjectsV2 URL and the signing region must equal what botocore's client
    /// builds; cases botocore rejects must be rejected.
    @Test func endpointsMatchBotocore() throws {
        let cases = try #require(try reference(["endpoints"]) as? [[String: Any]])
        #expect(cases.count == 50)
        for record in cases {
            let bucket = try #require(record["bucket"] as? String)
            let label = "\(bucket) \(record["endpoint_url"] as? String ?? "-") \(record["region"] as? String ?? "-") "
                + "\(record["addressing_style"] as? String ?? "-") ssl=\(record["use_ssl"] as? Bool ?? true)"
            if record["error"] != nil {
                #expect(throws: S3Error.self, "\(label): botocore raised \(record["error"]!)") {
                    try S3Endpoint(configuration(record, bucket: bucket))
                }
                continue
            }
            let endpoint = try S3Endpoint(configuration(record, bucket: bucket))
            #expect(endpoint.endpointURL == record["endpoint"] as? String, "\(label): endpoint_url")
            #expect(endpoint.signingRegion == record["signing_region"] as? String, "\(label): signing region")
            #expect(endpoint.target(key: record["key"] as? String).url == record["object_url"] as? String,
                    "\(label): object URL")
            let list = endpoint.target(key: nil, query: [.init("list-type", "2"), .init("encoding-type", "url")])
            #expect(list.url == record["bucket_url"] as? String, "\(label): bucket URL")
        }
    }

    @Test func hostHeaderIsLowerCasedWithoutDefaultPort() throws {
        let https = try S3Endpoint(S3Configuration(bucket: "b", endpointURL: "https://MinIO.Example.com:443"))
        #expect(https.target(key: "k").hostHeader == "minio.example.com")
        let http = try S3Endpoint(S3Configuration(bucket: "b", endpointURL: "http://127.0.0.1:9000"))
        #expect(http.target(key: "k").hostHeader == "127.0.0.1:9000")
    }

    @Test func invalidEndpointMessageMatchesBotocore() {
        #expect(throws: S3Error.self) { try S3Endpoint(S3Configuration(bucket: "b", endpointURL: "minio.example.com:9000")) }
        do {
            _ = try S3Endpoint(S3Configuration(bucket: "b", endpointURL: "minio.example.com:9000"))
        } catch {
            #expect("\(error)" == "Invalid endpoint: minio.example.com:9000")
        }
    }

    @Test func listingKeysAreDecodedAsUnquotePlus() {
        #expect(PercentEncoding.unquotePlus("odd+dir/na%C3%AFve%2Bx%") == "odd dir/naïve+x%")
    }
}
