import Foundation
import Testing

/// The asset audit (`check --select ASSET`) against real Django: every reference collectstatic
/// fails on, found one failure at a time by Tests/Reference/collect_until_clean.py, must be
/// exactly the ASSET001 findings of one djstatic run; every template whose rendering raises
/// ValueError must carry an ASSET002 finding, and no other.
@Suite("asset audit", .serialized)
struct AssetAuditTests {
    static let venvs = ["dj42", "dj52", "dj61"]

    struct Finding: Hashable {
        var code: String
        var file: String
        var line: Int
        var column: Int
        var message: String
        var severity: String
    }

    /// A throw-away copy of a fixture.
    static func copy(_ fixture: String) throws -> URL {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-assets-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Paths.fixtures.appendingPathComponent(fixture), to: work)
        return work
    }

    static func audit(_ project: URL, venv: String, extra: [String] = [],
                      settings: String = "site_config/settings.py") throws -> (ProcessResult, [Finding]) {
        let run = try runProcess(try Paths.djstatic(),
                                 ["check", "--select", "ASSET", "--format", "json", "--python-path", Paths.venv(venv).path]
                                    + extra + [project.appendingPathComponent(settings).path],
                                 environment: Paths.baseEnvironment(), currentDirectory: project)
        let object = try jsonObject(run.stdout, what: "check --format json")
        let diagnostics = object["diagnostics"] as? [[String: Any]] ?? []
        return (run, diagnostics.map {
            Finding(code: $0["code"] as? String ?? "", file: $0["file"] as? String ?? "", line: $0["line"] as? Int ?? 0,
                    column: $0["column"] as? Int ?? 0, message: $0["message"] as? String ?? "",
                    severity: $0["severity"] as? String ?? "")
        })
    }

    /// Tests/Reference/collect_until_clean.py on the project: the files Django's collectstatic
    /// failed on, one run at a time (created under `staticDirectory`), and the templates that raise.
    static func djangoOneFailureAtATime(_ project: URL, venv: String, environment extra: [String: String],
                                        staticDirectory: String) throws -> [String: Any] {
        let oracle = try runProcess(Paths.python(venv),
                                    [Paths.repository.appendingPathComponent("Tests/Reference/collect_until_clean.py").path,
                                     project.path, project.appendingPathComponent(staticDirectory).path],
                                    environment: Paths.baseEnvironment().merging(extra) { $1 }, currentDirectory: project)
        let django = try jsonObject(oracle.stdout, what: "collect_until_clean.py \(oracle.summary)")
        #expect(django["final_error"] is NSNull, "Django failed otherwise: \(django["final_error"] ?? "")")
        return django
    }

    /// The name a finding says a reference resolves to (`names 'X'`).
    static func resolved(_ message: String) -> String? {
        guard let start = message.range(of: " names '") else { return nil }
        let rest = message[start.upperBound...]
        return rest.firstIndex(of: "'").map { String(rest[..<$0]) }
    }

    @Test("ASSET001 finds in one run what collectstatic finds one deploy at a time", arguments: venvs)
    func sameAsDjangoOneFailureAtATime(_ venv: String) throws {
        let project = try Self.copy("assets-broken")
        defer { try? FileManager.default.removeItem(at: project) }
        let (run, findings) = try Self.audit(project, venv: venv)
        #expect(run.status == 1, "\(run.summary)")
        let references = findings.filter { $0.code == "ASSET001" }
        let ours = Set(references.compactMap { Self.resolved($0.message) })
        #expect(references.allSatisfy { $0.severity == "error" && $0.line >= 1 && $0.column >= 1 })

        let django = try Self.djangoOneFailureAtATime(
            project, venv: venv, environment: ["DJANGO_SETTINGS_MODULE": "site_config.settings",
                                               "FIXTURE_STATIC_ROOT": project.appendingPathComponent("collected").path],
            staticDirectory: "assets")
        let missing = django["missing"] as? [String] ?? []
        #expect(Set(missing) == ours, "Django: \(missing.sorted()), djstatic: \(ours.sorted())")
        #expect(missing.count >= 7, "the fixture must break in many ways, Django found \(missing)")
        print("asset audit [\(venv)]: Django needed \(missing.count + 1) collectstatic runs; djstatic one, \(ours.count) findings")

        // Templates: rendered by Django once every referenced file exists.
        let rendered = django["templates"] as? [String: Any] ?? [:]
        let failing = Set(rendered.compactMap { $0.value is NSNull ? nil : $0.key })
        // A template's name: its path below the last templates/ or jinja2/ directory.
        let flagged = Set(findings.filter { $0.code == "ASSET002" }.map { finding in
            let parts = finding.file.split(separator: "/")
            let root = parts.lastIndex { $0 == "templates" || $0 == "jinja2" } ?? -1
            return parts[(root + 1)...].joined(separator: "/")
        })
        #expect(flagged.contains("home.jinja"), "Jinja2's static() is audited too")
        #expect(!failing.isEmpty)
        #expect(failing == flagged, "Django raised in \(failing.sorted()), djstatic flagged \(flagged.sorted())")
    }

    @Test("the exact places, messages and severities", arguments: ["dj52"])
    func findingPositions(_ venv: String) throws {
        let project = try Self.copy("assets-broken")
        defer { try? FileManager.default.removeItem(at: project) }
        let (_, findings) = try Self.audit(project, venv: venv)
        let site = findings.filter { $0.file.hasSuffix("assets/css/site.css") }
        #expect(site.contains { $0.line == 1 && $0.column == 10 && $0.message.hasPrefix("'theme-missing.css' in css/site.css names 'css/theme-missing.css'") })
        #expect(site.contains { $0.line == 3 && $0.column == 25 && $0.message.contains("names 'img/missing-bg.png'") })
        #expect(site.contains { $0.line == 8 && $0.message.contains("'../fonts/icons.woff2?v=3#iefix'") && $0.message.contains("names 'fonts/icons.woff2'") })
        let templates = findings.filter { $0.code == "ASSET002" }
        #expect(templates.contains { $0.file.hasSuffix("templates/base.html") && $0.line == 5 && $0.column == 21
            && $0.message.contains("Missing staticfiles manifest entry for 'img/hero-missing.jpg'") })
        #expect(templates.allSatisfy { $0.severity == "error" })
    }

    @Test("a storage that only copies: warnings (the browser gets a 404), no failure", arguments: ["dj52"])
    func copyOnlyStorageWarns(_ venv: String) throws {
        let project = try Self.copy("assets-broken")
        defer { try? FileManager.default.removeItem(at: project) }
        let (run, findings) = try Self.audit(project, venv: venv,
                                             extra: ["--env", "FIXTURE_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage"])
        #expect(run.status == 0, "\(run.summary)")
        #expect(!findings.isEmpty && findings.allSatisfy { $0.severity == "warning" }, "\(findings)")
    }

    @Test("per-path-ignores silences a package's findings by glob")
    func perPathIgnores() throws {
        let project = try Self.copy("assets-broken")
        defer { try? FileManager.default.removeItem(at: project) }
        try """
            [tool.djstatic]
            per-path-ignores = { "shop/**" = ["ASSET"], "assets/css/*.css" = ["ASSET001"] }
            """.write(to: project.appendingPathComponent("pyproject.toml"), atomically: true, encoding: .utf8)
        let (_, findings) = try Self.audit(project, venv: "dj52")
        #expect(!findings.contains { $0.file.contains("/shop/") })
        #expect(!findings.contains { $0.code == "ASSET001" && $0.file.hasSuffix("assets/css/site.css") })
        #expect(findings.contains { $0.code == "ASSET001" && $0.file.hasSuffix("assets/css/vendor/reset.css") })
        #expect(findings.contains { $0.code == "ASSET002" && $0.file.hasSuffix("templates/base.html") })
    }

    @Test("SARIF and GitHub paths start at the repository root, wherever djstatic runs")
    func ciFormatsUseRepositoryPaths() throws {
        let project = try Self.copy("assets-broken")
        defer { try? FileManager.default.removeItem(at: project) }
        _ = try runProcess(URL(fileURLWithPath: "/usr/bin/git"), ["init", "--quiet", project.path], environment: Paths.baseEnvironment())
        let subdirectory = project.appendingPathComponent("site_config")
        func run(_ format: String) throws -> ProcessResult {
            try runProcess(try Paths.djstatic(),
                           ["check", "--select", "ASSET", "--format", format, "--python-path", Paths.venv("dj52").path, "settings.py"],
                           environment: Paths.baseEnvironment(), currentDirectory: subdirectory)
        }
        let sarif = try jsonObject(try run("sarif").stdout, what: "sarif")
        let results = ((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        let uris = Set(results.compactMap {
            (($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
                .flatMap { ($0["artifactLocation"] as? [String: Any])?["uri"] as? String }
        })
        #expect(uris.contains("assets/css/site.css") && uris.contains("templates/base.html")
                && uris.contains("shop/templates/shop/page.html"), "\(uris.sorted())")
        let github = try run("github")
        #expect(github.stdout.contains("::error file=assets/css/site.css,line=1,col=10,title=ASSET001 missing-static-reference::"),
                "\(github.stdout)")
        let text = try run("text")
        #expect(text.stderr.contains("Broken static references: 8 in assets, 2 in shop, 1 in jinja2, 1 in templates."), "\(text.stderr)")
    }

    @Test("unreadable and non-UTF-8 files, symlink loops: a finding or a clear reason, never a crash")
    func badInput() throws {
        let project = try Self.copy("assets-broken")
        defer { try? FileManager.default.removeItem(at: project) }
        let css = project.appendingPathComponent("assets/css")
        try Data([0x61, 0x7B, 0x63, 0x6F, 0x6E, 0x74, 0x65, 0x6E, 0x74, 0x3A, 0x22, 0xE9, 0x22, 0x7D, 0x0A])
            .write(to: css.appendingPathComponent("latin1.css"))
        try FileManager.default.createSymbolicLink(atPath: css.appendingPathComponent("gone.css").path, withDestinationPath: "nowhere.css")
        let (run, findings) = try Self.audit(project, venv: "dj52")
        #expect(!run.signalled && run.status == 1, "\(run.summary)")
        #expect(findings.contains { $0.code == "ASSET003" && $0.file.hasSuffix("latin1.css")
            && $0.message.contains("'utf-8' codec can't decode byte 0xe9 in position 11: invalid continuation byte") })
        #expect(findings.contains { $0.code == "ASSET003" && $0.file.hasSuffix("gone.css") && $0.message.contains("cannot be read") })

        try FileManager.default.createSymbolicLink(atPath: css.appendingPathComponent("loop").path, withDestinationPath: "..")
        let (looped, loopFindings) = try Self.audit(project, venv: "dj52")
        #expect(!looped.signalled && looped.status == 1, "\(looped.summary)")
        // As in Django, the walk follows the link until the kernel refuses (40 links deep); the
        // entry it cannot open is what collectstatic would die of.
        #expect(loopFindings.contains { $0.code == "ASSET003" && $0.message.contains("Too many levels of symbolic links") },
                "\(loopFindings.filter { $0.code == "ASSET003" })")
    }

    /// The randomised CSS/JS generator of the collect differential test, broken on purpose: every
    /// one of ~1,300 references in every syntax resolves, except the injected ones, which must be
    /// exactly what ASSET001 reports.
    @Test("randomised trees: exactly the injected missing references", arguments: zip(venvs, [11, 12, 13]))
    func randomisedInjectedReferences(_ venv: String, seed: Int) throws {
        let project = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-assets-random-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: project) }
        let generated = try runProcess(Paths.python(venv),
                                       [Paths.repository.appendingPathComponent("Tests/Reference/generate_static_tree.py").path,
                                        project.path, "--seed", "\(seed)", "--css", "72", "--js", "32", "--inject-missing", "15"],
                                       environment: Paths.baseEnvironment())
        try #require(generated.status == 0, "\(generated.summary)")
        let summary = try jsonObject(generated.stdout, what: "generator summary")
        let injected = summary["injected_missing"] as? [String] ?? []
        let (_, findings) = try Self.audit(project, venv: venv, extra: ["--env", "STATIC_ROOT=\(project.path)/collected"],
                                           settings: "randproj/settings.py")
        let reported = findings.compactMap { $0.code == "ASSET001" ? Self.resolved($0.message) : nil }
        #expect(findings.count == reported.count, "only ASSET001 findings expected: \(findings)")
        #expect(reported.sorted() == injected.sorted(), "injected \(injected.sorted()), reported \(reported.sorted())")
        // And Django agrees, one collectstatic failure at a time.
        let django = try Self.djangoOneFailureAtATime(
            project, venv: venv, environment: ["DJANGO_SETTINGS_MODULE": "randproj.settings",
                                               "STATIC_ROOT": project.appendingPathComponent("collected").path],
            staticDirectory: "static")
        #expect(((django["missing"] as? [String]) ?? []).sorted() == injected.sorted())
        print("asset audit randomised [\(venv)] seed \(seed): \(summary["references"] ?? 0) references, "
              + "\(injected.count) injected missing, \(reported.count) reported")
    }

    /// Real apps from PyPI (admin, jazzmin, grappelli, ckeditor, DRF, debug-toolbar, ...), which
    /// Django collects cleanly: no ASSET finding at all.
    @Test("the real-apps corpus has no broken reference", arguments: venvs)
    func realAppsCorpusIsClean(_ venv: String) throws {
        let run = try runProcess(try Paths.djstatic(),
                                 ["check", "--select", "ASSET", "--format", "json", "--python-path", Paths.venv(venv).path,
                                  Paths.fixtures.appendingPathComponent("collect-corpus/corpus/settings.py").path],
                                 environment: Paths.baseEnvironment(),
                                 currentDirectory: Paths.fixtures.appendingPathComponent("collect-corpus"))
        let object = try jsonObject(run.stdout, what: "check \(run.summary)")
        let diagnostics = object["diagnostics"] as? [[String: Any]] ?? []
        #expect(diagnostics.isEmpty, "\(diagnostics.prefix(10))")
        #expect(run.status == 0, "\(run.summary)")
    }
}
