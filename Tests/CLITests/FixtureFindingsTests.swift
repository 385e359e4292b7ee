import Foundation
import Testing

/// `djstatic check` on each fixture reports the rule codes fixtures/README.md promises (codes
/// only: messages may be reworded freely).
@Suite("fixture findings")
struct FixtureFindingsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var fixture: String
        var settingsFile: String
        /// Codes expected whatever the checkout.
        var codes: [String]
        /// Whether the settings read .env.test (minimal is checked bare, as the README runs it).
        var useEnvFile = true
        /// The fixture's git_hash_release_id() strategy returns "unknown-release" (REL002) outside
        /// a git checkout, and the commit hash inside one.
        var releaseStrategy = false
        var status: Int32 = 0

        var testDescription: String { "\(fixture)/\(settingsFile)" }
    }

    static let cases: [Case] = [
        Case(fixture: "split-settings", settingsFile: "config/settings/production.py", codes: []),
        Case(fixture: "split-settings", settingsFile: "config/settings/dev.py", codes: []),
        Case(fixture: "django-environ", settingsFile: "shop/settings.py", codes: []),
        Case(fixture: "decouple", settingsFile: "blog/settings.py", codes: []),
        Case(fixture: "seed-s3", settingsFile: "myproject/settings.py", codes: ["EVAL001"], status: 2),
        Case(fixture: "seed-s3-fixed", settingsFile: "myproject/settings.py", codes: ["S3001", "S3012", "S3019", "S3031"],
             releaseStrategy: true, status: 1),
        Case(fixture: "seed-local", settingsFile: "myproject/settings.py", codes: ["DJS022"],
             releaseStrategy: true, status: 1),
        Case(fixture: "legacy-storage", settingsFile: "intranet/settings.py", codes: ["DJS001", "DJS002"], status: 1),
        Case(fixture: "whitenoise", settingsFile: "portal/settings.py", codes: []),
        Case(fixture: "minimal", settingsFile: "mysite/settings.py", codes: [], useEnvFile: false),
        Case(fixture: "script-prefix", settingsFile: "tools/settings.py", codes: []),
        Case(fixture: "i18n", settingsFile: "atlas/settings.py", codes: []),
        Case(fixture: "migrate-s3", settingsFile: "cdnsite/settings.py", codes: ["DJS001"], status: 1),
    ]

    @Test("check reports the documented codes", arguments: cases)
    func documentedCodes(_ testCase: Case) throws {
        let directory = Paths.fixtures.appendingPathComponent(testCase.fixture)
        var expected = testCase.codes
        var status = testCase.status
        if testCase.releaseStrategy && !Self.isGitCheckout(directory) {
            expected.append("REL002")
            status = max(status, 1)
        }
        var arguments = ["check", testCase.settingsFile, "--format", "json",
                         "--python-path", Paths.venv("dj52").path]
        if testCase.useEnvFile {
            arguments += ["--env-file", directory.appendingPathComponent(".env.test").path]
        }
        let result = try runProcess(try Paths.djstatic(), arguments, environment: Paths.baseEnvironment(),
                                    currentDirectory: directory)
        let report = try jsonObject(result.stdout, what: "djstatic check \(testCase.testDescription)")
        let diagnostics = report["diagnostics"] as? [[String: Any]] ?? []
        let codes = diagnostics.compactMap { $0["code"] as? String }
        #expect(codes.sorted() == expected.sorted(), "\(testCase.testDescription): \(result.summary)")
        #expect(result.status == status, "\(testCase.testDescription): \(result.summary)")
    }

    /// The minimal fixture is the README's example of a clean project: nothing at all is printed.
    @Test("minimal: check from the project directory prints nothing")
    func minimalIsClean() throws {
        let directory = Paths.fixtures.appendingPathComponent("minimal")
        let result = try runProcess(try Paths.djstatic(), ["check", "--python-path", Paths.venv("dj52").path],
                                    environment: Paths.baseEnvironment(), currentDirectory: directory)
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout.isEmpty && result.stderr.isEmpty, "\(result.summary)")
    }

    /// What the fixtures' strategy does: `git rev-parse --short HEAD` in the project.
    static func isGitCheckout(_ directory: URL) -> Bool {
        let result = try? runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["git", "rev-parse", "--short", "HEAD"],
                                     environment: Paths.baseEnvironment(), currentDirectory: directory)
        return result?.status == 0
    }
}
