import Foundation
import Testing

/// A project that changes over five deploys (files changed, removed, added; CSS references
/// moving), collected by the real `djstatic collect` into a release-specific manifest storage
/// (fixtures/collect-variants' `release` variant: `<STATIC_ROOT>/<release_id>/staticfiles.json`)
/// or a single manifest (`manifest` variant).
final class ReleaseProject {
    let work: URL
    var project: URL { work.appendingPathComponent("project") }
    var root: String { work.path + "/root" }
    var src: URL { project.appendingPathComponent("src") }
    /// Generated files that only the first three deploys have (enough to interrupt a prune mid-way).
    static let generated = 80

    /// Added to every child's environment (the S3 endpoint and bucket).
    var extraEnvironment: [String: String] = [:]
    /// The settings package: `variants` (fixtures/collect-variants) or `s3site` (fixtures/collect-s3).
    let package: String

    init(fixture: String = "collect-variants", package: String = "variants") throws {
        self.package = package
        work = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-prune-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: project, withIntermediateDirectories: true)
        let fixture = Paths.fixtures.appendingPathComponent(fixture)
        try fm.copyItem(at: fixture.appendingPathComponent(package), to: project.appendingPathComponent(package))
        try fm.copyItem(at: fixture.appendingPathComponent("manage.py"), to: project.appendingPathComponent("manage.py"))
    }

    func remove() { try? FileManager.default.removeItem(at: work) }

    /// The sources of deploy `i` (1...5).
    func writeSources(deploy i: Int) throws {
        let fm = FileManager.default
        try? fm.removeItem(at: src)
        var files: [String: String] = [:]
        var css = i == 1 ? ".bg { background: url(\"../img/bg1.png\") }\n" : ".bg { background: url(\"../img/bg2.png\") }\n"
        if i < 5 { css += ".logo { background: url('../img/logo.png') }\n" }
        if i == 3 { css += "@font-face { font-family: F; src: url(\"../fonts/f.woff\") }\n" }
        if i == 4 { css += "/* deploy 4 */\n" }
        if i == 5 { css += ".new { background: url(../img/new.png) }\n" }
        files["css/site.css"] = css
        files["img/logo.png"] = i == 1 ? "logo v1" : i < 4 ? "logo v2" : "logo v4"
        if i == 1 { files["img/bg1.png"] = "bg1"; files["img/old.png"] = "old" }
        if i >= 2 { files["img/bg2.png"] = "bg2" }
        if i == 5 { files["img/new.png"] = "new" }
        if i == 3 { files["fonts/f.woff"] = "woff" }
        files["js/app.js"] = "console.log('app v\([1, 1, 3, 4, 4][i - 1])');\n"
        files["txt/keep.txt"] = "always the same\n"
        if i <= 3 {
            for n in 0..<Self.generated { files[String(format: "gen/f%03d.txt", n)] = "generated \(n) of deploy \(i)\n" }
        }
        for (name, text) in files { try write(src.appendingPathComponent(name), text) }
    }

    func write(_ url: URL, _ text: String) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func environment(variant: String, release: String?, root: String? = nil) -> [String: String] {
        var environment = Paths.baseEnvironment()
        environment["VARIANT"] = variant
        environment["STATIC_ROOT"] = root ?? self.root
        if let release { environment["RELEASE_ID"] = release; environment["S3_RELEASE_ID"] = release }
        environment.merge(extraEnvironment) { $1 }
        return environment
    }

    func djstatic(_ arguments: [String], variant: String = "release", release: String? = "r5", root: String? = nil,
                  input: String? = nil) throws -> ProcessResult {
        try runProcess(try Paths.djstatic(), [arguments[0], "\(package)/settings.py", "--python-path", Paths.venv("dj52").path]
                       + arguments.dropFirst(), environment: environment(variant: variant, release: release, root: root),
                       currentDirectory: project, input: input)
    }

    /// Five deploys r1...r5 with `djstatic collect`; release i's manifest dated (6 - i) days ago.
    func deployFive() throws {
        for i in 1...5 {
            try writeSources(deploy: i)
            let collected = try djstatic(["collect", "--noinput"], release: "r\(i)")
            try #require(collected.status == 0, "deploy \(i): \(collected.summary)")
            try setModified(root + "/r\(i)/staticfiles.json", daysAgo: Double(6 - i))
        }
    }

    func setModified(_ path: String, daysAgo: Double) throws {
        let date = Date().addingTimeInterval(-daysAgo * 86400)
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path)
    }
}

/// Every file under `root` (symbolic links as their target text, never followed): name → bytes.
func storedTree(_ root: String) -> [String: Data] {
    var out: [String: Data] = [:]
    func walk(_ relative: String) {
        let directory = relative.isEmpty ? root : root + "/" + relative
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let path = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(root + "/" + path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: walk(path)
            case S_IFLNK: out[path] = Data(((try? FileManager.default.destinationOfSymbolicLink(atPath: root + "/" + path)) ?? "").utf8)
            default: out[path] = FileManager.default.contents(atPath: root + "/" + path)
            }
        }
    }
    walk("")
    return out
}

/// Keys and values of a manifest's "paths".
func manifestNames(_ data: Data?) -> Set<String> {
    guard let data, let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let paths = object["paths"] as? [String: String] else { return [] }
    return Set(paths.keys).union(paths.values)
}

/// Relative names of every file under `directory`.
func fileNames(under directory: URL) -> Set<String> {
    Set(FileManager.default.enumerator(atPath: directory.path)?.compactMap { item -> String? in
        guard let name = item as? String else { return nil }
        var isDirectory: ObjCBool = false
        FileManager.default.fileExists(atPath: directory.path + "/" + name, isDirectory: &isDirectory)
        return isDirectory.boolValue ? nil : name
    } ?? [])
}

@Suite("prune deletes what only dropped releases name, and nothing else", .serialized)
struct PruneTests {
    /// What `prune --keep 2` must leave: `before` minus the dropped manifests and the names only
    /// they hold (neither kept manifests nor finders provide them).
    static func expectedAfterKeepingTwo(_ before: [String: Data], _ project: ReleaseProject, dropped: [String], kept: [String])
        -> [String: Data] {
        let keptNames = kept.reduce(into: Set<String>()) { $0.formUnion(manifestNames(before[$1 + "/staticfiles.json"])) }
        let droppedNames = dropped.reduce(into: Set<String>()) { $0.formUnion(manifestNames(before[$1 + "/staticfiles.json"])) }
        let provided = fileNames(under: project.src)
        var expected = before
        for name in droppedNames.subtracting(keptNames).subtracting(provided) { expected[name] = nil }
        for release in dropped { expected[release + "/staticfiles.json"] = nil }
        return expected
    }

    static func describe(_ expected: [String: Data], _ actual: [String: Data]) -> String {
        let missing = Set(expected.keys).subtracting(actual.keys).sorted()
        let extra = Set(actual.keys).subtracting(expected.keys).sorted()
        let changed = Set(expected.keys).intersection(actual.keys).filter { expected[$0] != actual[$0] }.sorted()
        return "missing \(missing.prefix(10)) (\(missing.count)), not deleted \(extra.prefix(10)) (\(extra.count)), changed \(changed.prefix(10))"
    }

    /// Real Django (5.2) serving release `release` from `root`: every name of its manifest through
    /// `staticfiles_storage.url(name)`; answers the URLs whose file is missing.
    static func djangoMissingURLs(_ project: ReleaseProject, release: String) throws -> [String] {
        let script = """
            import json, os, sys
            from urllib.parse import unquote
            import django
            django.setup()
            from django.conf import settings
            from django.contrib.staticfiles.storage import staticfiles_storage
            names = json.loads(staticfiles_storage.manifest_storage.open(staticfiles_storage.manifest_name).read())["paths"]
            missing = []
            for name in names:
                url = staticfiles_storage.url(name)
                assert url.startswith(settings.STATIC_URL), url
                if not os.path.isfile(os.path.join(settings.STATIC_ROOT, unquote(url[len(settings.STATIC_URL):]))):
                    missing.append(url)
            print(json.dumps({"checked": len(names), "missing": missing}))
            """
        var environment = project.environment(variant: "release", release: release)
        environment["DJANGO_SETTINGS_MODULE"] = "variants.settings"
        let result = try runProcess(Paths.python("dj52"), ["-c", script], environment: environment, currentDirectory: project.project)
        try #require(result.status == 0, "\(result.summary)")
        let answer = try jsonObject(result.stdout, what: "django check")
        #expect((answer["checked"] as? Int ?? 0) >= 5, "release \(release): too few names checked: \(result.stdout)")
        return answer["missing"] as? [String] ?? ["unreadable answer"]
    }

    @Test("5 deploys, prune --keep 2: exactly what only releases 1-3 named is gone; Django serves 4 and 5")
    func keepTwoOfFiveDeploys() throws {
        let project = try ReleaseProject()
        defer { project.remove() }
        try project.deployFive()
        let root = project.root
        // The finders provide img/old.png again (not deployed): its original name stays, its hashed name goes.
        try project.write(project.src.appendingPathComponent("img/old.png"), "old")
        // Files no manifest names: one old, one new; neither goes without --unreferenced-older-than.
        try project.write(URL(fileURLWithPath: root + "/manual/notes.txt"), "notes")
        try project.write(URL(fileURLWithPath: root + "/manual/fresh.txt"), "fresh")
        try project.setModified(root + "/manual/notes.txt", daysAgo: 40)
        // A symbolic link out of STATIC_ROOT and a hand-made old release naming what lies behind it
        // and a path that climbs out: nothing outside STATIC_ROOT is touched.
        let outside = project.work.appendingPathComponent("outside")
        try project.write(outside.appendingPathComponent("secret.css"), "secret")
        try project.write(project.work.appendingPathComponent("top.css"), "top")
        try FileManager.default.createSymbolicLink(atPath: root + "/ext", withDestinationPath: outside.path)
        try project.write(URL(fileURLWithPath: root + "/r0/staticfiles.json"),
                          #"{"paths": {"ext/secret.css": "ext/secret.css", "../top.css": "../top.css"}, "version": "1.1", "hash": "x"}"#)
        try project.setModified(root + "/r0/staticfiles.json", daysAgo: 10)

        let before = storedTree(root)
        let expected = Self.expectedAfterKeepingTwo(before, project, dropped: ["r0", "r1", "r2", "r3"], kept: ["r4", "r5"])
        // Guards: the scenario exercises what it claims.
        let gone = Set(before.keys).subtracting(expected.keys)
        #expect(gone.contains("img/bg1.png") && gone.contains("fonts/f.woff") && gone.contains("gen/f000.txt"), "\(gone.sorted().prefix(20))")
        #expect(gone.contains { $0.hasPrefix("img/old.") && $0 != "img/old.png" } && !gone.contains("img/old.png"))
        #expect(gone.contains { $0.hasPrefix("img/logo.") } && gone.count > 3 * ReleaseProject.generated)

        // --dry-run: the plan, nothing deleted.
        let plan = try project.djstatic(["prune", "--keep", "2", "--dry-run", "--format", "json"])
        #expect(plan.status == 0, "\(plan.summary)")
        let planned = try jsonObject(plan.stdout, what: "prune --dry-run --format json")
        let releases = planned["releases"] as? [[String: Any]] ?? []
        #expect(releases.map { $0["id"] as? String } == ["r5", "r4", "r3", "r2", "r1", "r0"], "\(plan.stdout)")
        #expect(releases.map { $0["kept"] as? Bool } == [true, true, false, false, false, false])
        #expect(releases.first?["live"] as? Bool == true)
        let plannedFiles = Set(releases.flatMap { $0["files"] as? [String] ?? [] })
        #expect(plannedFiles == gone.subtracting(["r0/staticfiles.json", "r1/staticfiles.json", "r2/staticfiles.json", "r3/staticfiles.json"]))
        #expect(storedTree(root) == before, "--dry-run deleted something")
        let text = try project.djstatic(["prune", "--keep", "2", "--dry-run"])
        #expect(text.stdout.contains("keep  r5") && text.stdout.contains("live") && text.stdout.contains("drop  r1"), "\(text.summary)")
        #expect(text.stdout.contains("Would delete 4 release manifests"), "\(text.summary)")

        // The prompt: anything but "yes" cancels (exit 1), nothing deleted.
        let declined = try project.djstatic(["prune", "--keep", "2"], input: "no\n")
        #expect(declined.status == 1 && declined.stdout.contains("Type 'yes' to continue"), "\(declined.summary)")
        #expect(declined.stderr.contains("cancelled"))
        #expect(storedTree(root) == before)

        let pruned = try project.djstatic(["prune", "--keep", "2"], input: "yes\n")
        #expect(pruned.status == 0, "\(pruned.summary)")
        let after = storedTree(root)
        #expect(after == expected, "\(Self.describe(expected, after))")
        for release in ["r0", "r1", "r2", "r3"] {
            #expect(!FileManager.default.fileExists(atPath: root + "/" + release), "the empty release directory \(release) stays")
        }
        #expect(FileManager.default.fileExists(atPath: outside.path + "/secret.css") && FileManager.default.fileExists(atPath: project.work.path + "/top.css"))
        #expect(!FileManager.default.fileExists(atPath: root + "/.djstatic/prune-pending.json"), "the journal is removed when done")
        for release in ["r4", "r5"] {
            let missing = try Self.djangoMissingURLs(project, release: release)
            #expect(missing.isEmpty, "Django serving \(release) points at missing files: \(missing)")
        }

        // A re-run has nothing left to do; the old unreferenced file goes only when asked for.
        let again = try project.djstatic(["prune", "--keep", "2", "--noinput"])
        #expect(again.status == 0 && again.stdout.contains("Nothing to prune."), "\(again.summary)")
        #expect(storedTree(root) == expected)
        let aged = try project.djstatic(["prune", "--keep", "2", "--noinput", "--unreferenced-older-than", "30d"])
        #expect(aged.status == 0, "\(aged.summary)")
        var expectedAged = expected
        expectedAged["manual/notes.txt"] = nil
        let afterAged = storedTree(root)
        #expect(afterAged == expectedAged, "\(Self.describe(expectedAged, afterAged))")
    }

    @Test("'café' precomposed and decomposed are two names to Python and two files to prune (one to Swift's String)")
    func canonicallyEquivalentNamesAreTwoFiles() throws {
        let project = try ReleaseProject()
        defer { project.remove() }
        try project.writeSources(deploy: 5)
        let root = project.root
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let (nfc, nfd) = ("caf\u{E9}", "cafe\u{301}")
        func manifest(_ paths: [(String, String)]) -> String {
            "{\"paths\": {" + paths.map { "\"\($0.0)\": \"\($0.1)\"" }.joined(separator: ", ") + "}, \"version\": \"1.1\", \"hash\": \"x\"}"
        }
        // Both releases name both spellings of x/café.css, in opposite orders (a JSON reader that
        // takes the two keys for one keeps a different hashed name of each manifest). Only r1
        // names y/imgé.aaa.png precomposed; its decomposed twin no manifest names. r1 names the
        // decomposed z/ké.ddd.js, the live r2 the precomposed one.
        let shared = [("x/\(nfd).css", "x/\(nfd).bbb.css"), ("x/\(nfc).css", "x/\(nfc).ccc.css")]
        let plain = [("a.txt", "a.111.txt"), ("b.txt", "b.222.txt"), ("c.txt", "c.333.txt")]
        let r1 = shared + [("y/img\(nfc).png", "y/img\(nfc).aaa.png"), ("z/k\(nfd).js", "z/k\(nfd).ddd.js")] + plain
        let r2 = shared.reversed() + [("z/k\(nfc).js", "z/k\(nfc).ddd.js")] + plain
        try CollectCanonicalNamesTests.place(root + "/", "r1/staticfiles.json", manifest(r1))
        try CollectCanonicalNamesTests.place(root + "/", "r2/staticfiles.json", manifest(r2))
        let stored = shared.map(\.1) + plain.map(\.1)
            + ["y/img\(nfc).aaa.png", "y/img\(nfd).aaa.png", "z/k\(nfd).ddd.js", "z/k\(nfc).ddd.js"]
        for name in stored { try CollectCanonicalNamesTests.place(root + "/", name, name) }
        try project.setModified(root + "/r1/staticfiles.json", daysAgo: 2)
        try project.setModified(root + "/r2/staticfiles.json", daysAgo: 1)

        func files() -> Set<[UInt8]> { Set(TreeComparison.entries(root).filter { $0.value.kind == "file" }.keys) }
        let before = files()
        #expect(before.count == stored.count + 2, "the file system keeps both spellings: \(before.count)")
        let pruned = try project.djstatic(["prune", "--keep", "1", "--noinput"], release: "r2")
        #expect(pruned.status == 0, "\(pruned.summary)")
        // Compared and shown as code points ("cafe\u{301}" stays apart from "caf\u{e9}").
        func spelled(_ name: String) -> String {
            name.unicodeScalars.map { $0.isASCII ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined()
        }
        let gone = Set(before.subtracting(files()).map { spelled(String(decoding: $0, as: UTF8.self)) })
        let expected = Set(["r1/staticfiles.json", "y/img\(nfc).aaa.png", "z/k\(nfd).ddd.js"].map(spelled))
        #expect(gone == expected, "deleted: \(gone.sorted()), expected: \(expected.sorted())\n\(pruned.summary)")
        let missing = try Self.djangoMissingURLs(project, release: "r2")
        #expect(missing.isEmpty, "Django serving r2 points at missing files: \(missing)")
    }

    @Test("a manifest naming a file whose name is not UTF-8 (json.dumps writes its surrogate escape): refused, nothing deleted")
    func loneSurrogateInAManifestStopsThePrune() throws {
        let project = try ReleaseProject()
        defer { project.remove() }
        try project.writeSources(deploy: 5)
        let root = project.root
        // Django collects a file named b"\xff.css" as "\udcff.css" (os.fsdecode): its manifest
        // holds the escape, and Swift's String cannot hold the name.
        try project.write(URL(fileURLWithPath: root + "/r1/staticfiles.json"),
                          #"{"paths": {"a.txt": "a.111.txt", "\udcff.css": "\udcff.222.css"}, "version": "1.1", "hash": "x"}"#)
        try project.write(URL(fileURLWithPath: root + "/r2/staticfiles.json"),
                          #"{"paths": {"a.txt": "a.333.txt"}, "version": "1.1", "hash": "x"}"#)
        for name in ["a.111.txt", "a.333.txt"] { try project.write(URL(fileURLWithPath: root + "/" + name), name) }
        try project.setModified(root + "/r1/staticfiles.json", daysAgo: 2)
        try project.setModified(root + "/r2/staticfiles.json", daysAgo: 1)
        let before = storedTree(root)
        let pruned = try project.djstatic(["prune", "--keep", "1", "--noinput"], release: "r2")
        #expect(pruned.status == 1, "\(pruned.summary)")
        #expect(pruned.stderr.contains(root + "/r1/staticfiles.json: the lone surrogate \\udcff"), "\(pruned.summary)")
        #expect(pruned.stderr.contains("nothing is pruned"), "\(pruned.summary)")
        #expect(storedTree(root) == before)
    }

    @Test("--older-than keeps the releases newer than the duration; with --keep, either keeps")
    func olderThan() throws {
        let project = try ReleaseProject()
        defer { project.remove() }
        try project.deployFive()  // r1 5 days ago ... r5 1 day ago
        for (arguments, kept) in [(["--older-than", "3d12h"], ["r5", "r4", "r3"]), (["--older-than", "84h"], ["r5", "r4", "r3"]),
                                  (["--older-than", "1w"], ["r5", "r4", "r3", "r2", "r1"]),
                                  (["--keep", "1", "--older-than", "2d12h"], ["r5", "r4"]),
                                  (["--keep", "4", "--older-than", "12h"], ["r5", "r4", "r3", "r2"])] {
            let plan = try project.djstatic(["prune", "--dry-run", "--format", "json"] + arguments)
            #expect(plan.status == 0, "\(plan.summary)")
            let releases = try jsonObject(plan.stdout, what: "plan")["releases"] as? [[String: Any]] ?? []
            #expect(releases.filter { $0["kept"] as? Bool == true }.compactMap { $0["id"] as? String } == kept, "\(arguments)")
        }
        // .djstatic as a symbolic link out of STATIC_ROOT: the journal is never written through it,
        // so nothing is deleted at all (exit 1), and the file behind the link is untouched.
        let outside = project.work.appendingPathComponent("elsewhere")
        try project.write(outside.appendingPathComponent("prune-pending.json"), "not yours")
        try FileManager.default.createSymbolicLink(atPath: project.root + "/.djstatic", withDestinationPath: outside.path)
        let before = storedTree(project.root)
        let refused = try project.djstatic(["prune", "--keep", "4", "--noinput"])
        #expect(refused.status == 1 && refused.stderr.contains("never follows a symbolic link"), "\(refused.summary)")
        #expect(storedTree(project.root) == before)
        #expect(try String(contentsOf: outside.appendingPathComponent("prune-pending.json"), encoding: .utf8) == "not yours")

        try FileManager.default.removeItem(atPath: project.root + "/.djstatic")
        // A live manifest that cannot be read: nothing is known safe, nothing is deleted (Django's
        // storage already refuses to load it while the settings are evaluated; prune checks too).
        let live = project.root + "/r5/staticfiles.json"
        let liveBytes = try Data(contentsOf: URL(fileURLWithPath: live))
        try Data(liveBytes.prefix(40)).write(to: URL(fileURLWithPath: live))
        let unreadable = try project.djstatic(["prune", "--keep", "1", "--noinput"])
        #expect(unreadable.status != 0 && unreadable.stderr.contains("staticfiles.json"),
                "\(unreadable.summary)")
        try liveBytes.write(to: URL(fileURLWithPath: live))
        #expect(storedTree(project.root) == before.filter { $0.key != ".djstatic" })

        let bad = try project.djstatic(["prune", "--older-than", "soon"])
        #expect(bad.status == 2 && bad.stderr.contains("--older-than expects a duration"), "\(bad.summary)")
        let none = try project.djstatic(["prune", "--dry-run"])
        #expect(none.status == 2 && none.stderr.contains("--keep"), "\(none.summary)")
    }

    /// SIGKILL mid-prune, at a point the test controls: standard output is a 4 KiB pipe nobody
    /// reads, so `prune -v 2` blocks on its first report past 4 KiB -- after every dropped
    /// manifest is deleted and some of the files. The invariant holds in that state, and the
    /// next run finishes the job (the journal names what was left).
    @Test("an interrupted prune never leaves a manifest naming a missing file; a re-run finishes it")
    func interruptedPruneIsFinishedByTheNextRun() throws {
        let project = try ReleaseProject()
        defer { project.remove() }
        try project.deployFive()
        let root = project.root
        let before = storedTree(root)
        let expected = Self.expectedAfterKeepingTwo(before, project, dropped: ["r1", "r2", "r3"], kept: ["r4", "r5"])

        let process = Process()
        process.executableURL = try Paths.djstatic()
        process.arguments = ["prune", "variants/settings.py", "--python-path", Paths.venv("dj52").path, "--keep", "2",
                             "--noinput", "-v", "2"]
        process.environment = project.environment(variant: "release", release: "r5")
        process.currentDirectoryURL = project.project
        let output = Pipe()
        let reader = output.fileHandleForReading.fileDescriptor
        #expect(fcntl(reader, 1031 /* F_SETPIPE_SZ */, 4096) >= 4096)
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Blocked: the pipe is nearly full (no room for one more report line) and stays so.
        var available: Int32 = 0
        var steady = 0
        var last: Int32 = -1
        for _ in 0..<600 where steady < 4 && process.isRunning {
            usleep(50_000)
            _ = withUnsafeMutablePointer(to: &available) { ioctl(reader, UInt(FIONREAD), $0) }
            steady = available >= 3500 && available == last ? steady + 1 : 0
            last = available
        }
        try #require(process.isRunning, "prune finished before the pipe filled: make the scenario bigger")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let reported = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)

        let interrupted = storedTree(root)
        #expect(interrupted["r1/staticfiles.json"] == nil && interrupted["r3/staticfiles.json"] == nil,
                "every dropped manifest goes before any file: \(reported.suffix(400))")
        #expect(interrupted[".djstatic/prune-pending.json"] != nil, "the journal stays until the last file is deleted")
        let deletedSoFar = Set(before.keys).subtracting(interrupted.keys).count
        let toDelete = Set(before.keys).subtracting(expected.keys).count
        #expect(deletedSoFar > 3 && deletedSoFar < toDelete, "interrupted mid-way: \(deletedSoFar) of \(toDelete)")
        // The invariant: every manifest still stored names only files that are there.
        for (name, data) in interrupted where name.hasSuffix("/staticfiles.json") {
            let missing = manifestNames(data).filter { before[$0] != nil && interrupted[$0] == nil }
            #expect(missing.isEmpty, "\(name) names deleted files: \(missing.sorted().prefix(5))")
        }
        #expect(Set(expected.keys).subtracting(interrupted.keys).isEmpty, "a kept file was deleted")

        let rerun = try project.djstatic(["prune", "--keep", "2", "--noinput"])
        #expect(rerun.status == 0, "\(rerun.summary)")
        let after = storedTree(root)
        var expectedAfter = expected
        expectedAfter[".djstatic/prune-pending.json"] = nil
        #expect(after == expectedAfter, "\(Self.describe(expectedAfter, after))")
    }

    @Test("collect --clear with a release-specific manifest storage warns that it deletes earlier releases' files")
    func clearWithReleaseSpecificManifestWarns() throws {
        let project = try ReleaseProject()
        defer { project.remove() }
        try project.writeSources(deploy: 1)
        let release = try project.djstatic(["collect", "--noinput", "--clear", "--dry-run"], release: "r1")
        #expect(release.status == 0 && release.stderr.contains("warning: --clear with a release-specific manifest storage"),
                "\(release.summary)")
        let single = try project.djstatic(["collect", "--noinput", "--clear", "--dry-run"], variant: "manifest", release: nil)
        #expect(single.status == 0 && !single.stderr.contains("warning"), "\(single.summary)")
    }

    /// WhiteNoise's CompressedManifestStaticFilesStorage: a dropped name's .gz/.br siblings go
    /// with it; a kept name's stay.
    @Test("collect --keep-releases 1 with WhiteNoise compression: compressed siblings follow their names")
    func compressedSiblingsFollowTheirNames() throws {
        let project = try ReleaseProject(fixture: "collect-whitenoise", package: "wnproj")
        defer { project.remove() }
        var hashed: [String] = []
        for i in 1...2 {
            try project.writeSources(deploy: i)
            try project.write(project.src.appendingPathComponent("css/big.css"),
                              String(repeating: ".rule-\(i) { color: #\(i)\(i)\(i); margin: 0 auto; }\n", count: 80))
            let deployed = try project.djstatic(["collect", "--noinput", "--keep-releases", "1"], variant: "manifest", release: nil)
            try #require(deployed.status == 0, "deploy \(i): \(deployed.summary)")
            let tree = storedTree(project.root)
            let name = try #require(tree.keys.first { $0.hasPrefix("css/big.") && $0.hasSuffix(".css") && $0 != "css/big.css" && !hashed.contains($0) },
                                    "deploy \(i): no hashed css/big")
            #expect(tree[name + ".gz"] != nil, "deploy \(i): whitenoise compressed \(name)")
            hashed.append(name)
        }
        let tree = storedTree(project.root)
        #expect(tree[hashed[0]] == nil && tree[hashed[0] + ".gz"] == nil && tree[hashed[0] + ".br"] == nil,
                "the dropped release's file and its compressed siblings are gone")
        #expect(tree[hashed[1]] != nil && tree[hashed[1] + ".gz"] != nil && tree["css/big.css.gz"] != nil, "the kept ones stay")
    }

    /// A single staticfiles.json: `collect --keep-releases 2` records each deployed manifest under
    /// .djstatic/releases/ and prunes to the newest two after each deploy; a plain collect writes
    /// no history (Django's tree).
    @Test("collect --keep-releases with a single manifest: recorded history, pruned after each deploy")
    func collectKeepReleases() throws {
        let project = try ReleaseProject()
        defer { project.remove() }
        let root = project.root
        var manifests: [Data] = []
        for i in 1...4 {
            try project.writeSources(deploy: i)
            let collected = try project.djstatic(["collect", "--noinput", "--keep-releases", "2"], variant: "manifest", release: nil)
            try #require(collected.status == 0, "deploy \(i): \(collected.summary)")
            manifests.append(try Data(contentsOf: URL(fileURLWithPath: root + "/staticfiles.json")))
            let records = try FileManager.default.contentsOfDirectory(atPath: root + "/.djstatic/releases").sorted()
            #expect(records.count == min(i, 2), "deploy \(i): \(records)")
            if i >= 3 { #expect(collected.stdout.contains("Deleted 1 release manifest"), "\(collected.summary)") }
        }
        // Re-deploying the same sources records no second copy of the same manifest.
        let again = try project.djstatic(["collect", "--noinput", "--record-release"], variant: "manifest", release: nil)
        #expect(again.status == 0, "\(again.summary)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/.djstatic/releases").count == 2)

        let after = storedTree(root)
        let kept = manifestNames(manifests[2]).union(manifestNames(manifests[3]))
        let onlyDropped = manifestNames(manifests[0]).union(manifestNames(manifests[1])).subtracting(kept)
            .subtracting(fileNames(under: project.src))
        #expect(onlyDropped.count > 2 * ReleaseProject.generated)
        for name in kept { #expect(after[name] != nil, "\(name), named by a kept release, was deleted") }
        for name in onlyDropped { #expect(after[name] == nil, "\(name), named only by dropped releases, is still there") }

        let plain = try project.djstatic(["collect", "--noinput"], variant: "manifest", release: nil,
                                         root: project.work.path + "/plain")
        #expect(plain.status == 0, "\(plain.summary)")
        #expect(!FileManager.default.fileExists(atPath: project.work.path + "/plain/.djstatic"), "a plain collect writes Django's tree only")

        let refused = try project.djstatic(["collect", "--noinput", "--no-post-process", "--keep-releases", "2"], variant: "manifest",
                                           release: nil, root: project.work.path + "/refused")
        #expect(refused.status == 2 && refused.stderr.contains("--keep-releases"), "\(refused.summary)")
    }
}
