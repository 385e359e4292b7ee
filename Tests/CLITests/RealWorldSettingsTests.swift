import Foundation
import Testing

/// Patterns seen in public Django projects' settings (issue: `check` on real projects), each as a
/// fixture of this repository: every finding's exact file, line and column, the exit status, and
/// the same with no environment at all (CI without secrets). Their values equal Django's in
/// `InspectConformanceTests`.
@Suite("real-world settings patterns")
struct RealWorldSettingsTests {
    struct Expected: Sendable, Hashable, CustomStringConvertible {
        var code: String
        var file: String
        var line: Int
        var column: Int
        var description: String { "\(file):\(line):\(column) \(code)" }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var fixture: String
        var settingsFile: String
        var findings: [Expected]
        var status: Int32
        /// Without --env-file: only the variables the settings read without a default are missing.
        var withoutEnvironment: [Expected]
        var statusWithoutEnvironment: Int32
        var testDescription: String { "\(fixture)/\(settingsFile)" }
    }

    static func eval003(_ file: String) -> Expected { Expected(code: "EVAL003", file: file, line: 1, column: 1) }

    static let cases: [Case] = [
        // reverse_lazy() with a URLconf that cannot be imported: settings never resolve it.
        Case(fixture: "lazy-urlconf", settingsFile: "portal/settings.py", findings: [], status: 0,
             withoutEnvironment: [eval003("portal/settings.py")], statusWithoutEnvironment: 0),
        // Env(NAME=(cast, default)), env(default=), decouple config(default=), os.environ.get, os.getenv.
        Case(fixture: "env-defaults", settingsFile: "service/settings.py", findings: [], status: 0,
             withoutEnvironment: [eval003("service/settings.py")], statusWithoutEnvironment: 0),
        // sentry_sdk.init(dsn=...), dj_database_url.parse(...), env.cache/url, int(...), float casts.
        Case(fixture: "ci-placeholders", settingsFile: "ops/settings.py", findings: [], status: 0,
             withoutEnvironment: [eval003("ops/settings.py")], statusWithoutEnvironment: 0),
        Case(fixture: "ci-placeholders", settingsFile: "ops/settings_flags.py", findings: [], status: 0,
             withoutEnvironment: [Expected(code: "EVAL001", file: "ops/settings_flags.py", line: 8, column: 12)],
             statusWithoutEnvironment: 2),
        // os.getenv(NAME) without a default is None when unset; the failure on it names NAME.
        Case(fixture: "ci-placeholders", settingsFile: "ops/settings_cache.py", findings: [], status: 0,
             withoutEnvironment: [Expected(code: "EVAL001", file: "ops/settings_cache.py", line: 8, column: 20)],
             statusWithoutEnvironment: 2),
        // django-configurations: its importer as manage.py installs it; findings at the class attribute.
        Case(fixture: "class-based", settingsFile: "intranet/settings.py",
             findings: [Expected(code: "DJS010", file: "intranet/settings.py", line: 25, column: 5)], status: 1,
             // values.SecretValue refuses to run without its variable: EVAL001 names it.
             withoutEnvironment: [Expected(code: "EVAL001", file: "intranet/settings.py", line: 10, column: 18)],
             statusWithoutEnvironment: 2),
        // A WhiteNoiseMiddleware subclass, with CorsMiddleware above it as django-cors-headers documents.
        Case(fixture: "cors-whitenoise", settingsFile: "shop/settings.py", findings: [], status: 0,
             withoutEnvironment: [eval003("shop/settings.py")], statusWithoutEnvironment: 0),
        // django-split-settings include(): findings land in the included file; its inline ignore works.
        Case(fixture: "split-settings-include", settingsFile: "conf/settings/__init__.py",
             findings: [Expected(code: "DJS017", file: "conf/settings/components/static.py", line: 6, column: 5),
                        Expected(code: "DJS010", file: "conf/settings/components/static.py", line: 8, column: 1)],
             status: 1,
             withoutEnvironment: [Expected(code: "DJS017", file: "conf/settings/components/static.py", line: 6, column: 5),
                                  Expected(code: "DJS010", file: "conf/settings/components/static.py", line: 8, column: 1),
                                  eval003("conf/settings/__init__.py")],
             statusWithoutEnvironment: 1),
        // A settings package: entry findings at the entry; the root collision at the later assignment.
        Case(fixture: "layered-settings", settingsFile: "newsroom/settings/production.py",
             findings: [Expected(code: "DJS024", file: "newsroom/settings/base.py", line: 12, column: 5),
                        Expected(code: "DJS022", file: "newsroom/settings/base.py", line: 21, column: 5),
                        Expected(code: "DJS011", file: "newsroom/settings/production.py", line: 6, column: 1)],
             status: 1,
             withoutEnvironment: [Expected(code: "DJS024", file: "newsroom/settings/base.py", line: 12, column: 5),
                                  Expected(code: "DJS022", file: "newsroom/settings/base.py", line: 21, column: 5),
                                  Expected(code: "DJS011", file: "newsroom/settings/production.py", line: 6, column: 1),
                                  eval003("newsroom/settings/production.py")],
             statusWithoutEnvironment: 1),
    ]

    func check(_ testCase: Case, envFile: Bool) throws -> (findings: [Expected], report: [String: Any], result: ProcessResult) {
        let directory = Paths.fixtures.appendingPathComponent(testCase.fixture)
        var arguments = ["check", testCase.settingsFile, "--format", "json", "--python-path", Paths.venv("dj52").path]
        if envFile { arguments += ["--env-file", directory.appendingPathComponent(".env.test").path] }
        let result = try runProcess(try Paths.djstatic(), arguments, environment: Paths.baseEnvironment(),
                                    currentDirectory: directory)
        let report = try jsonObject(result.stdout, what: "djstatic check \(testCase.testDescription)")
        let prefix = directory.path + "/"
        let findings = (report["diagnostics"] as? [[String: Any]] ?? []).map { diagnostic in
            let file = diagnostic["file"] as? String ?? ""
            return Expected(code: diagnostic["code"] as? String ?? "",
                            file: file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file,
                            line: diagnostic["line"] as? Int ?? 0, column: diagnostic["column"] as? Int ?? 0)
        }
        return (findings, report, result)
    }

    @Test("findings at their exact positions", arguments: cases)
    func exactPositions(_ testCase: Case) throws {
        let (findings, _, result) = try check(testCase, envFile: true)
        #expect(Set(findings) == Set(testCase.findings), "\(result.summary)")
        #expect(findings.count == testCase.findings.count, "\(result.summary)")
        #expect(result.status == testCase.status, "\(result.summary)")
    }

    @Test("without any environment (CI without secrets)", arguments: cases)
    func withoutEnvironment(_ testCase: Case) throws {
        let (findings, report, result) = try check(testCase, envFile: false)
        #expect(Set(findings) == Set(testCase.withoutEnvironment), "\(result.summary)")
        #expect(result.status == testCase.statusWithoutEnvironment, "\(result.summary)")
        // A failure that a placeholder caused names the variable and the cure.
        let failures = (report["diagnostics"] as? [[String: Any]] ?? []).filter { $0["code"] as? String == "EVAL001" }
        let variable = testCase.settingsFile.hasSuffix("settings_cache.py") ? "REDIS_HOST"
            : testCase.fixture == "class-based" ? "DJANGO_SECRET_KEY" : "FEATURE_FLAGS"
        for failure in failures {
            let message = failure["message"] as? String ?? ""
            #expect(message.contains(variable) && message.contains("--env"), "\(message)")
        }
    }

    /// Declared defaults are not missing variables: only the secret key is reported unset.
    @Test("declared defaults are used, not placeholders")
    func declaredDefaults() throws {
        let directory = Paths.fixtures.appendingPathComponent("env-defaults")
        let result = try runProcess(try Paths.djstatic(), ["inspect", "service/settings.py", "--format", "json",
                                                           "--python-path", Paths.venv("dj52").path],
                                    environment: Paths.baseEnvironment(), currentDirectory: directory)
        let report = try jsonObject(result.stdout, what: "inspect env-defaults")
        #expect(report["missing_env"] as? [String] == ["DJANGO_SECRET_KEY"], "\(result.summary)")
        let defaulted = Set(report["defaulted_env"] as? [String] ?? [])
        #expect(defaulted.isSuperset(of: ["DEBUG", "GIT_SHA", "WEB_CONCURRENCY", "CSRF_TRUSTED_ORIGINS", "TIME_ZONE",
                                          "DEFAULT_FROM_EMAIL", "SESSION_COOKIE_AGE", "ALLOWED_HOSTS",
                                          "USE_X_FORWARDED_HOST", "STATIC_URL", "STATIC_ROOT", "MEDIA_URL", "MEDIA_ROOT"]),
                "\(defaulted.sorted())")
        let settings = report["settings"] as? [String: Any] ?? [:]
        #expect(settings["GIT_SHA"] as? String == "development")
        #expect(settings["WEB_CONCURRENCY"] as? Int == 2)
        #expect(settings["CSRF_TRUSTED_ORIGINS"] as? [String] == ["https://service.example.org"])
        #expect(settings["ALLOWED_HOSTS"] as? [String] == ["service.example.org"])
    }

    /// Lazy calls other than translations stay unevaluated, as a tagged object naming the call.
    @Test("lazy URLs are reported as the lazy call")
    func lazyCalls() throws {
        let directory = Paths.fixtures.appendingPathComponent("lazy-urlconf")
        let result = try runProcess(try Paths.djstatic(), ["inspect", "portal/settings.py", "--format", "json",
                                                           "--python-path", Paths.venv("dj52").path,
                                                           "--env-file", directory.appendingPathComponent(".env.test").path],
                                    environment: Paths.baseEnvironment(), currentDirectory: directory)
        let settings = try jsonObject(result.stdout, what: "inspect lazy-urlconf")["settings"] as? [String: Any] ?? [:]
        #expect(settings["LOGIN_URL"] as? [String: String] == ["lazy": "reverse_lazy('accounts:login')"], "\(result.summary)")
        #expect(settings["LOGIN_REDIRECT_URL"] as? [String: String] == ["lazy": "reverse_lazy('dashboard', kwargs={'tab': 'home'})"])
        #expect(settings["LOGOUT_REDIRECT_URL"] as? [String: String]
                == ["lazy": "format_lazy('{}?next={}', reverse_lazy('accounts:login'), '/')"])
        #expect(settings["SITE_TITLE"] as? String == "Portal 2026")
    }
}
