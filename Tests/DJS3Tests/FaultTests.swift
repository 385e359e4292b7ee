import Foundation
import Testing
@testable import DJS3

/// Retries, timeouts and a vanished server, against flaky_server.py on 127.0.0.1.
@Suite struct FaultTests {
    /// Runs `body` with a client for `server` (20 ms backoff base) and shuts it down.
    private func withClient(_ server: ServerProcess, maxAttempts: Int = 3, timeout: Duration = .seconds(5),
                            _ body: (S3Client) async throws -> Void) async throws {
        let configuration = S3Configuration(bucket: "b", endpointURL: server.endpoint, maxAttempts: maxAttempts,
                                            requestTimeout: timeout)
        try await S3Client.with(configuration: configuration, credentials: motoCredentials,
                                retryBaseDelay: .milliseconds(20), body)
    }

    @Test func serverErrorsAreRetriedUntilSuccess() async throws {
        let server = try ServerProcess.flaky()
        defer { server.stop() }
        try await withClient(server) { client in
            let eTag = try await client.putObject(key: "fail2-a", body: Data("x".utf8))
            #expect(eTag == "\"attempt-3\"", "two 500s, then the third attempt succeeded")
        }
    }

    @Test func errorsInsideA200AreRetried() async throws {
        let server = try ServerProcess.flaky()
        defer { server.stop() }
        try await withClient(server) { client in
            let part = S3Client.CompletedPart(partNumber: 1, eTag: "\"e1\"", checksumCRC32: nil)
            let eTag = try await client.completeMultipartUpload(key: "error200-a", uploadID: "u", parts: [part])
            #expect(eTag == "\"attempt-3\"", "two 200s carrying <Error>, then the result")
        }
    }

    @Test func throttlingGivesUpAfterMaxAttemptsWithATypedError() async throws {
        let server = try ServerProcess.flaky()
        defer { server.stop() }
        try await withClient(server, maxAttempts: 4) { client in
            do {
                _ = try await client.putObject(key: "always-a", body: Data("x".utf8))
                Issue.record("a server that always answers SlowDown was reported as success")
            } catch let S3Error.service(error) {
                #expect(error.code == "SlowDown")
                #expect(error.statusCode == 503)
                #expect(error.message == "attempt 4")
                #expect(error.requestID == "req-4")
                #expect(error.description == "An error occurred (SlowDown) when calling the PutObject operation: attempt 4")
            }
        }
    }

    @Test func clientErrorsAreNotRetried() async throws {
        let server = try ServerProcess.flaky()
        defer { server.stop() }
        try await withClient(server) { client in
            do {
                try await client.deleteObject(key: "bad-a")
                Issue.record("a 400 was reported as success")
            } catch let S3Error.service(error) {
                #expect(error.code == "InvalidArgument")
                #expect(error.message == "attempt 1")
            }
            // HEAD errors have no body: the status is the code, as in botocore.
            do {
                _ = try await client.headObject(key: "bad-b")
                Issue.record("a 400 HEAD was reported as success")
            } catch let S3Error.service(error) {
                #expect(error.code == "400")
                #expect(error.message == "Bad Request")
            }
        }
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let server = try ServerProcess.flaky()
        defer { server.stop() }
        try await withClient(server, maxAttempts: 2, timeout: .seconds(1)) { client in
            let start = ContinuousClock.now
            do {
                _ = try await client.headObject(key: "hang-a")
                Issue.record("a hanging request returned")
            } catch let S3Error.transport(operation, _) {
                #expect(operation == "HeadObject")
            }
            #expect(ContinuousClock.now - start < .seconds(120), "no hang (generous: the test runner may be busy with other suites)")
        }
    }

    @Test func aServerStoppedMidSequenceGivesAClearError() async throws {
        let server = try ServerProcess.flaky()
        try await withClient(server) { client in
            #expect(try await client.putObject(key: "first", body: Data("1".utf8)) == "\"attempt-1\"")
            server.stop()
            let start = ContinuousClock.now
            do {
                _ = try await client.putObject(key: "second", body: Data("2".utf8))
                Issue.record("an upload to a stopped server succeeded")
            } catch let error as S3Error {
                guard case .transport(let operation, _) = error else {
                    Issue.record("expected a transport error, got \(error)")
                    return
                }
                #expect(operation == "PutObject")
                #expect(error.description.hasPrefix("Could not connect when calling the PutObject operation: "))
            }
            #expect(ContinuousClock.now - start < .seconds(120), "no hang (generous: the test runner may be busy with other suites)")
        }
    }
}

@Suite struct ConcurrencyTests {
    private actor Gauge {
        var running = 0
        var peak = 0
        var done = 0
        func enter() { running += 1; peak = max(peak, running) }
        func leave() { running -= 1; done += 1 }
    }

    @Test func forEachConcurrentlyNeverExceedsTheLimit() async throws {
        let gauge = Gauge()
        try await forEachConcurrently(0..<50, maxConcurrency: 4) { _ in
            await gauge.enter()
            try await Task.sleep(for: .milliseconds(5))
            await gauge.leave()
        }
        #expect(await gauge.peak == 4)
        #expect(await gauge.done == 50)
    }

    @Test func forEachConcurrentlyRethrowsTheFirstError() async {
        await #expect(throws: TestFailure.self) {
            try await forEachConcurrently(0..<20, maxConcurrency: 3) { index in
                if index == 5 { throw TestFailure(description: "boom") }
            }
        }
    }

    @Test func backoffIsBoundedAndGrows() async throws {
        let configuration = S3Configuration(bucket: "b", endpointURL: "http://127.0.0.1:1")
        try await S3Client.with(configuration: configuration, credentials: motoCredentials,
                                retryBaseDelay: .milliseconds(100)) { client in
            for attempt in 1...30 {
                let delay = client.backoff(attempt: attempt)
                #expect(delay >= .zero)
                #expect(delay <= min(.milliseconds(100) * (1 << min(attempt - 1, 16)), .seconds(20)))
            }
        }
    }
}
