import Foundation
import Testing

/// A local S3 API server (moto's server mode, from the tools venv) on 127.0.0.1 for one test.
final class MotoServer {
    let process = Process()
    let port: Int
    var endpoint: String { "http://127.0.0.1:\(port)" }
    /// moto logs one line per request on standard error.
    let log: URL

    init() throws {
        port = Self.freePort()
        log = FileManager.default.temporaryDirectory.appendingPathComponent("moto-\(port)-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = Paths.venv("tools").appendingPathComponent("bin/moto_server")
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        for _ in 0..<200 where !Self.accepts(port) { usleep(50_000) }
        guard Self.accepts(port) else {
            stop()
            throw ServerError.notStarted(port)
        }
    }

    enum ServerError: Error { case notStarted(Int) }

    /// A port the kernel hands out for 127.0.0.1 (bound, read back, released).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 ? getsockname(fd, pointer, &length) : -1
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Requests moto has answered so far.
    var requestCount: Int {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.components(separatedBy: "\n").filter { $0.contains("\" 200 ") || $0.contains("\" 204 ") || $0.contains("\" 404 ") }.count
    }

    /// SIGKILL: children of the test runner inherit a signal mask that blocks SIGTERM.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: log)
    }

    deinit { stop() }

    func bucket(_ arguments: [String]) throws -> ProcessResult {
        try runProcess(Paths.python("dj52"), [Paths.repository.appendingPathComponent("Tests/Reference/s3_bucket.py").path]
                       + [arguments[0], endpoint] + arguments.dropFirst())
    }

    func dump(_ bucket: String) throws -> [String: Any] {
        let result = try self.bucket(["dump", bucket])
        guard result.status == 0 else { throw ServerError.notStarted(port) }
        return try jsonObject(result.stdout, what: "bucket dump")
    }
}

struct S3Scenario: CustomTestStringConvertible, Sendable {
    var name: String
    var environment: [String: String]
    var testDescription: String { name }
}

/// django-storages' collectstatic and `djstatic collect` deploy the same project into two buckets
/// of one local S3 server; the buckets must hold the same objects: keys, bytes, Content-Type,
/// Content-Encoding, Cache-Control, metadata, ACL and ETag.
@Suite("collect to S3 writes the objects django-storages writes", .serialized)
struct CollectS3Tests {
    static let scenarios = [
        S3Scenario(name: "S3StaticStorage", environment: ["S3_BACKEND": "storages.backends.s3.S3StaticStorage"]),
        S3Scenario(name: "S3ManifestStaticStorage, gzip", environment: ["S3_GZIP": "1"]),
        S3Scenario(name: "S3ManifestStaticStorage, empty location", environment: ["S3_LOCATION": ""]),
        S3Scenario(name: "release-specific manifest (the seed's pattern)",
                   environment: ["S3_BACKEND": "s3site.storage.ReleaseManifestS3Storage", "S3_RELEASE_ID": "2024.06.1"]),
        S3Scenario(name: "legacy s3boto3 alias", environment: ["S3_BACKEND": "storages.backends.s3boto3.S3ManifestStaticStorage"]),
    ]

    /// A private copy of the fixture with a file above the multipart threshold (8 MiB).
    static func project() throws -> URL {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-s3-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Paths.fixtures.appendingPathComponent("collect-s3"), to: work)
        var big = Data(count: 9 * 1024 * 1024 + 123)
        big.withUnsafeMutableBytes { raw in for i in 0..<raw.count { raw[i] = UInt8(truncatingIfNeeded: i &* 31 &+ i >> 9) } }
        try big.write(to: work.appendingPathComponent("src/data/big.bin"))
        return work
    }

    func deploy(_ tool: String, project: URL, server: MotoServer, bucket: String, scenario: S3Scenario,
                extra: [String] = []) throws -> ProcessResult {
        var environment = Paths.baseEnvironment()
        environment.merge(scenario.environment) { $1 }
        environment.merge(["S3_BUCKET": bucket, "S3_ENDPOINT_URL": server.endpoint,
                           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"]) { $1 }
        if tool == "django" {
            return try runProcess(Paths.python("dj52"), ["manage.py", "collectstatic", "--noinput"] + extra,
                                  environment: environment, currentDirectory: project)
        }
        return try runProcess(try Paths.djstatic(), ["collect", "s3site/settings.py", "--python-path", Paths.venv("dj52").path,
                                                     "--noinput"] + extra, environment: environment, currentDirectory: project)
    }

    /// The counts in collectstatic's last line ("3 static files copied, 40 unmodified, 3 post-processed."):
    /// copied, unmodified, post-processed, each only when Django prints it.
    static func summaryCounts(_ stdout: String) -> [String: Int] {
        let line = stdout.split(separator: "\n").last { $0.contains("static file") } ?? ""
        var counts: [String: Int] = [:]
        for part in line.split(separator: ",") {
            let words = part.split(separator: " ")
            guard let number = words.first.flatMap({ Int($0) }), let last = words.last else { continue }
            counts[part.contains(" copied") ? "copied" : String(last.hasSuffix(".") ? last.dropLast() : last)] = number
        }
        return counts.filter { $0.value != 0 }
    }

    static func differences(_ expected: [String: Any], _ actual: [String: Any]) -> [String] {
        var out: [String] = []
        for key in Set(expected.keys).union(actual.keys).sorted() {
            switch (expected[key], actual[key]) {
            case (nil, _?): out.append("only djstatic wrote \(key)")
            case (_?, nil): out.append("only django-storages wrote \(key)")
            case (let a?, let b?) where !sameJSON(a, b): out.append("\(key): \(canonicalJSON(a)) vs \(canonicalJSON(b))")
            default: break
            }
        }
        return out
    }

    @Test(arguments: scenarios)
    func sameObjects(_ scenario: S3Scenario) throws {
        let server = try MotoServer()
        defer { server.stop() }
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        #expect(try server.bucket(["create", "django", "ours"]).status == 0)
        for run in ["first deploy", "unchanged re-deploy", "dry run"] {
            let dryRun = run == "dry run" ? ["--dry-run"] : []
            let django = try deploy("django", project: project, server: server, bucket: "django", scenario: scenario,
                                    extra: dryRun)
            let ours = try deploy("djstatic", project: project, server: server, bucket: "ours", scenario: scenario,
                                  extra: ["--format", "json"] + dryRun)
            try #require(django.status == 0, "\(run): \(django.summary)")
            try #require(ours.status == 0, "\(run): \(ours.summary)")
            let expected = try server.dump("django"), actual = try server.dump("ours")
            let differences = Self.differences(expected, actual)
            #expect(differences.isEmpty,
                    "\(scenario.name), \(run): \(differences.count) differences:\n\(differences.prefix(15).joined(separator: "\n"))")
            #expect(expected.count > 100, "the deploy should hold the admin's files and the fixture's")
            let report = try jsonObject(ours.stdout, what: "collect --format json")
            let upload = try #require(report["upload"] as? [String: Any])
            // The summary counts what Django's does: on a re-deploy, what the bucket already holds is unmodified.
            let counts = Self.summaryCounts(django.stdout)
            let ourCounts = ["copied": report["copied"] as? Int ?? -1, "unmodified": report["unmodified"] as? Int ?? -1,
                             "post-processed": report["post_processed"] as? Int ?? -1].filter { $0.value != 0 }
            #expect(counts == ourCounts, "\(scenario.name), \(run): Django's summary \(counts), djstatic's \(ourCounts)")
            if run != "first deploy" {
                #expect(upload["uploaded"] as? Int == 0, "an unchanged re-deploy uploads nothing: \(upload)")
                #expect(upload["unchanged"] as? Int == actual.count)
            } else {
                #expect(upload["uploaded"] as? Int == actual.count)
            }
        }
    }

    /// The CSS/JS rewritten while the project's setup runs (from the preview, before the staging
    /// tree exists) serve the staging collect, whose description differs from the preview only in
    /// its locations; the bucket holds what django-storages writes.
    @Test func rewritesComputedDuringSetupServeTheStagingCollect() throws {
        let server = try MotoServer()
        defer { server.stop() }
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        let copied = Date()
        #expect(try server.bucket(["create", "django", "ours"]).status == 0)
        let scenario = S3Scenario(name: "slow ready()", environment: ["S3_SLOW_READY": "1", "DJSTATIC_TRACE": "1"])
        let django = try deploy("django", project: project, server: server, bucket: "django", scenario: scenario)
        // The read-ahead trusts a file unchanged for 2 s (ReadAhead.racyWindow); the copy is new.
        let wait = 3 - Date().timeIntervalSince(copied)
        if wait > 0 { usleep(UInt32(wait * 1_000_000)) }
        let ours = try deploy("djstatic", project: project, server: server, bucket: "ours", scenario: scenario)
        try #require(django.status == 0, "\(django.summary)")
        try #require(ours.status == 0, "\(ours.summary)")
        let differences = Self.differences(try server.dump("django"), try server.dump("ours"))
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.prefix(15).joined(separator: "\n"))")
        let trace = ours.stderr.split(separator: "\n").first { $0.hasPrefix("djstatic-trace: ") }
        let counts = CollectTraceLine(String(trace ?? ""))
        // The admin's CSS and the fixture's: 6 rewrites, all computed during setup and taken.
        #expect(counts.read > 100 && counts.duringSetup >= 5 && counts.taken == counts.duringSetup,
                "\(ours.stderr)")
    }

    /// A 500 MiB static file deployed to S3 (multipart, 8 MiB parts) in bounded memory: the staged
    /// objects stay in files, parts are read as they are sent, at most ten at a time as boto3
    /// sends them. djstatic's peak RSS (from /usr/bin/time) stays under 320 MiB, whatever the
    /// file's size (236 MiB here, 234 MiB for 100 MB; it was 801 MiB); the object arrives whole,
    /// with the multipart ETag of its 63 parts.
    @Test func largeFileIsUploadedInBoundedMemory() throws {
        let server = try MotoServer()
        defer { server.stop() }
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        let big = project.appendingPathComponent("src/data/huge.bin").path
        CollectFaultTests.writeLargeFile(big, mebibytes: 500)
        #expect(try server.bucket(["create", "ours"]).status == 0)
        var environment = Paths.baseEnvironment()
        environment.merge(["S3_BACKEND": "storages.backends.s3.S3StaticStorage", "S3_BUCKET": "ours", "S3_ENDPOINT_URL": server.endpoint,
                           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"]) { $1 }
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/time"),
                                    ["-f", "djstatic-maxrss-kib=%M", try Paths.djstatic().path, "collect", "s3site/settings.py",
                                     "--python-path", Paths.venv("dj52").path, "--noinput"],
                                    environment: environment, currentDirectory: project)
        #expect(result.status == 0, "\(result.summary)")
        let kib = try #require(CollectFaultTests.peakRSS(result.stderr), "\(result.stderr)")
        print("S3 deploy of a 500 MiB file: djstatic peak RSS \(kib / 1024) MiB")
        #expect(kib < 320 * 1024, "peak RSS \(kib / 1024) MiB for a 500 MiB file")
        let object = try #require(try server.dump("ours")["static/data/huge.bin"] as? [String: Any])
        #expect(object["size"] as? Int == 500 << 20)
        #expect((object["etag"] as? String)?.hasSuffix("-63\"") == true, "\(object)")
    }

    /// A deploy whose upload of one object keeps failing (500s past the retries, from a proxy in
    /// front of the server) exits 1 naming the object, and leaves the previous manifest live.
    @Test func failedUploadKeepsThePreviousManifest() throws {
        let server = try MotoServer()
        defer { server.stop() }
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        let scenario = Self.scenarios[1]
        #expect(try server.bucket(["create", "ours"]).status == 0)
        try #require(try deploy("djstatic", project: project, server: server, bucket: "ours", scenario: scenario).status == 0)
        let before = try server.dump("ours")
        let manifest = try #require(before["static/staticfiles.json"] as? [String: Any])

        // A changed stylesheet: new hashed names, a new manifest; its upload fails.
        let css = project.appendingPathComponent("src/css/base.css")
        try Data("html { color: #000; }\n".utf8).write(to: css)
        let proxy = Process()
        proxy.executableURL = Paths.python("dj52")
        proxy.arguments = [Paths.repository.appendingPathComponent("Tests/Reference/s3_fault_proxy.py").path,
                           String(server.port), "/ours/static/css/base."]
        let portPipe = Pipe()
        proxy.standardOutput = portPipe
        try proxy.run()
        defer { kill(proxy.processIdentifier, SIGKILL); proxy.waitUntilExit() }
        let line = String(decoding: portPipe.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(Int(line.trimmingCharacters(in: .whitespacesAndNewlines)))

        var environment = Paths.baseEnvironment()
        environment.merge(scenario.environment) { $1 }
        environment.merge(["S3_BUCKET": "ours", "S3_ENDPOINT_URL": "http://127.0.0.1:\(port)",
                           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"]) { $1 }
        let failed = try runProcess(try Paths.djstatic(), ["collect", "s3site/settings.py", "--python-path",
                                                           Paths.venv("dj52").path, "--noinput"],
                                    environment: environment, currentDirectory: project)
        #expect(failed.status == 1, "\(failed.summary)")
        #expect(failed.stderr.contains("Upload of 'static/css/base."), "the failed object is named: \(failed.stderr)")
        #expect(failed.stderr.contains("The manifest 'static/staticfiles.json' was not written"))
        // The summary counts what reached the bucket: the changed stylesheet failed, the rest was
        // already there (it once said every staged file was copied).
        #expect(failed.stdout.contains("\n0 static files copied"), "nothing was uploaded: \(failed.stdout)")
        #expect(failed.stdout.contains(" unmodified"), "\(failed.stdout)")
        let after = try server.dump("ours")
        #expect(sameJSON(after["static/staticfiles.json"] as Any, manifest), "the previous manifest must stay live")
        // The retry once the fault is gone completes the deploy.
        let retried = try deploy("djstatic", project: project, server: server, bucket: "ours", scenario: scenario)
        #expect(retried.status == 0)
        #expect(!sameJSON(try server.dump("ours")["static/staticfiles.json"] as Any, manifest))
    }
}
