import Foundation
import Testing

/// One collect scenario: a project, a Django venv, and the collectstatic arguments of each run
/// (several runs exercise re-runs, --clear after a first run, mode switches...).
struct CollectScenario: CustomTestStringConvertible, Sendable {
    var name: String
    var fixture: String
    var settingsFile: String
    var venv: String
    var runs: [[String]]
    var environment: [String: String] = [:]

    var testDescription: String { "\(name) [\(venv)]" }
}

enum CollectScenarios {
    static let golden = "collect-golden"
    static let goldenSettings = "golden/settings.py"
    static let plain = ["STATIC_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"]

    static func all(_ venv: String) -> [CollectScenario] {
        [
            CollectScenario(name: "manifest, first run and unchanged re-run", fixture: golden, settingsFile: goldenSettings,
                            venv: venv, runs: [["--noinput"], ["--noinput"]]),
            CollectScenario(name: "manifest, verbosity 2 then re-run", fixture: golden, settingsFile: goldenSettings,
                            venv: venv, runs: [["--noinput", "-v", "2"], ["--noinput", "-v", "2"]]),
            CollectScenario(name: "plain storage, run, re-run, clear", fixture: golden, settingsFile: goldenSettings, venv: venv,
                            runs: [["--noinput", "-v", "2"], ["--noinput"], ["--noinput", "--clear", "-v", "2"]],
                            environment: plain),
            CollectScenario(name: "dry run on empty then on filled root", fixture: golden, settingsFile: goldenSettings,
                            venv: venv, runs: [["--noinput", "--dry-run", "-v", "2"], ["--noinput"], ["--noinput", "-n", "--clear"]]),
            CollectScenario(name: "link mode, re-run, switch back to copies", fixture: golden, settingsFile: goldenSettings,
                            venv: venv, runs: [["--noinput", "--link"], ["--noinput", "-l", "-v", "2"], ["--noinput"]]),
            CollectScenario(name: "ignore patterns and no default ignores", fixture: golden, settingsFile: goldenSettings,
                            venv: venv, runs: [["--noinput", "-i", "admin", "-i", "*.map", "-i", "names/*", "--no-default-ignore"]]),
            CollectScenario(name: "no post-processing", fixture: golden, settingsFile: goldenSettings, venv: venv,
                            runs: [["--noinput", "--no-post-process"]]),
            CollectScenario(name: "verbosity 0", fixture: golden, settingsFile: goldenSettings, venv: venv,
                            runs: [["--noinput", "-v", "0"]]),
            // Real apps from PyPI (pinned by Scripts/bootstrap): admin, DRF, debug-toolbar, jazzmin,
            // drf-spectacular-sidecar, ckeditor, grappelli: ~2,100 files, 35 MB, big JS bundles.
            CollectScenario(name: "real apps corpus, manifest, run and unchanged re-run", fixture: "collect-corpus",
                            settingsFile: "corpus/settings.py", venv: venv, runs: [["--noinput"], ["--noinput"]]),
        ]
    }
}

@Suite("collect is byte-identical to manage.py collectstatic")
struct CollectConformanceTests {
    static let scenarios = ["dj42", "dj52", "dj61"].flatMap(CollectScenarios.all)

    @Test(arguments: scenarios)
    func sameTreeAndOutput(_ scenario: CollectScenario) throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-collect-\(UUID().uuidString)")
        let djangoRoot = work.appendingPathComponent("django").path
        let ourRoot = work.appendingPathComponent("djstatic").path
        defer { try? FileManager.default.removeItem(at: work) }
        let directory = Paths.fixtures.appendingPathComponent(scenario.fixture)
        for (index, arguments) in scenario.runs.enumerated() {
            let label = "\(scenario.testDescription) run \(index + 1) \(arguments.joined(separator: " "))"
            var environment = Paths.baseEnvironment()
            environment.merge(scenario.environment) { $1 }
            environment["STATIC_ROOT"] = djangoRoot
            let django = try runProcess(Paths.python(scenario.venv), ["manage.py", "collectstatic"] + arguments,
                                        environment: environment, currentDirectory: directory)
            environment["STATIC_ROOT"] = ourRoot
            let ours = try runProcess(try Paths.djstatic(),
                                      ["collect", scenario.settingsFile, "--python-path", Paths.venv(scenario.venv).path] + arguments,
                                      environment: environment, currentDirectory: directory)
            #expect(ours.status == django.status, "\(label): exit status\ndjango: \(django.summary)\ndjstatic: \(ours.summary)")
            #expect(ours.stdout.replacingOccurrences(of: ourRoot, with: "<ROOT>")
                    == django.stdout.replacingOccurrences(of: djangoRoot, with: "<ROOT>"),
                    "\(label): stdout differs\n--- django ---\n\(django.stdout.suffix(3000))\n--- djstatic ---\n\(ours.stdout.suffix(3000))")
            let differences = TreeComparison.differences(djangoRoot, ourRoot)
            let shown = differences.prefix(20).joined(separator: "\n")
            #expect(differences.isEmpty, "\(label): output trees differ (\(differences.count)):\n\(shown)")
        }
    }
}

/// Compares two directory trees: entry kinds, file bytes, permission bits, symlink targets.
enum TreeComparison {
    struct Entry: Equatable {
        var kind: String
        var mode: UInt16
        var content: Data?
        var link: String?
    }

    /// Every entry under `root` by its relative path's bytes (a String key would merge names that
    /// are canonically equivalent, "café" precomposed and decomposed, two files on disk).
    static func entries(_ root: String) -> [[UInt8]: Entry] {
        var out: [[UInt8]: Entry] = [:]
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: root) else { return out }
        for case let relative as String in walker {
            let path = root + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let mode = UInt16(info.st_mode & 0o7777)
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                out[Array(relative.utf8)] = Entry(kind: "symlink", mode: 0, link: try? fm.destinationOfSymbolicLink(atPath: path))
            case S_IFDIR:
                out[Array(relative.utf8)] = Entry(kind: "dir", mode: mode)
            default:
                out[Array(relative.utf8)] = Entry(kind: "file", mode: mode, content: fm.contents(atPath: path))
            }
        }
        return out
    }

    static func differences(_ expected: String, _ actual: String) -> [String] {
        let a = entries(expected), b = entries(actual)
        var out: [String] = []
        let rootsExist = (FileManager.default.fileExists(atPath: expected), FileManager.default.fileExists(atPath: actual))
        if rootsExist.0 != rootsExist.1 { out.append("root exists: django \(rootsExist.0), djstatic \(rootsExist.1)") }
        for bytes in Set(a.keys).union(b.keys).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let key = String(decoding: bytes, as: UTF8.self)
            switch (a[bytes], b[bytes]) {
            case (nil, _?): out.append("only djstatic wrote \(key)")
            case (_?, nil): out.append("only django wrote \(key)")
            case (let x?, let y?) where x != y:
                var what: [String] = []
                if x.kind != y.kind { what.append("kind \(x.kind) vs \(y.kind)") }
                if x.mode != y.mode { what.append("mode \(String(x.mode, radix: 8)) vs \(String(y.mode, radix: 8))") }
                if x.content != y.content {
                    let left = x.content.map { String(decoding: $0.prefix(300), as: UTF8.self) } ?? "nil"
                    let right = y.content.map { String(decoding: $0.prefix(300), as: UTF8.self) } ?? "nil"
                    what.append("content:\n  django:   \(left.debugDescription)\n  djstatic: \(right.debugDescription)")
                }
                if x.link != y.link { what.append("link \(x.link ?? "-") vs \(y.link ?? "-")") }
                out.append("\(key): " + what.joined(separator: "; "))
            default: break
            }
        }
        return out
    }
}
