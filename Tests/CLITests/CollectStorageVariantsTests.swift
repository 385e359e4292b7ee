import Foundation
import Testing

/// Differential tests of project-defined and configured static storages
/// (fixtures/collect-variants, configuration chosen by VARIANT): JS module import aggregation,
/// keep_intermediate_files, manifest_strict = False, upload permissions, a release-specific
/// manifest location from OPTIONS, prefixed / doubly listed STATICFILES_DIRS roots, and a
/// subclass with its own reference patterns.
struct CollectVariantScenario: CustomTestStringConvertible, Sendable {
    struct Run: Sendable {
        var arguments: [String]
        var environment: [String: String] = [:]
        /// Django's expected exit status (a guard on the scenario itself).
        var djangoStatus: Int32 = 0
    }

    var name: String
    var variant: String
    var venv: String
    var runs: [Run]

    var testDescription: String { "\(name) [\(venv)]" }
}

enum CollectVariantScenarios {
    typealias Run = CollectVariantScenario.Run

    static func all(_ venv: String) -> [CollectVariantScenario] {
        var scenarios = [
            CollectVariantScenario(name: "JS module import aggregation", variant: "aggregation", venv: venv, runs: [
                Run(arguments: ["--noinput", "-v", "2"]), Run(arguments: ["--noinput"]),
                Run(arguments: ["--noinput", "--clear"]),
            ]),
            CollectVariantScenario(name: "keep_intermediate_files = True", variant: "intermediate", venv: venv, runs: [
                Run(arguments: ["--noinput", "-v", "2"]), Run(arguments: ["--noinput"]),
            ]),
            CollectVariantScenario(name: "manifest_strict = False", variant: "nonstrict", venv: venv, runs: [
                Run(arguments: ["--noinput"]), Run(arguments: ["--noinput", "-v", "2"]),
            ]),
            CollectVariantScenario(name: "upload permissions 0o640 / 0o750", variant: "permissions", venv: venv, runs: [
                Run(arguments: ["--noinput"]), Run(arguments: ["--noinput", "-v", "2"]),
                Run(arguments: ["--noinput", "--link", "-v", "2"]), Run(arguments: ["--noinput", "--clear"]),
            ]),
            CollectVariantScenario(name: "upload permissions, link mode into a fresh root", variant: "permissions", venv: venv,
                                   runs: [Run(arguments: ["--noinput", "--link"])]),
            CollectVariantScenario(name: "release-specific manifest location", variant: "release", venv: venv, runs: [
                Run(arguments: ["--noinput"], environment: ["RELEASE_ID": "r2024.1"]),
                Run(arguments: ["--noinput"], environment: ["RELEASE_ID": "r2024.2"]),
                Run(arguments: ["--noinput", "-v", "2"], environment: ["RELEASE_ID": "r2024.2"]),
            ]),
            CollectVariantScenario(name: "a subclass's own patterns and templates", variant: "patterns", venv: venv, runs: [
                Run(arguments: ["--noinput", "-v", "2"]), Run(arguments: ["--noinput"]),
            ]),
            CollectVariantScenario(name: "vendor prefix and one root under two prefixes", variant: "prefixes", venv: venv, runs: [
                Run(arguments: ["--noinput", "-v", "2"]), Run(arguments: ["--noinput"]),
                Run(arguments: ["--noinput", "--clear"]),
            ]),
        ]
        // References only 6.1 accepts (bare dynamic import, imports in comments/strings/template
        // literals naming missing files): success on 6.1, a post-processing failure before.
        let sixOne = venv == "dj61"
        scenarios.append(CollectVariantScenario(
            name: sixOne ? "JS module aggregation, 6.1-only references" : "JS module aggregation, 6.1-only references fail",
            variant: "aggregation61", venv: venv,
            runs: [Run(arguments: ["--noinput", "-v", "2"], djangoStatus: sixOne ? 0 : 1),
                   Run(arguments: ["--noinput"], djangoStatus: sixOne ? 0 : 1)]))
        return scenarios
    }
}

@Suite("collect with storage variants is byte-identical to collectstatic")
struct CollectStorageVariantsTests {
    static let scenarios = ["dj42", "dj52", "dj61"].flatMap(CollectVariantScenarios.all)
    static let fixture = Paths.fixtures.appendingPathComponent("collect-variants")

    @Test(arguments: scenarios)
    func sameTreeAndOutput(_ scenario: CollectVariantScenario) throws {
        let pair = CollectPair(project: Self.fixture, settingsFile: "variants/settings.py", venv: scenario.venv,
                               environment: ["VARIANT": scenario.variant])
        defer { pair.removeWork() }
        for (index, run) in scenario.runs.enumerated() {
            let label = "\(scenario.testDescription) run \(index + 1) \(run.arguments.joined(separator: " "))"
                + (run.environment.isEmpty ? "" : " \(run.environment)")
            let outcome = try pair.run(run.arguments, extraEnvironment: run.environment)
            #expect(outcome.django.status == run.djangoStatus,
                    "\(label): scenario assumption: Django exit status\n\(outcome.django.summary.suffix(1500))")
            pair.expectSame(label, outcome)
            let modes = [pair.djangoRoot, pair.ourRoot].map { Self.mode($0).map { String($0, radix: 8) } ?? "-" }
            #expect(modes[0] == modes[1], "\(label): STATIC_ROOT's own mode: django \(modes[0]), djstatic \(modes[1])")
        }
        try checkDjangoAssumptions(scenario, pair.djangoRoot)
    }

    /// djstatic reads the sources ahead from a preview taken when the app configs exist; an app's
    /// ready() then adds a root, switches STORAGES to a storage with another manifest name and
    /// rewrites a source in place at the same size and mtime. djstatic collects the changed state byte for byte as Django does,
    /// its read-ahead answered for the unchanged files, and the changed file's entry was refused.
    @Test(arguments: ["dj42", "dj52", "dj61"])
    func readyChangesAfterThePreview(_ venv: String) throws {
        let pair = CollectPair(project: Self.fixture, settingsFile: "variants/settings.py", venv: venv,
                               environment: ["VARIANT": "ready", "DJSTATIC_TRACE": "1"])
        defer { pair.removeWork() }
        try Self.writeBesideRoots(pair, [("late-", "late.css", ".late{color:red}\n"),
                                         ("added-", "added.css", ".added{background:url(late.css)}\n")])
        let outcome = try pair.run(["--noinput"])
        #expect(outcome.django.status == 0, "\(outcome.django.summary.suffix(1500))")
        pair.expectSame("\(venv) ready", outcome, stderr: false)
        #expect(outcome.django.stderr.isEmpty, "\(outcome.django.stderr)")
        let trace = outcome.ours.stderr.split(separator: "\n").filter { $0.hasPrefix("djstatic-trace: ") }
        #expect(trace.count == 1 && outcome.ours.stderr.split(separator: "\n").count == 1, "\(outcome.ours.stderr)")
        let counts = CollectTraceLine(String(trace.first ?? ""))
        #expect(counts.previewed && counts.stale == 1 && counts.read == 8 && counts.answered == 7, "\(outcome.ours.stderr)")
        // added.css refers to late.css, rewritten before it: its rewrite computed ahead is not taken.
        #expect(counts.taken >= 1 && counts.taken < counts.computed, "\(outcome.ours.stderr)")
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: pair.djangoRoot + "/after-ready.json") && fm.fileExists(atPath: pair.djangoRoot + "/added.css"))
        let collected = try fm.contentsOfDirectory(atPath: pair.ourRoot).filter { $0.hasPrefix("late.") && $0 != "late.css" }
        #expect(collected.count == 1)
        let hashed = try String(contentsOfFile: pair.ourRoot + "/" + (collected.first ?? ""), encoding: .utf8)
        #expect(hashed == ".late{color:tan}\n", "ready()'s bytes, not the ones read ahead")
    }

    /// djstatic rewrites the CSS/JS ahead while the setup runs, from the preview; an app's ready()
    /// then rewrites a file in place (same size and mtime) that another file refers to before the
    /// first pass reaches it. The settings did not change, so the rewrites computed ahead are
    /// offered to the pass, which takes those whose sources, lookups and stored files are as they
    /// were, and refuses deep/deep.css's, computed from late.css's earlier bytes (the storage
    /// keeps intermediate files, so what the first pass wrote stays in the tree).
    @Test(arguments: ["dj42", "dj52", "dj61"])
    func rewritesComputedDuringSetupAreCheckedAgainstTheCollectedFiles(_ venv: String) throws {
        let pair = CollectPair(project: Self.fixture, settingsFile: "variants/settings.py", venv: venv,
                               environment: ["VARIANT": "settled", "DJSTATIC_TRACE": "1"])
        defer { pair.removeWork() }
        try Self.writeBesideRoots(pair, [("late-", "late.css", ".late{color:red}\n"),
                                         ("late-", "deep/deep.css", ".deep{background:url(../late.css)}\n")])
        let outcome = try pair.run(["--noinput"])
        #expect(outcome.django.status == 0, "\(outcome.django.summary.suffix(1500))")
        pair.expectSame("\(venv) settled", outcome, stderr: false)
        let trace = outcome.ours.stderr.split(separator: "\n").filter { $0.hasPrefix("djstatic-trace: ") }
        let counts = CollectTraceLine(String(trace.first ?? ""))
        // late.css, which ready() changed, is read and rewritten again after setup.
        #expect(counts.duringSetup >= 2 && counts.computed == counts.duringSetup + 1, "\(outcome.ours.stderr)")
        #expect(counts.taken >= 1 && counts.taken < counts.computed, "\(outcome.ours.stderr)")
        let late = try FileManager.default.contentsOfDirectory(atPath: pair.ourRoot).filter { $0.hasPrefix("late.") && $0 != "late.css" }
        #expect(late.count == 1)
        let deep = try FileManager.default.contentsOfDirectory(atPath: pair.ourRoot + "/deep").filter { $0 != "deep.css" }
        #expect(deep.count == 2, "an intermediate and a final hashed file: \(deep)")
        for name in deep {  // both name late.css's hashed copy of ready()'s bytes
            let text = try String(contentsOfFile: pair.ourRoot + "/deep/" + name, encoding: .utf8)
            #expect(text == ".deep{background:url(\"../\(late.first ?? "")\")}\n", "\(name): \(text)")
        }
    }

    /// Writes each file into `<prefix><root name>/<path>` beside each tool's STATIC_ROOT (the
    /// roots the "ready" and "settled" variants add), then waits out the read-ahead's racy window
    /// so that they are read ahead.
    static func writeBesideRoots(_ pair: CollectPair, _ files: [(prefix: String, path: String, text: String)]) throws {
        for root in [pair.djangoRoot, pair.ourRoot] {
            for (prefix, path, text) in files {
                let url = pair.work.appendingPathComponent(prefix + URL(fileURLWithPath: root).lastPathComponent + "/" + path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
        }
        Thread.sleep(forTimeInterval: 2.2)
    }

    /// A storage that overrides `_save` is not reproduced natively: djstatic runs Django's own
    /// collectstatic (same output, tree and exit status) and says why in one line; --native-only
    /// refuses instead.
    @Test(arguments: ["dj42", "dj52", "dj61"])
    func storageOverridingMethodsFallsBackToDjango(_ venv: String) throws {
        let pair = CollectPair(project: Self.fixture, settingsFile: "variants/settings.py", venv: venv,
                               environment: ["VARIANT": "banner"])
        defer { pair.removeWork() }
        for arguments in [["--noinput", "-v", "2"], ["--noinput"], ["--noinput", "--clear", "-v", "0"]] {
            let outcome = try pair.run(arguments)
            #expect(outcome.django.status == 0, "\(outcome.django.summary.suffix(1500))")
            pair.expectSame("\(venv) banner \(arguments)", outcome, stderr: false)
            #expect(outcome.ours.stderr.contains("overrides _save") && outcome.ours.stderr.contains("running Django's own collectstatic"),
                    "\(outcome.ours.summary)")
        }
        let banner = try String(contentsOfFile: pair.ourRoot + "/css/base.css", encoding: .utf8)
        #expect(banner.hasPrefix("/* (c) example.org */"), "the project's _save ran")
        let refused = try runProcess(try Paths.djstatic(), ["collect", "variants/settings.py", "--noinput", "--native-only",
                                                            "--python-path", Paths.venv(venv).path],
                                     environment: Paths.baseEnvironment().merging(["VARIANT": "banner", "STATIC_ROOT": pair.work.path + "/refused"]) { $1 },
                                     currentDirectory: Self.fixture)
        #expect(refused.status == 2 && refused.stderr.contains("overrides _save"), "\(refused.summary)")
        #expect(!FileManager.default.fileExists(atPath: pair.work.path + "/refused"))
    }

    /// collectstatic runs the system checks its command requires (tag staticfiles) before it
    /// collects: their warnings go to standard error first, a serious one stops it (exit 1,
    /// nothing written), --skip-checks skips them. djstatic runs Django's own check on the
    /// project's command: the same bytes on both streams, the same exit status and tree.
    @Test(arguments: ["dj42", "dj52", "dj61"])
    func systemChecksRunAsCollectstaticRunsThem(_ venv: String) throws {
        for (variant, arguments) in [("checkwarning", ["--noinput"]), ("checkwarning", ["--noinput", "--skip-checks"]),
                                     ("checkerror", ["--noinput", "-v", "0"]), ("checkerror", ["--noinput", "--no-color"])] {
            let pair = CollectPair(project: Self.fixture, settingsFile: "variants/settings.py", venv: venv,
                                   environment: ["VARIANT": variant])
            defer { pair.removeWork() }
            let label = "\(venv) \(variant) \(arguments)"
            let outcome = try pair.run(arguments)
            pair.expectSame(label, outcome)
            // What Django did, so that a variant that stops exercising the checks is noticed.
            switch variant {
            case "checkwarning":
                #expect(outcome.django.status == 0, "\(label): \(outcome.django.summary)")
                #expect(outcome.django.stderr.contains("(staticfiles.W004)") == !arguments.contains("--skip-checks"), "\(label)")
            default:
                #expect(outcome.django.status == 1 && outcome.django.stderr.contains("SystemCheckError")
                        && outcome.django.stderr.contains("(staticfiles.E002)"), "\(label): \(outcome.django.summary)")
                #expect(!FileManager.default.fileExists(atPath: pair.ourRoot), "\(label): nothing is collected")
            }
        }
    }

    /// What the settings and an app's ready() print and warn reaches each stream as manage.py
    /// shows it, before the checks' and the collect's output; when Django's own collectstatic
    /// collects instead (banner), once, by it.
    @Test(arguments: ["dj42", "dj52", "dj61"])
    func whatTheProjectPrintsIsShownAsManagePyShowsIt(_ venv: String) throws {
        for variant in ["checkwarning", "banner"] {
            let pair = CollectPair(project: Self.fixture, settingsFile: "variants/settings.py", venv: venv,
                                   environment: ["VARIANT": variant, "NOISY": "1"])
            defer { pair.removeWork() }
            let outcome = try pair.run(["--noinput"])
            let native = variant != "banner"
            pair.expectSame("\(venv) \(variant) noisy", outcome, stderr: native)
            let stderr = pair.stderr(outcome)
            if !native {  // djstatic's one line saying why, then Django's own output
                #expect(stderr.ours.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).last.map(String.init)
                        == stderr.django, "\(venv) \(variant)")
            }
            for line in ["settings: to stderr", "UserWarning: settings: warned", "ready(): to stderr", "UserWarning: ready(): warned"] {
                #expect(stderr.django.components(separatedBy: line).count == 2, "\(venv) \(variant): Django printed \(line) once")
            }
            #expect(outcome.django.stdout.hasPrefix("settings: printed\nready(): printed\n"), "\(outcome.django.stdout)")
        }
    }

    /// --traceback and --force-color change what collectstatic prints (a traceback, colours off a
    /// terminal) in ways djstatic's native collect does not: Django's own command collects, after
    /// one line saying so; its output, the checks' coloured warning included, is Django's.
    @Test func tracebackAndForceColorAreCollectedByDjango() throws {
        for flag in ["--traceback", "--force-color"] {
            let pair = CollectPair(project: Self.fixture, settingsFile: "variants/settings.py", venv: "dj52",
                                   environment: ["VARIANT": "checkwarning"])
            defer { pair.removeWork() }
            let outcome = try pair.run(["--noinput", flag])
            pair.expectSame(flag, outcome, stderr: false)
            let stderr = pair.stderr(outcome)
            let lines = stderr.ours.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            #expect(lines.first.map(String.init) == "djstatic: not collecting natively (\(flag) changes output djstatic's native collect does not produce); "
                    + "running Django's own collectstatic", "\(stderr.ours)")
            #expect(lines.last.map(String.init) == stderr.django, "\(flag)")
            #expect(stderr.django.contains("(staticfiles.W004)") && stderr.django.contains("\u{1B}[") == (flag == "--force-color"),
                    "\(flag): \(stderr.django.debugDescription)")
        }
    }

    /// manage.py runs the collectstatic of the first installed app that has one. When it is not
    /// Django's (Collectfast's, a project's own), djstatic runs that command and says why.
    @Test(arguments: ["dj42", "dj52", "dj61"])
    func anotherAppsCollectstaticRunsItself(_ venv: String) throws {
        let pair = CollectPair(project: Self.fixture, settingsFile: "variants/settings.py", venv: venv,
                               environment: ["VARIANT": "command"])
        defer { pair.removeWork() }
        let outcome = try pair.run(["--noinput"])
        pair.expectSame("\(venv) command", outcome, stderr: false)
        #expect(outcome.ours.stderr.contains("manage.py collectstatic is the command of the app variants.command"),
                "\(outcome.ours.summary)")
        #expect(FileManager.default.fileExists(atPath: pair.ourRoot + "/VERSION"), "the project's command ran")
    }

    /// On a Django djstatic does not reproduce (4.1), collect runs Django's own collectstatic and
    /// names the version; --native-only refuses, exit status 2.
    @Test func anotherDjangoVersionIsCollectedByDjango() throws {
        let pair = CollectPair(project: Self.fixture, settingsFile: "variants/settings.py", venv: "dj41")
        defer { pair.removeWork() }
        let outcome = try pair.run(["--noinput", "-v", "2"])
        #expect(outcome.django.status == 0, "\(outcome.django.summary)")
        pair.expectSame("dj41", outcome, stderr: false)
        #expect(outcome.ours.stderr.contains("Django 4.1") && outcome.ours.stderr.contains("running Django's own collectstatic"),
                "\(outcome.ours.summary)")
        try FileManager.default.removeItem(atPath: pair.ourRoot)
        let refused = try pair.runOurs(["--noinput", "--native-only"])
        #expect(refused.status == 2 && refused.stderr.contains("is not a version djstatic reproduces"), "\(refused.summary)")
        #expect(!FileManager.default.fileExists(atPath: pair.ourRoot))
    }

    /// The settings read STATIC_ROOT from the environment: unset, collect stops there (exit 2, the
    /// statement named) as manage.py does, instead of collecting into a placeholder directory.
    @Test func unsetEnvironmentVariableStopsTheCollect() throws {
        var pair = CollectPair(project: Self.fixture, settingsFile: "variants/settings.py", venv: "dj52")
        defer { pair.removeWork() }
        pair.setStaticRoot = false
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: Self.fixture.path))
        let result = try pair.runOurs(["--noinput"])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderr.hasPrefix("variants/settings.py:") && result.stderr.contains("error[EVAL001]")
                && result.stderr.contains("'STATIC_ROOT' is not set"), "\(result.summary)")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: Self.fixture.path)) == before, "nothing is written")
    }

    static func mode(_ path: String) -> UInt16? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt16(info.st_mode & 0o7777) : nil
    }

    /// Guards on what Django itself did, so that a scenario that stops exercising its feature is noticed.
    func checkDjangoAssumptions(_ scenario: CollectVariantScenario, _ root: String) throws {
        let fm = FileManager.default
        switch scenario.variant {
        case "release":
            #expect(fm.fileExists(atPath: root + "/r2024.1/staticfiles.json"))
            #expect(fm.fileExists(atPath: root + "/r2024.2/staticfiles.json"))
            #expect(!fm.fileExists(atPath: root + "/staticfiles.json"))
        case "permissions" where scenario.runs.count > 1:
            #expect(Self.mode(root) == 0o750)
            #expect(Self.mode(root + "/staticfiles.json") == 0o640)
        case "prefixes":
            #expect(fm.fileExists(atPath: root + "/pre2/sub/shared.css"))
            #expect(!fm.fileExists(atPath: root + "/pre"))
            #expect(fm.fileExists(atPath: root + "/vendor/vendor.css"))
        case "patterns":
            // The project's pattern rewrote loadImage(...) and the SVG's href: the hashed names are in them.
            let js = try fm.contentsOfDirectory(atPath: root + "/js").first { $0.hasPrefix("gallery.") && $0 != "gallery.js" }
            let text = try String(contentsOfFile: root + "/js/" + (js ?? "gallery.js"), encoding: .utf8)
            #expect(text.contains("loadImage(\"../img/bg.") && !text.contains("loadImage(\"../img/bg.png\")"), "\(text)")
            #expect(text.contains("const fallback = \"../img/bg.png\""), "\(text)")
        case "intermediate":
            // base.css references colors.css, which references p.css: intermediate names remain.
            let names = try fm.contentsOfDirectory(atPath: root + "/css").filter { $0.hasPrefix("base.") && $0 != "base.css" }
            #expect(names.count >= 2, "expected intermediate base.*.css files, found \(names)")
        default:
            break
        }
    }
}

/// The counts of a `djstatic-trace:` line (Sources/djstatic/CollectCommand.swift, CollectTrace).
struct CollectTraceLine {
    var previewed = false
    var read = 0, answered = 0, stale = 0, computed = 0, duringSetup = 0, taken = 0

    init(_ line: String) {
        previewed = line.contains("previewed ")
        for field in line.split(separator: ";") {
            let words = field.split(separator: " ")
            for (index, word) in words.enumerated() where index + 1 < words.count {
                let value = Int(words[index + 1].trimmingCharacters(in: .punctuationCharacters)) ?? 0
                switch word {
                case "ahead": read = value
                case "answered": answered = value
                case "stale": stale = value
                case "rewrites": computed = value
                case "setup": duringSetup = value
                case "taken": taken = value
                default: break
                }
            }
        }
    }
}
