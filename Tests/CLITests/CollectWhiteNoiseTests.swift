import Foundation
import Testing

/// Differential tests of WhiteNoise's compressing storages (fixtures/collect-whitenoise, and the
/// real-apps corpus): whitenoise's own `manage.py collectstatic` and `djstatic collect` on the
/// same project into two roots; exit status, stdout (sorted at -v 2, where whitenoise's thread pool
/// yields in completion order), normalised stderr and the trees (bytes and modes) must match.
struct WhiteNoiseScenario: CustomTestStringConvertible, Sendable {
    typealias Run = CollectVariantScenario.Run

    var name: String
    var venv: String
    var fixture = "collect-whitenoise"
    var settingsFile = "wnproj/settings.py"
    var environment: [String: String] = [:]
    var runs: [Run]

    var testDescription: String { "\(name) [\(venv)]" }
}

enum WhiteNoiseScenarios {
    typealias Run = WhiteNoiseScenario.Run
    static let plain = ["STATIC_BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"]
    static let manifest = ["STATIC_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"]

    static func common(_ venv: String) -> [WhiteNoiseScenario] {
        [
            WhiteNoiseScenario(name: "manifest, fresh and unchanged re-run", venv: venv,
                               runs: [Run(arguments: ["--noinput"]), Run(arguments: ["--noinput", "-v", "2"])]),
            WhiteNoiseScenario(name: "manifest, a missing CSS reference", venv: venv, environment: ["WN_BROKEN": "1"],
                               runs: [Run(arguments: ["--noinput"], djangoStatus: 1)]),
        ]
    }

    static let dj52: [WhiteNoiseScenario] = common("dj52") + [
        WhiteNoiseScenario(name: "manifest, keep only hashed files, fresh and re-run", venv: "dj52",
                           environment: ["WN_KEEP_ONLY": "1"],
                           runs: [Run(arguments: ["--noinput", "-v", "2"]), Run(arguments: ["--noinput"])]),
        WhiteNoiseScenario(name: "manifest, then keep only hashed files on the same root", venv: "dj52", runs: [
            Run(arguments: ["--noinput"]), Run(arguments: ["--noinput"], environment: ["WN_KEEP_ONLY": "1"]),
            Run(arguments: ["--noinput"]),
        ]),
        WhiteNoiseScenario(name: "compressed storage: fresh, re-run, clear, link", venv: "dj52", environment: plain, runs: [
            Run(arguments: ["--noinput", "-v", "2"]), Run(arguments: ["--noinput"]),
            Run(arguments: ["--noinput", "--clear"]), Run(arguments: ["--noinput", "--clear", "--link"]),
        ]),
        WhiteNoiseScenario(name: "no brotli module, skip list override", venv: "dj52",
                           environment: ["WN_NO_BROTLI": "1", "WN_SKIP": "txt,JPG"],
                           runs: [Run(arguments: ["--noinput"]), Run(arguments: ["--noinput"], environment: plain)]),
        WhiteNoiseScenario(name: "empty skip list compresses everything", venv: "dj52", environment: ["WN_SKIP": "-"],
                           runs: [Run(arguments: ["--noinput"])]),
        WhiteNoiseScenario(name: "dry run and no post-processing", venv: "dj52", runs: [
            Run(arguments: ["--noinput", "--dry-run"]), Run(arguments: ["--noinput", "--no-post-process"]),
            Run(arguments: ["--noinput", "--dry-run", "-v", "2"]),
        ]),
    ]

    static let corpus = WhiteNoiseScenario(
        name: "real apps corpus, manifest, fresh and unchanged re-run", venv: "dj52", fixture: "collect-corpus",
        settingsFile: "corpus/settings.py", environment: manifest,
        runs: [Run(arguments: ["--noinput"]), Run(arguments: ["--noinput"])])
}

@Suite("collect with WhiteNoise storages is byte-identical to whitenoise's collectstatic")
struct CollectWhiteNoiseTests {
    static let scenarios = WhiteNoiseScenarios.dj52 + WhiteNoiseScenarios.common("dj42") + WhiteNoiseScenarios.common("dj61")
        + [WhiteNoiseScenarios.corpus]

    @Test(arguments: scenarios)
    func sameTreeAndOutput(_ scenario: WhiteNoiseScenario) throws {
        var pair = CollectPair(project: Paths.fixtures.appendingPathComponent(scenario.fixture),
                               settingsFile: scenario.settingsFile, venv: scenario.venv, environment: scenario.environment)
        pair.environment["DJSTATIC_COMPRESS_CACHE"] = pair.work.appendingPathComponent("cache").path
        defer { pair.removeWork() }
        for (index, run) in scenario.runs.enumerated() {
            let label = "\(scenario.testDescription) run \(index + 1) \(run.arguments.joined(separator: " "))"
                + (run.environment.isEmpty ? "" : " \(run.environment)")
            let outcome = try pair.run(run.arguments, extraEnvironment: run.environment)
            #expect(outcome.django.status == run.djangoStatus,
                    "\(label): scenario assumption: Django exit status\n\(outcome.django.summary.suffix(1500))")
            if run.arguments.contains("2") {  // -v 2: compare the lines, not their (thread pool) order
                let out = pair.stdout(outcome)
                #expect(Self.sortedLines(out.django) == Self.sortedLines(out.ours), "\(label): stdout lines differ")
                var ordered = outcome
                ordered.django.stdout = ""
                ordered.ours.stdout = ""
                pair.expectSame(label, ordered)
            } else {
                pair.expectSame(label, outcome)
            }
        }
        try checkDjangoAssumptions(scenario, pair.djangoRoot)
    }

    static func sortedLines(_ text: String) -> [String] { text.components(separatedBy: "\n").sorted() }

    /// Guards on what whitenoise itself did, so that a scenario that stops exercising its feature is noticed.
    func checkDjangoAssumptions(_ scenario: WhiteNoiseScenario, _ root: String) throws {
        guard scenario.fixture == "collect-whitenoise" else { return }
        let fm = FileManager.default
        let keepOnly = scenario.environment["WN_KEEP_ONLY"] == "1"
        switch scenario.name {
        case _ where scenario.environment["WN_BROKEN"] == "1":
            #expect(!fm.fileExists(atPath: root + "/staticfiles.json"))
        case _ where scenario.environment["WN_NO_BROTLI"] == "1":
            let names = try fm.subpathsOfDirectory(atPath: root)
            #expect(!names.contains { $0.hasSuffix(".br") })
            #expect(!names.contains { $0.hasPrefix("data/words") && $0.hasSuffix(".gz") })  // txt skipped
        case _ where scenario.environment["WN_SKIP"] == "-":
            #expect(fm.fileExists(atPath: root + "/fonts/x.woff2.gz"))  // compressible, skipped by default
        case _ where scenario.name.hasPrefix("dry run"):
            break
        default:
            // A short text Brotli shrinks but gzip does not; an incompressible file; an empty one.
            let short = keepOnly ? try fm.contentsOfDirectory(atPath: root + "/data").first { $0.hasPrefix("short.") && $0.hasSuffix(".txt") } ?? ""
                                 : "short.txt"
            #expect(fm.fileExists(atPath: root + "/data/\(short).br"))
            #expect(!fm.fileExists(atPath: root + "/data/\(short).gz"))
            #expect(!fm.fileExists(atPath: root + "/data/random.bin.gz") && !fm.fileExists(atPath: root + "/data/empty.txt.gz"))
            #expect(!fm.fileExists(atPath: root + "/img/logo.png.gz") && !fm.fileExists(atPath: root + "/fonts/x.woff2.gz"))
            #expect(fm.fileExists(atPath: root + "/js/vendor.min.js.gz") == !keepOnly)
        }
    }

    /// An unchanged re-run compresses nothing: every cached output stays the file it was (a
    /// recompression would store a new one), and a fresh root is filled from the cache alone.
    @Test func unchangedRerunRecompressesNothing() throws {
        var pair = CollectPair(project: Paths.fixtures.appendingPathComponent("collect-whitenoise"),
                               settingsFile: "wnproj/settings.py", venv: "dj52")
        let cache = pair.work.appendingPathComponent("cache").path
        pair.environment["DJSTATIC_COMPRESS_CACHE"] = cache
        defer { pair.removeWork() }
        pair.expectSame("first run", try pair.run(["--noinput"]))
        let before = Self.cacheEntries(cache)
        #expect(before.count > 10)
        pair.expectSame("unchanged re-run", try pair.run(["--noinput"]))
        try FileManager.default.removeItem(atPath: pair.djangoRoot)
        try FileManager.default.removeItem(atPath: pair.ourRoot)
        pair.expectSame("fresh root, warm cache", try pair.run(["--noinput"]))
        #expect(Self.cacheEntries(cache) == before)
    }

    /// Cache entry path → inode and mtime (scratch files excluded).
    static func cacheEntries(_ cache: String) -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for path in (try? FileManager.default.subpathsOfDirectory(atPath: cache)) ?? [] where !path.hasPrefix("tmp") {
            var info = stat()
            guard stat(cache + "/" + path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            out[path] = [Int(info.st_ino), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
        }
        return out
    }
}
