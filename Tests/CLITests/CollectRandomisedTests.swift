import Foundation
import Testing

/// Randomised differential test: `Tests/Reference/generate_static_tree.py` builds (from a fixed
/// seed) a project with ~230 static files — images, fonts and source maps with awkward names, and
/// ~100 CSS/JS files made of random fragments that reference existing files in every syntax
/// ManifestStaticFilesStorage handles (quoted/unquoted/upper-case `url()`, `@import` forms,
/// sourcemap comments at and off column 0, fragments, `?#iefix`, queries, `./`/`../`/percent-encoded
/// segments, `/static/` paths, ignored schemes, CRLF, BOM, comments and strings (6.1 ignores those),
/// odd Unicode whitespace, CSS→CSS chains up to 4 links). Both tools collect it; every run must give
/// the same exit status, stdout, stderr and tree.
///
/// Environment overrides: DJSTATIC_RANDOM_SEED (default 20240917), DJSTATIC_RANDOM_CSS (72),
/// DJSTATIC_RANDOM_JS (32).
@Suite("collect: randomised CSS/JS trees are byte-identical to collectstatic")
struct CollectRandomisedTests {
    static let environment = ProcessInfo.processInfo.environment
    static let seed = Int(environment["DJSTATIC_RANDOM_SEED"] ?? "") ?? 20_240_917
    static let cssCount = Int(environment["DJSTATIC_RANDOM_CSS"] ?? "") ?? 72
    static let jsCount = Int(environment["DJSTATIC_RANDOM_JS"] ?? "") ?? 32
    static let generator = Paths.repository.appendingPathComponent("Tests/Reference/generate_static_tree.py")

    /// First run, unchanged re-run, verbose --clear run (deletes, copies and post-processes
    /// everything again, printing a line for each).
    static let runs: [[String]] = [
        ["--noinput"],
        ["--noinput"],
        ["--noinput", "-v", "2", "--clear"],
    ]

    @Test(arguments: ["dj42", "dj52", "dj61"])
    func randomTreeSameAsDjango(_ venv: String) throws {
        let started = Date()
        var pair = CollectPair(project: URL(fileURLWithPath: "/"), settingsFile: "randproj/settings.py", venv: venv)
        defer { pair.removeWork() }
        pair.project = pair.work.appendingPathComponent("project")
        let generated = try runProcess(Paths.python(venv),
                                       [Self.generator.path, pair.project.path, "--seed", "\(Self.seed)",
                                        "--css", "\(Self.cssCount)", "--js", "\(Self.jsCount)"],
                                       environment: Paths.baseEnvironment())
        try #require(generated.status == 0, "generator failed: \(generated.summary)")
        let summary = try jsonObject(generated.stdout, what: "generator summary")
        var matched = 0
        for (index, arguments) in Self.runs.enumerated() {
            let label = "seed \(Self.seed) [\(venv)] run \(index + 1) \(arguments.joined(separator: " "))"
            let outcome = try pair.run(arguments)
            // The generator promises references that every Django version resolves.
            #expect(outcome.django.status == 0,
                    "Django itself failed on the generated tree (generator bug, seed \(Self.seed)):\n\(outcome.django.stderr.suffix(2000))")
            if pair.expectSame(label, outcome) { matched += 1 }
        }
        let css = summary["css_files"] as? Int ?? -1, js = summary["js_files"] as? Int ?? -1
        let files = summary["files"] as? Int ?? -1
        let references = summary["references"] as? Int ?? -1, resolving = summary["resolving_references"] as? Int ?? -1
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        print("randomised collect [\(venv)] seed \(Self.seed): compared \(css) CSS + \(js) JS generated files "
              + "(\(files) static files) with \(references) references (\(resolving) naming files) over "
              + "\(Self.runs.count) runs; \(matched)/\(Self.runs.count) runs identical; \(seconds) s")
        print("randomised collect [\(venv)] reference kinds: \(canonicalJSON(summary["kinds"] ?? [:]))")
    }
}
