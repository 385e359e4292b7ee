import Foundation
import Testing

/// Differential tests of collectstatic's failure paths: post-processing errors (missing files,
/// references escaping STATIC_ROOT, undecodable CSS/JS, non-converging chains and cycles), a
/// missing STATIC_ROOT, a corrupt manifest and the interactive prompt. For each step both tools run
/// on the same project; exit status, stdout (roots replaced), stderr (first line, then the whole
/// text with Python tracebacks, module prefixes and object addresses normalised away) and the
/// trees (partial output) must be the same. Where a step breaks a good tree, the previous
/// `staticfiles.json` must also be left byte-for-byte untouched in both roots.
struct CollectErrorScenario: CustomTestStringConvertible, Sendable {
    struct Step: Sendable {
        var arguments: [String]
        /// Standard input (nil: /dev/null, i.e. immediate end of file).
        var input: String? = nil
        /// Source files (under src/) written before the step, with an mtime an hour in the future
        /// so that both tools copy them again. A nil value deletes the file.
        var sources: [String: Data?] = [:]
        /// Files written into both roots before the step.
        var rootFiles: [String: Data] = [:]
        /// The manifest written by an earlier step must survive this step unchanged.
        var manifestUnchanged = false
        /// Django's expected exit status (guards the scenario itself; nil: version-dependent).
        var djangoStatus: Int32? = nil
    }

    var name: String
    var venv: String
    var files: [String: Data]
    var steps: [Step]
    var environment: [String: String] = [:]
    var setStaticRoot = true

    var testDescription: String { "\(name) [\(venv)]" }
}

private func text(_ string: String) -> Data { Data(string.utf8) }

enum CollectErrorScenarios {
    typealias Step = CollectErrorScenario.Step
    static let plain = ["STATIC_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"]

    /// A small good tree: a CSS importing another, an image, a JS file with a source map.
    static let good: [String: Data] = [
        "img/a.png": Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF]),
        "img/b.gif": text("GIF89a"),
        "css/t.css": text("a{color:red}\nb{background:url(../img/a.png)}\n"),
        "css/u.css": text("@import 't.css';\nc{background:url(\"../img/b.gif\")}\n"),
        "js/app.js": text("console.log(1);\n//# sourceMappingURL=app.js.map\n"),
        "js/app.js.map": text("{\"version\":3}"),
        "deep/er/x.css": text("d{background:url(../../img/a.png#x)}\n"),
    ]

    /// Good run, then `broken` replaces some sources and a verbose run must fail the same way and,
    /// where Django fails, leave the first run's manifest alone.
    static func breakAfterGoodRun(_ name: String, _ venv: String, _ broken: [String: Data?],
                                  failsOn: Set<String> = ["dj42", "dj52", "dj61"]) -> CollectErrorScenario {
        let fails = failsOn.contains(venv)
        return CollectErrorScenario(name: name, venv: venv, files: good, steps: [
            Step(arguments: ["--noinput"], djangoStatus: 0),
            Step(arguments: ["--noinput", "-v", "2"], sources: broken, manifestUnchanged: fails, djangoStatus: fails ? 1 : 0),
        ])
    }

    /// One verbose run on a fresh root with the good tree plus `changes`.
    static func failOnFreshRoot(_ name: String, _ venv: String, _ changes: [String: Data?],
                                base: [String: Data] = good, failsOn: Set<String> = ["dj42", "dj52", "dj61"]) -> CollectErrorScenario {
        var files = base
        for (path, data) in changes { files[path] = data }
        return CollectErrorScenario(name: name, venv: venv, files: files, steps: [
            Step(arguments: ["--noinput", "-v", "2"], djangoStatus: failsOn.contains(venv) ? 1 : 0),
        ])
    }

    /// `f.css` and `L1/f.css`, `L1/L2/f.css`, … each referencing its parent's `f.css`: every level
    /// needs one more pass of ManifestFilesMixin.post_process (max_post_process_passes, 5 by default).
    static func chain(_ depth: Int) -> [String: Data] {
        var files: [String: Data] = ["f.css": text("top{}\n"), "img/a.png": text("PNG")]
        var directory = ""
        for level in 1...depth {
            directory += "L\(level)/"
            files[directory + "f.css"] = text("x{background:url(../f.css)}\n")
        }
        return files
    }

    static func all(_ venv: String) -> [CollectErrorScenario] {
        let longLine = ".a-rather-long-selector-name > .and-another-long-one{background:url(../img/missing.png) no-repeat}\n"
        return [
            // Missing referenced files.
            breakAfterGoodRun("missing referenced file", venv,
                              ["css/t.css": text("a{color:red}\n\nb{background:url(../img/missing.png)}\n")]),
            failOnFreshRoot("missing file on a long line (6.1 note without the line text)", venv,
                            ["css/t.css": text(String(repeating: "a{color:red}\n", count: 11) + longLine)]),
            failOnFreshRoot("missing @import target", venv, ["css/u.css": text("@import 'nope.css';\n")]),
            failOnFreshRoot("missing sourcemap target in JS", venv, ["js/app.js": text("x();\n//# sourceMappingURL=nope.js.map\n")]),
            failOnFreshRoot("upper-case scheme resolved as a relative path", venv,
                            ["css/t.css": text("a{background:url(HTTP://example.com/x.png)}\n")]),
            breakAfterGoodRun("missing file referenced only inside a comment (6.1 ignores it)", venv,
                              ["css/t.css": text("/* url(../img/gone.png) */\na{color:red}\n")], failsOn: ["dj42", "dj52"]),
            failOnFreshRoot("missing file referenced only inside a string (6.1 ignores it)", venv,
                            ["css/t.css": text("a::after{content:\"url(gone.png)\"}\n")], failsOn: ["dj42", "dj52"]),
            failOnFreshRoot("missing file in a deeper file processed first", venv,
                            ["deep/er/x.css": text("\u{FEFF}d{background:url('../../img/none.png?v=1#x')}\r\n")]),
            // Escaping STATIC_ROOT: SuspiciousFileOperation raised (not yielded), no "failed!" line.
            breakAfterGoodRun("relative reference escaping STATIC_ROOT", venv,
                              ["css/t.css": text("a{background:url(../../../x.png)}\n")]),
            failOnFreshRoot("absolute /static/../ reference escaping STATIC_ROOT", venv,
                            ["css/t.css": text("a{background:url(/static/../x.png)}\n")]),
            // Undecodable CSS/JS (4.2 raises directly, 5.0+ yields with the "failed!" line).
            breakAfterGoodRun("undecodable CSS (invalid start byte)", venv,
                              ["css/t.css": Data("a{content:\"".utf8) + Data([0xFF, 0x22, 0x7D, 0x0A])]),
            failOnFreshRoot("undecodable CSS (invalid continuation byte)", venv,
                            ["css/u.css": Data("b{}\n/* ".utf8) + Data([0xC3, 0x28]) + Data(" */\n".utf8)]),
            failOnFreshRoot("undecodable JS (truncated 3-byte sequence at the end)", venv,
                            ["js/app.js": Data("x();\n".utf8) + Data([0xE2, 0x82])]),
            failOnFreshRoot("undecodable JS (truncated 4-byte sequence at the end)", venv,
                            ["js/app.js": Data("ok".utf8) + Data([0xF0, 0x9F, 0x98])]),
            failOnFreshRoot("undecodable CSS (single lead byte at the end)", venv, ["css/t.css": Data("a{}\n".utf8) + Data([0xE2])]),
            failOnFreshRoot("undecodable CSS (encoded surrogate)", venv,
                            ["css/t.css": Data("a{}\n".utf8) + Data([0xED, 0xA0, 0x80])]),
            // Pass limit and cycles.
            failOnFreshRoot("5-deep chain converges", venv, [:], base: chain(5), failsOn: []),
            failOnFreshRoot("6-deep chain exceeds the post-process passes", venv, [:], base: chain(6)),
            failOnFreshRoot("7-deep chain exceeds the post-process passes (two names)", venv, [:], base: chain(7)),
            breakAfterGoodRun("self-referencing CSS", venv,
                              ["css/t.css": text("a{background:url(t.css)}\nb{background:url(../img/a.png)}\n")]),
            failOnFreshRoot("two CSS files referencing each other", venv,
                            ["css/t.css": text("@import 'u.css';\n"), "css/u.css": text("@import \"t.css\";\n")]),
            failOnFreshRoot("self-referencing JS sourcemap", venv, ["js/app.js": text("x();\n//# sourceMappingURL=app.js\n")]),
            // STATIC_ROOT unset: ImproperlyConfigured when the first file is copied (after the prompt).
            CollectErrorScenario(name: "STATIC_ROOT unset, StaticFilesStorage", venv: venv, files: good, steps: [
                Step(arguments: ["--noinput"], djangoStatus: 1),
                Step(arguments: ["--noinput", "-v", "2", "--clear"], djangoStatus: 1),
            ], environment: plain, setStaticRoot: false),
            CollectErrorScenario(name: "STATIC_ROOT unset, StaticFilesStorage, prompt answered yes", venv: venv, files: good,
                                 steps: [Step(arguments: [], input: "yes\n", djangoStatus: 1)],
                                 environment: plain, setStaticRoot: false),
            CollectErrorScenario(name: "STATIC_ROOT unset, StaticFilesStorage, prompt answered no", venv: venv, files: good,
                                 steps: [Step(arguments: [], input: "no\n", djangoStatus: 1)],
                                 environment: plain, setStaticRoot: false),
            CollectErrorScenario(name: "STATIC_ROOT unset, ManifestStaticFilesStorage", venv: venv, files: good,
                                 steps: [Step(arguments: ["--noinput"], djangoStatus: 1)], setStaticRoot: false),
            // The interactive prompt.
            CollectErrorScenario(name: "prompt: empty destination, then no, yes, clear", venv: venv, files: good, steps: [
                Step(arguments: [], input: "", djangoStatus: 0),  // no prompt when the destination is missing
                Step(arguments: [], input: "no\n", manifestUnchanged: true, djangoStatus: 1),
                Step(arguments: ["-v", "2"], input: "yes\n", djangoStatus: 0),
                Step(arguments: ["--clear"], input: "no\n", manifestUnchanged: true, djangoStatus: 1),
                Step(arguments: ["--clear", "-v", "2"], input: "yes\n", djangoStatus: 0),
                Step(arguments: ["--dry-run"], input: "nope\n", djangoStatus: 1),
                Step(arguments: ["--dry-run", "--clear"], input: "yes\n", djangoStatus: 0),
            ]),
            CollectErrorScenario(name: "prompt: odd answers", venv: venv, files: good, steps: [
                Step(arguments: ["--noinput"], djangoStatus: 0),
                Step(arguments: [], input: "yes", djangoStatus: 0),  // no newline: input() still returns "yes"
                Step(arguments: [], input: "YES\n", manifestUnchanged: true, djangoStatus: 1),
                Step(arguments: [], input: "yes\r\n", manifestUnchanged: true, djangoStatus: 1),  // input() keeps the \r
                Step(arguments: [], input: "\nyes\n", manifestUnchanged: true, djangoStatus: 1),
            ]),
            CollectErrorScenario(name: "prompt: end of input (EOFError)", venv: venv, files: good, steps: [
                Step(arguments: ["--noinput"], djangoStatus: 0),
                Step(arguments: [], input: nil, manifestUnchanged: true, djangoStatus: 1),
                Step(arguments: [], input: "", manifestUnchanged: true, djangoStatus: 1),
            ]),
            // A corrupt or foreign manifest in STATIC_ROOT: the manifest storage fails when it is created.
            CollectErrorScenario(name: "corrupt staticfiles.json", venv: venv, files: good, steps: [
                Step(arguments: ["--noinput"], rootFiles: ["staticfiles.json": text("{not json")], djangoStatus: 1),
                Step(arguments: ["--noinput"], rootFiles: ["staticfiles.json": text("{\"version\": \"2.0\", \"paths\": {}}")],
                     djangoStatus: 1),
                Step(arguments: ["--noinput"], rootFiles: ["staticfiles.json": text("{\"version\": \"1.0\", \"paths\": {}}")],
                     djangoStatus: 0),
            ]),
        ]
    }
}

@Suite("collect failures are reported like manage.py collectstatic")
struct CollectErrorTests {
    static let scenarios = ["dj42", "dj52", "dj61"].flatMap(CollectErrorScenarios.all)

    @Test(arguments: scenarios)
    func sameFailure(_ scenario: CollectErrorScenario) throws {
        var pair = CollectPair(project: URL(fileURLWithPath: "/"), settingsFile: CollectProject.settingsFile,
                               venv: scenario.venv, environment: scenario.environment)
        defer { pair.removeWork() }
        pair.project = try CollectProject.make(in: pair.work, files: scenario.files)
        pair.setStaticRoot = scenario.setStaticRoot
        let future = (Date().timeIntervalSince1970 + 3600).rounded(.down)
        for (index, step) in scenario.steps.enumerated() {
            let label = "\(scenario.testDescription) step \(index + 1) \(step.arguments.joined(separator: " "))"
                + (step.input.map { " <<< \($0.debugDescription)" } ?? "")
            for (path, data) in step.sources {
                let url = pair.project.appendingPathComponent("src/" + path)
                if let data { try CollectProject.write(data, to: url, mtime: future) } else { try? FileManager.default.removeItem(at: url) }
            }
            for (path, data) in step.rootFiles {
                for root in [pair.djangoRoot, pair.ourRoot] {
                    try CollectProject.write(data, to: URL(fileURLWithPath: root).appendingPathComponent(path), mtime: future)
                }
            }
            let manifests = [pair.djangoRoot, pair.ourRoot].map { FileManager.default.contents(atPath: $0 + "/staticfiles.json") }
            let outcome = try pair.run(step.arguments, input: step.input)
            if let expected = step.djangoStatus {
                #expect(outcome.django.status == expected, "\(label): scenario assumption: Django exit status\n\(outcome.django.summary.suffix(1500))")
            }
            pair.expectSame(label, outcome)
            if step.manifestUnchanged {
                let after = [pair.djangoRoot, pair.ourRoot].map { FileManager.default.contents(atPath: $0 + "/staticfiles.json") }
                #expect(manifests[0] != nil, "\(label): no manifest from the earlier run in Django's root")
                #expect(after[0] == manifests[0], "\(label): Django changed its previous staticfiles.json")
                #expect(after[1] == manifests[1], "\(label): djstatic changed its previous staticfiles.json")
            }
        }
    }
}
