import Foundation
import Testing

/// `.pre-commit-hooks.yaml`, run by the real pre-commit (`.venvs/tools`) against a throw-away git
/// project whose `.pre-commit-config.yaml` pins a clone of this repository at HEAD. The
/// `djstatic-wheel` hook (language: python) installs this repository's `pyproject.toml` package,
/// which requires the djstatic wheel: pip finds it in dist/ (`PIP_FIND_LINKS`, `PIP_NO_INDEX`), and
/// PATH holds no Swift toolchain. Nothing uses the network: git may only use local repositories,
/// and HTTP(S) goes to a proxy that does not exist.
///
/// The `djstatic` hook (language: swift) is the same definition with another language (a YAML
/// merge key), checked through pre-commit's own manifest loader; running it would only add
/// pre-commit's `swift build -c release` of the package, which Scripts/test already builds (as
/// Scripts/build-wheel, statically linked) before the tests.
@Suite("pre-commit hooks")
struct PreCommitHookTests {
    static let cleanSettings = """
        INSTALLED_APPS = ["django.contrib.staticfiles"]
        STATIC_URL = "static/"
        STATIC_ROOT = "/srv/mysite/static"
        """

    @Test("the djstatic-wheel hook, without Swift, passes clean settings and fails bad ones with the diagnostic")
    func wheelHookPassesAndFails() throws {
        let fm = FileManager.default
        let work = fm.temporaryDirectory.appendingPathComponent("djstatic-pre-commit-\(UUID().uuidString)")
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: work) }
        var environment = Paths.baseEnvironment()
        environment["PATH"] = "/usr/bin:/bin"
        environment["PRE_COMMIT_HOME"] = work.appendingPathComponent("cache").path
        environment["GIT_ALLOW_PROTOCOL"] = "file"
        environment["PIP_NO_INDEX"] = "1"
        environment["PIP_FIND_LINKS"] = try Wheel.file().deletingLastPathComponent().path
        for proxy in ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"] {
            environment[proxy] = "http://127.0.0.1:9"
        }
        let swift = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["swift", "--version"], environment: environment)
        #expect(swift.status == 127, "a Swift toolchain is on the test's PATH: \(swift.summary)")

        // The hook repository: this repository's committed state.
        let hookRepository = work.appendingPathComponent("djstatic")
        try git(["clone", "--quiet", Paths.repository.path, hookRepository.path], in: work, environment)
        let revision = try git(["rev-parse", "HEAD"], in: hookRepository, environment)
            .trimmingCharacters(in: .whitespacesAndNewlines)

        // A project with its virtualenv beside manage.py and no hook arguments: pre-commit sets
        // VIRTUAL_ENV to the hook's own environment (djstatic, no Django); the project's wins.
        let project = work.appendingPathComponent("project")
        try fm.createDirectory(at: project.appendingPathComponent("mysite"), withIntermediateDirectories: true)
        try git(["init", "--quiet"], in: project, environment)
        try fm.createSymbolicLink(atPath: project.appendingPathComponent(".venv").path, withDestinationPath: Paths.venv("dj52").path)
        try ".venv\n".write(to: project.appendingPathComponent(".gitignore"), atomically: true, encoding: .utf8)
        try "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
            .write(to: project.appendingPathComponent("manage.py"), atomically: true, encoding: .utf8)
        let configuration = """
            repos:
              - repo: \(hookRepository.path)
                rev: \(revision)
                hooks:
                  - id: djstatic-wheel
                    verbose: true
            """
        try configuration.write(to: project.appendingPathComponent(".pre-commit-config.yaml"), atomically: true, encoding: .utf8)
        let settings = project.appendingPathComponent("mysite/settings.py")
        // Not a settings module: the hook's `files` pattern must leave it out.
        try "STATIC_URL = 'static'\n".write(to: project.appendingPathComponent("mysite/helpers.py"), atomically: true,
                                            encoding: .utf8)

        try Self.cleanSettings.write(to: settings, atomically: true, encoding: .utf8)
        let clean = try preCommit(in: project, environment)
        #expect(clean.status == 0, "\(clean.summary)")
        #expect(clean.stdout.contains("djstatic") && clean.stdout.contains("Passed"), "\(clean.summary)")
        #expect(!clean.stdout.contains("Django is not importable"), "\(clean.summary)")

        try Self.cleanSettings.replacingOccurrences(of: "\"static/\"", with: "\"static\"")
            .write(to: settings, atomically: true, encoding: .utf8)
        let bad = try preCommit(in: project, environment)
        #expect(bad.status == 1, "\(bad.summary)")
        #expect(bad.stdout.contains("Failed"), "\(bad.summary)")
        #expect(bad.stdout.contains("mysite/settings.py:2:1: error[DJS006]: The STATIC_URL setting must end with a slash."),
                "\(bad.summary)")
        #expect(!bad.stdout.contains("helpers.py"), "\(bad.summary)")
    }

    @Test("the djstatic hook is the djstatic-wheel hook built from source")
    func swiftHookIsTheWheelHookWithAnotherLanguage() throws {
        let script = """
            import sys
            from pre_commit.clientlib import load_manifest
            hooks = {hook["id"]: hook for hook in load_manifest(sys.argv[1])}
            swift, wheel = hooks["djstatic"], hooks["djstatic-wheel"]
            rest = lambda hook: {k: v for k, v in hook.items() if k not in ("id", "language")}
            print(swift["language"], wheel["language"], rest(swift) == rest(wheel), swift["entry"])
            """
        let result = try runProcess(Paths.venv("tools").appendingPathComponent("bin/python"),
                                    ["-c", script, Paths.repository.appendingPathComponent(".pre-commit-hooks.yaml").path])
        #expect(result.stdout == "swift python True djstatic check\n", "\(result.summary)")
    }

    /// `pre-commit run --all-files` after staging everything (pre-commit only sees tracked files).
    func preCommit(in project: URL, _ environment: [String: String]) throws -> ProcessResult {
        try git(["add", "--all"], in: project, environment)
        return try runProcess(Paths.venv("tools").appendingPathComponent("bin/pre-commit"),
                              ["run", "--all-files", "--color", "never"],
                              environment: environment, currentDirectory: project)
    }

    @discardableResult
    func git(_ arguments: [String], in directory: URL, _ environment: [String: String]) throws -> String {
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["git"] + arguments,
                                    environment: environment, currentDirectory: directory)
        guard result.status == 0 else {
            throw SupportError(description: "git \(arguments.joined(separator: " ")): \(result.summary)")
        }
        return result.stdout
    }
}
