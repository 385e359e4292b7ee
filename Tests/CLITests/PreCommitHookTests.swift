import Foundation
import Testing

/// `.pre-commit-hooks.yaml`, run by the real pre-commit (`.venvs/tools`) against a throw-away git
/// project whose `.pre-commit-config.yaml` pins a clone of this repository at HEAD. pre-commit
/// builds the package with `swift build -c release` in its cache, so this takes minutes; it uses
/// no network: git may only use local repositories (the Swift packages resolve from the local
/// mirror git is configured with), and HTTP(S) goes to a proxy that does not exist.
@Suite("pre-commit hook")
struct PreCommitHookTests {
    static let cleanSettings = """
        INSTALLED_APPS = ["django.contrib.staticfiles"]
        STATIC_URL = "static/"
        STATIC_ROOT = "/srv/mysite/static"
        """

    @Test("the djstatic hook passes clean settings and fails bad ones with the diagnostic")
    func hookPassesAndFails() throws {
        let fm = FileManager.default
        let work = fm.temporaryDirectory.appendingPathComponent("djstatic-pre-commit-\(UUID().uuidString)")
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: work) }
        var environment = Paths.baseEnvironment()
        environment["PRE_COMMIT_HOME"] = work.appendingPathComponent("cache").path
        environment["GIT_ALLOW_PROTOCOL"] = "file"
        for proxy in ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"] {
            environment[proxy] = "http://127.0.0.1:9"
        }

        // The hook repository: this repository's committed state.
        let hookRepository = work.appendingPathComponent("djstatic")
        try git(["clone", "--quiet", Paths.repository.path, hookRepository.path], in: work, environment)
        let revision = try git(["rev-parse", "HEAD"], in: hookRepository, environment)
            .trimmingCharacters(in: .whitespacesAndNewlines)

        let project = work.appendingPathComponent("project")
        try fm.createDirectory(at: project.appendingPathComponent("mysite"), withIntermediateDirectories: true)
        try git(["init", "--quiet"], in: project, environment)
        let configuration = """
            repos:
              - repo: \(hookRepository.path)
                rev: \(revision)
                hooks:
                  - id: djstatic
                    args: [--python-path, \(Paths.venv("dj52").path)]
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

        try Self.cleanSettings.replacingOccurrences(of: "\"static/\"", with: "\"static\"")
            .write(to: settings, atomically: true, encoding: .utf8)
        let bad = try preCommit(in: project, environment)
        #expect(bad.status == 1, "\(bad.summary)")
        #expect(bad.stdout.contains("Failed"), "\(bad.summary)")
        #expect(bad.stdout.contains("mysite/settings.py:2:1: error[DJS006]: The STATIC_URL setting must end with a slash."),
                "\(bad.summary)")
        #expect(!bad.stdout.contains("helpers.py"), "\(bad.summary)")
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
