import Crypto
import Foundation
import Testing
@testable import DJS3

/// One object to write with both clients: the Swift headers and the equivalent boto3 ExtraArgs.
private struct Upload: Sendable {
    let key: String
    let body: Data
    let headers: [(name: String, value: String)]
    let extraArgs: [String: String]
    var metadata: [String: String] = [:]

    /// The entry `botocore_reference.py put` reads.
    func spec(prefix: String) -> [String: Any] {
        var args: [String: Any] = extraArgs
        if !metadata.isEmpty { args["Metadata"] = metadata }
        return ["key": prefix + key, "body_hex": body.map { String(format: "%02x", $0) }.joined(), "extra_args": args]
    }
}

private func md5Hex(_ data: Data) -> String { Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined() }

/// Deterministic filler bytes.
private func pattern(_ count: Int, seed: UInt8) -> Data {
    Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) })
}

@Suite(.serialized) struct MotoTests {
    private static let uploads: [Upload] = [
        Upload(key: "css/site.css", body: Data("body { color: red }\n".utf8),
               headers: [("Content-Type", "text/css"), ("Cache-Control", "max-age=31536000, public"),
                         ("x-amz-acl", "public-read")],
               extraArgs: ["ContentType": "text/css", "CacheControl": "max-age=31536000, public", "ACL": "public-read"]),
        Upload(key: "js/app.js", body: Data([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x4B, 0x04, 0x00]),
               headers: [("Content-Type", "text/javascript"), ("Content-Encoding", "gzip")],
               extraArgs: ["ContentType": "text/javascript", "ContentEncoding": "gzip"]),
        Upload(key: "odd dir/naïve file+name~1.txt", body: Data("text".utf8),
               headers: [("Content-Type", "text/plain"), ("x-amz-meta-origin", "djstatic")],
               extraArgs: ["ContentType": "text/plain"], metadata: ["origin": "djstatic"]),
        Upload(key: "empty.txt", body: Data(), headers: [("Content-Type", "text/plain")],
               extraArgs: ["ContentType": "text/plain"]),
        Upload(key: "big/blob.bin", body: pattern(9 * 1024 * 1024, seed: 7),
               headers: [("Content-Type", "application/octet-stream"), ("Cache-Control", "no-cache")],
               extraArgs: ["ContentType": "application/octet-stream", "CacheControl": "no-cache"]),
    ]

    /// put/list/head/get/delete/multipart against moto, and objects written by this client
    /// compared with the same objects written by boto3's `upload_fileobj`.
    @Test func roundTripsAgainstMoto() async throws {
        let server = try await ServerProcess.moto()
        defer { server.stop() }
        let configuration = S3Configuration(bucket: "djs3-test", endpointURL: server.endpoint,
                                            requestTimeout: .seconds(30))
        try await S3Client.with(configuration: configuration, credentials: motoCredentials) { client in
            try await client.createBucket()

            // Writes by both clients.
            try await forEachConcurrently(Self.uploads, maxConcurrency: 4) { upload in
                try await client.putObject(key: "swift/" + upload.key, body: upload.body, headers: upload.headers)
            }
            let spec = Self.uploads.map { $0.spec(prefix: "boto3/") }
            _ = try reference(["put", server.endpoint, "djs3-test"], environment: Self.pythonEnvironment,
                              input: try JSONSerialization.data(withJSONObject: spec))
            let keys = Self.uploads.flatMap { ["swift/" + $0.key, "boto3/" + $0.key] }
            let described = try #require(try reference(["describe", server.endpoint, "djs3-test"] + keys,
                                                       environment: Self.pythonEnvironment) as? [[String: Any]])
            let byKey = Dictionary(uniqueKeysWithValues: described.map { ($0["key"] as! String, $0) })
            for upload in Self.uploads {
                let ours = try #require(byKey["swift/" + upload.key])
                let theirs = try #require(byKey["boto3/" + upload.key])
                for field in ["sha256", "size", "etag", "content_type", "cache_control", "content_encoding"] {
                    #expect("\(ours[field] ?? "nil")" == "\(theirs[field] ?? "nil")", "\(upload.key): \(field)")
                }
                #expect(ours["metadata"] as? [String: String] == theirs["metadata"] as? [String: String], "\(upload.key)")
                #expect(ours["sha256"] as? String
                        == SHA256.hash(data: upload.body).map { String(format: "%02x", $0) }.joined())
            }

            // Multipart: two parts of 8 MiB + 1 MiB, ETag = md5(md5(part1) + md5(part2)) + "-2".
            let big = Self.uploads[4].body
            var digests = Data()
            for range in [0..<(8 * 1024 * 1024), (8 * 1024 * 1024)..<big.count] {
                digests.append(contentsOf: Insecure.MD5.hash(data: big.subdata(in: range)))
            }
            let bigHead = try #require(try await client.headObject(key: "swift/big/blob.bin"))
            #expect(bigHead.eTag == "\"\(md5Hex(digests))-2\"")
            #expect(bigHead.contentLength == big.count)

            // Our own HEAD/GET of a single-part object.
            let css = try await client.getObject(key: "swift/css/site.css")
            #expect(css.body == Self.uploads[0].body)
            #expect(css.head.eTag == "\"\(md5Hex(Self.uploads[0].body))\"")
            #expect(css.head.headers["content-type"] == "text/css")
            #expect(css.head.headers["cache-control"] == "max-age=31536000, public")
            let gz = try await client.getObject(key: "swift/js/app.js")
            #expect(gz.body == Self.uploads[1].body, "stored bytes come back without content decoding")
            let odd = try #require(try await client.headObject(key: "swift/odd dir/naïve file+name~1.txt"))
            #expect(odd.headers["x-amz-meta-origin"] == "djstatic")
            #expect(odd.lastModified != nil)

            // Listing with pagination: 1,010 objects need two ListObjectsV2 pages.
            let many = (0..<1010).map { String(format: "many/%04ld +é.txt", $0) }
            try await forEachConcurrently(many, maxConcurrency: 16) { key in
                try await client.putObject(key: key, body: Data(key.utf8), headers: [("Content-Type", "text/plain")])
            }
            let listed = try await client.listObjects(prefix: "many/")
            #expect(listed.map(\.key) == many)
            #expect(listed.first?.size == many[0].utf8.count)
            #expect(listed.first?.eTag == "\"\(md5Hex(Data(many[0].utf8)))\"")
            let everything = try await client.listObjects()
            #expect(everything.count == 1010 + 2 * Self.uploads.count)

            // Delete, then HEAD says absent and GET is a typed NoSuchKey error.
            try await client.deleteObject(key: "swift/css/site.css")
            #expect(try await client.headObject(key: "swift/css/site.css") == nil)
            do {
                _ = try await client.getObject(key: "swift/css/site.css")
                Issue.record("GET of a deleted key succeeded")
            } catch let S3Error.service(error) {
                #expect(error.code == "NoSuchKey")
                #expect(error.statusCode == 404)
                #expect(error.operation == "GetObject")
            }

            // Explicit multipart calls, and abort.
            let uploadID = try await client.createMultipartUpload(key: "parts/x.bin", headers: [("Content-Type", "text/plain")])
            let part = try await client.uploadPart(key: "parts/x.bin", uploadID: uploadID, partNumber: 1,
                                                   body: Data("only part".utf8))
            let eTag = try await client.completeMultipartUpload(key: "parts/x.bin", uploadID: uploadID, parts: [part])
            #expect(eTag.hasSuffix("-1\""))
            #expect(try await client.getObject(key: "parts/x.bin").body == Data("only part".utf8))
            let aborted = try await client.createMultipartUpload(key: "parts/aborted.bin")
            try await client.abortMultipartUpload(key: "parts/aborted.bin", uploadID: aborted)
            #expect(try await client.headObject(key: "parts/aborted.bin") == nil)
        }
    }

    private static let pythonEnvironment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        for name in ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"] {
            environment[name] = nil
        }
        return environment
    }()
}
