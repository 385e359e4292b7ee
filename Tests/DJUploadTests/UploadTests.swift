import Crypto
import DJCollect
import DJSettings
@testable import DJUpload
import Foundation
import PythonStdlib
import Testing

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Runs Tests/Reference/s3_reference.py (django-storages itself, in the Django 5.2 venv).
private func reference(_ mode: String, _ input: Any) throws -> [Any] {
    let process = Process()
    process.executableURL = repository.appendingPathComponent(".venvs/dj52/bin/python")
    process.arguments = [repository.appendingPathComponent("Tests/Reference/s3_reference.py").path, mode]
    let stdin = Pipe(), stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    try process.run()
    stdin.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: input))
    try stdin.fileHandleForWriting.close()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return try JSONSerialization.jsonObject(with: data) as? [Any] ?? []
}

@Suite struct S3KeyTests {
    /// Object keys for names and locations (a table of known cases, traps and random names) compared
    /// with django-storages' `_normalize_name(clean_name(name))`.
    @Test func keysMatchDjangoStorages() throws {
        var pairs: [[String]] = []
        let locations = ["", "static", "static/", "/static", "a/b", "a//b/", "media/../static", "."]
        let names = ["css/site.css", "/css/site.css", "css\\site.css", "a/../b.css", "../x.css", "dir/", "",
                     "odd dir/naïve file+name.txt", "./a", "a/./b//c", "a/b/..", "..", "...", "a/../../b", "x/.."]
        for location in locations { for name in names { pairs.append([location, name]) } }
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab./\\ é+%")
        for _ in 0..<400 {
            let name = String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            pairs.append([locations.randomElement(using: &generator)!, name])
        }
        let expected = try reference("keys", pairs)
        try #require(expected.count == pairs.count)
        for (pair, answer) in zip(pairs, expected) {
            let ours: String
            do { ours = try S3Keys.key(location: pair[0], name: pair[1]) } catch { ours = "SuspiciousOperation" }
            #expect(ours == answer as? String, "location \(pair[0].debugDescription), name \(pair[1].debugDescription)")
        }
    }

    /// gzip bodies byte for byte as django-storages' GzipCompressionWrapper writes them (streamed
    /// from the file in 1 MiB chunks: the 3 MiB bodies span several).
    @Test func gzipMatchesDjangoStorages() throws {
        var bodies: [Data] = [Data(), Data("hello".utf8), Data(repeating: 0x41, count: 70_000)]
        var generator = SystemRandomNumberGenerator()
        for size in [1, 100, 4096, 65_537, 300_000, 3 << 20] {
            bodies.append(Data((0..<size).map { _ in UInt8.random(in: 32...90, using: &generator) }))
        }
        bodies.append(Data((0..<(3 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 % 251 ^ $0 / 4093) }))
        let expected = try reference("gzip", bodies.map { $0.base64EncodedString() })
        try #require(expected.count == bodies.count)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (index, (body, answer)) in zip(bodies, expected).enumerated() {
            let source = directory.appendingPathComponent("body-\(index)"), gzipped = directory.appendingPathComponent("body-\(index).gz")
            try body.write(to: source)
            let size = try PythonGzip.compressobj(file: source.path, into: gzipped.path)
            let ours = try Data(contentsOf: gzipped)
            #expect(ours.count == size)
            #expect(ours.base64EncodedString() == answer as? String, "\(body.count) bytes")
        }
    }
}

/// A fresh temporary directory.
func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-upload-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

/// An object whose body is `body`, in a file of its own under the temporary directory.
func object(_ key: String, _ body: Data) throws -> PreparedObject {
    let file = try temporaryDirectory().appendingPathComponent("body")
    try body.write(to: file)
    return try PreparedObject(name: key, key: key, file: file.path, headers: [], multipartThreshold: 8 << 20, partSize: 8 << 20)
}

/// An in-memory store that records writes and can fail chosen keys.
final class MemoryStore: ObjectStore, @unchecked Sendable {
    private let lock = NSLock()
    var objects: [PyStrKey: String] = [:]
    var writes: [String] = []
    var deletes: [String] = []
    var failing: Set<String> = []

    func list(prefix: String) async throws -> [PyStrKey: String] {
        lock.withLock { objects.filter { $0.key.string.utf8.starts(with: prefix.utf8) } }
    }

    func put(_ object: PreparedObject) async throws {
        try lock.withLock {
            if failing.contains(object.key) { throw URLError(.networkConnectionLost) }
            objects[PyStrKey(object.key)] = object.eTag
            writes.append(object.key)
        }
    }

    func delete(key: String) async throws {
        lock.withLock {
            objects[PyStrKey(key)] = nil
            deletes.append(key)
        }
    }
}

@Suite struct UploaderTests {
    static func object(_ key: String, _ text: String) -> PreparedObject {
        try! DJUploadTests.object(key, Data(text.utf8))
    }

    let files = [object("static/a.css", "a"), object("static/b.js", "b"), object("static/c.png", "c")]
    let manifest = object("static/staticfiles.json", "{}")

    @Test func manifestGoesLastAndUnchangedObjectsAreSkipped() async {
        let store = MemoryStore()
        let uploader = Uploader(store: store, prefix: "static/", concurrency: 4)
        let first = await uploader.run(files, manifest: manifest, clear: false, dryRun: false)
        #expect(first.failures.isEmpty && first.uploaded == 4 && first.manifestWritten)
        #expect(store.writes.last == "static/staticfiles.json")
        store.writes = []
        let second = await uploader.run(files, manifest: manifest, clear: false, dryRun: false)
        #expect(second.uploaded == 0 && second.unchanged == 4 && store.writes.isEmpty)
    }

    @Test func aFailedObjectKeepsTheOldManifest() async {
        let store = MemoryStore()
        let uploader = Uploader(store: store, prefix: "static/", concurrency: 2)
        _ = await uploader.run(files, manifest: manifest, clear: false, dryRun: false)
        let oldManifest = store.objects["static/staticfiles.json"]
        store.failing = ["static/b.js"]
        let changed = files.map { Self.object($0.key, "new " + $0.key) }
        let report = await uploader.run(changed, manifest: Self.object(manifest.key, "{\"new\": 1}"), clear: false, dryRun: false)
        #expect(report.failures.map(\.key) == ["static/b.js"])
        #expect(!report.manifestWritten)
        #expect(store.objects["static/staticfiles.json"] == oldManifest, "the previous manifest must stay live")
    }

    /// "café" precomposed and decomposed are two keys to S3 (and to Python): a deploy that adds
    /// the second uploads it, however equal Swift's String finds the two.
    @Test func canonicallyEquivalentKeysAreTwoObjects() async {
        let store = MemoryStore()
        let composed = Self.object("static/caf\u{E9}.css", "same"), decomposed = Self.object("static/cafe\u{301}.css", "same")
        let uploader = Uploader(store: store, prefix: "static/", concurrency: 2)
        _ = await uploader.run([composed], manifest: nil, clear: false, dryRun: false)
        let report = await uploader.run([composed, decomposed], manifest: nil, clear: true, dryRun: false)
        #expect(report.uploaded == 1 && report.unchanged == 1 && report.deleted == 0 && store.objects.count == 2)
        #expect(store.writes.last.map { Array($0.utf8) } == Array(decomposed.key.utf8))
    }

    @Test func clearDeletesStaleObjectsAfterTheManifestAndDryRunWritesNothing() async {
        let store = MemoryStore()
        store.objects = ["static/old.css": "\"x\"", "media/upload.png": "\"y\""]
        let uploader = Uploader(store: store, prefix: "static/", concurrency: 2)
        let plan = await uploader.run(files, manifest: manifest, clear: true, dryRun: true)
        #expect(store.writes.isEmpty && store.deletes.isEmpty)
        #expect(plan.steps.filter { $0.action == .delete }.map(\.key) == ["static/old.css"])
        let report = await uploader.run(files, manifest: manifest, clear: true, dryRun: false)
        #expect(report.deleted == 1 && store.objects["static/old.css"] == nil && store.objects["media/upload.png"] != nil)
        #expect(store.writes.last == manifest.key)
    }

    @Test func multipartETagIsTheMD5OfPartMD5s() throws {
        var body = Data(repeating: 7, count: 9 * 1024 * 1024)
        body[(8 << 20) + 5] = 1
        let large = try DJUploadTests.object("x", body)
        let parts = [body[0..<(8 << 20)], body[(8 << 20)...]].map { Data(Insecure.MD5.hash(data: $0)) }
        #expect(large.eTag == "\"" + Insecure.MD5.hash(data: parts[0] + parts[1]).hex + "-2\"")
        #expect(large.size == body.count)
        let small = try DJUploadTests.object("x", Data("hello".utf8))
        #expect(small.eTag == "\"5d41402abc4b2a76b9719d911017c592\"")
    }
}

/// Where the S3 staging tree is made (see `RemoteCollect.stagingParent`).
@Suite struct StagingPlaceTests {
    /// One FileSystemFinder root holding one file of `size` bytes (sparse: nothing is written).
    static func description(fileOf size: off_t) throws -> (CollectDescription, String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("staging-place-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let file = root + "/big.bin"
        FileManager.default.createFile(atPath: file, contents: nil)
        #expect(truncate(file, size) == 0, "sparse file of \(size) bytes")
        let finder = CollectDescription.Finder(path: "django.contrib.staticfiles.finders.FileSystemFinder", kind: .filesystem,
                                               className: "FileSystemFinder", roots: [.init(location: root, prefix: "")])
        return (CollectDescription(staticURL: "/static/", defaultIgnorePatterns: [], finders: [finder], storage: nil), root)
    }

    @Test func memoryWhenItHasRoomForThreeTimesTheSourcesTwice() throws {
        var shm = statvfs()
        try #require(statvfs("/dev/shm", &shm) == 0, "this test needs Linux's /dev/shm")
        let free = Int64(shm.f_bavail) * Int64(shm.f_frsize)
        let (small, smallRoot) = try Self.description(fileOf: off_t(min(free / 12, 1 << 20)))
        let (large, largeRoot) = try Self.description(fileOf: off_t(free / 6 + (1 << 20)))  // six times over the free space
        defer { for root in [smallRoot, largeRoot] { try? FileManager.default.removeItem(atPath: root) } }
        let temporary = FileManager.default.temporaryDirectory.path
        #expect(RemoteCollect.stagingParent(for: small, options: CollectOptions(), environment: [:]) == "/dev/shm")
        #expect(RemoteCollect.stagingParent(for: large, options: CollectOptions(), environment: [:]) == temporary)
        #expect(RemoteCollect.stagingParent(for: small, options: CollectOptions(), environment: [:],
                                            memory: "/nonexistent-shm") == temporary)
        // TMPDIR is the user's choice, whatever the room in memory.
        #expect(RemoteCollect.stagingParent(for: small, options: CollectOptions(), environment: ["TMPDIR": temporary])
                == temporary)
    }
}
