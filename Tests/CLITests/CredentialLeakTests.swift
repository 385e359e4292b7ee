import Foundation
import Testing

/// A table of credential shapes, through every command and output format: none may appear in
/// anything djstatic prints (values, messages, hints, exception texts, what settings printed).
@Suite("credentials never leave djstatic")
struct CredentialLeakTests {
    /// (environment variable, value): credential-named variables whose values the settings use
    /// under other names, quote in exceptions, print, or put in URLs.
    static let environment = [
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY",
        "GITHUB_TOKEN": "ghp_leakCheck0123456789abcdefABCDEF",
        "CDN_SIGNING_KEY": "cdnKey-9f8e7d6c5b4a",
    ]
    /// Credentials written into the settings as URL query strings and bytes.
    static let literals = ["Zq9xSig0123456789abc", "tokZ0987654321qwerty", "AKIAIOSFODNN7LEAKCHK"]

    static let settings = """
        import os
        INSTALLED_APPS = ["django.contrib.staticfiles"]
        STATIC_ROOT = "/srv/static"
        # A CDN token in STATIC_URL (DJS006 quotes the URL in its message and hint).
        STATIC_URL = "https://cdn.example.com/static?token=tokZ0987654321qwerty"
        # A presigned URL under a name that is not a credential's.
        LOGO_URL = ("https://bucket.s3.amazonaws.com/logo.png?X-Amz-Credential=AKIAIOSFODNN7LEAKCHK%2F20260101"
                    "&X-Amz-Signature=Zq9xSig0123456789abc")
        HEADER_BYTES = b"Authorization: https://api.example.com/?access_token=Zq9xSig0123456789abc"
        DEPLOY_NOTE = os.environ["GITHUB_TOKEN"]
        CDN = {"signing": os.environ["CDN_SIGNING_KEY"]}
        print("settings loaded with", os.environ["AWS_SECRET_ACCESS_KEY"])
        """

    static let failing = """
        import os
        STATIC_URL = "/static/"
        RETRIES = int(os.environ["AWS_SECRET_ACCESS_KEY"])
        """

    struct Case: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let cases: [Case] = ["text", "json", "sarif", "github"].flatMap { format in
        [Case(arguments: ["check", "ok_settings.py", "--format", format, "-v"]),
         Case(arguments: ["check", "failing_settings.py", "--format", format, "-v"])]
    } + [Case(arguments: ["inspect", "ok_settings.py", "--format", "json"]),
         Case(arguments: ["inspect", "ok_settings.py", "--format", "text"]),
         Case(arguments: ["inspect", "failing_settings.py", "--format", "json"])]

    @Test(arguments: cases)
    func nothingLeaks(_ testCase: Case) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-leak-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.settings.write(to: directory.appendingPathComponent("ok_settings.py"), atomically: true, encoding: .utf8)
        try Self.failing.write(to: directory.appendingPathComponent("failing_settings.py"), atomically: true, encoding: .utf8)
        var environment = Paths.baseEnvironment()
        environment.merge(Self.environment) { $1 }
        let result = try runProcess(try Paths.djstatic(), testCase.arguments + ["--python-path", Paths.venv("dj52").path],
                                    environment: environment, currentDirectory: directory)
        #expect(!result.stdout.isEmpty || !result.stderr.isEmpty, "\(result.summary)")
        let printed = result.stdout + result.stderr
        for secret in Array(Self.environment.values) + Self.literals {
            #expect(!printed.contains(secret), "\(testCase.testDescription) printed \(secret):\n\(result.summary)")
        }
        if testCase.arguments.contains("failing_settings.py") && testCase.arguments[0] == "check" {
            #expect(result.status == 2 && printed.contains("EVAL001"), "\(result.summary)")
        }
        if testCase.arguments.contains("-v") && testCase.arguments.contains("ok_settings.py") {
            #expect(printed.contains("settings loaded with"), "the settings' own output is shown with -v: \(result.summary)")
        }
    }
}
