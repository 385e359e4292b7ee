import Foundation
import Testing
@testable import DJS3

/// DeleteObjects against moto: quiet mode, a full batch of 1,000 keys, keys that need escaping in
/// XML, a missing key (deleted as far as S3 is concerned), and a bucket that does not exist (the
/// request fails as a whole, typed).
@Suite(.serialized) struct DeleteObjectsTests {
    @Test func deletesBatchesAgainstMoto() async throws {
        let server = try await ServerProcess.moto()
        defer { server.stop() }
        let configuration = S3Configuration(bucket: "djs3-delete", endpointURL: server.endpoint, requestTimeout: .seconds(30))
        try await S3Client.with(configuration: configuration, credentials: motoCredentials) { client in
            try await client.createBucket()
            let keys = (0..<1003).map { String(format: "d/%04ld <&>'\" é+.txt", $0) }
            try await forEachConcurrently(keys, maxConcurrency: 16) { key in
                try await client.putObject(key: key, body: Data(key.utf8))
            }
            try await client.putObject(key: "keep/me.txt", body: Data("kept".utf8))
            let first = try await client.deleteObjects(keys: Array(keys.prefix(S3Client.deleteBatchLimit)))
            #expect(first.isEmpty, "\(first.prefix(3))")
            #expect(try await client.listObjects(prefix: "d/").map(\.key) == Array(keys.suffix(3)))
            let rest = try await client.deleteObjects(keys: Array(keys.suffix(3)) + ["d/never-there.txt"])
            #expect(rest.isEmpty)
            #expect(try await client.listObjects().map(\.key) == ["keep/me.txt"])
        }
        let missing = S3Configuration(bucket: "djs3-no-such-bucket", endpointURL: server.endpoint, requestTimeout: .seconds(30))
        try await S3Client.with(configuration: missing, credentials: motoCredentials) { client in
            do {
                _ = try await client.deleteObjects(keys: ["a"])
                Issue.record("DeleteObjects on a missing bucket succeeded")
            } catch let S3Error.service(error) {
                #expect(error.code == "NoSuchBucket" && error.operation == "DeleteObjects", "\(error)")
            }
        }
    }
}
