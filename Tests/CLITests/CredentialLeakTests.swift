import Foundation
import Testing

/// A table of credential shapes, through every command and output format (check, inspect,
/// collect, find, migrate --diff, prune): none may appear in anything djstatic prints (values,
/// messages, hints, exception texts, diffs, what settings printed).
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

    /// The same settings as a collectable project (STATIC_URL without the token: Django refuses
    /// a STATIC_URL that does not end with a slash), ManifestStaticFilesStorage over one CSS file
    /// and one image.
    static let collectable = """
        import os
        from ok_settings import *
        HERE = os.path.dirname(os.path.abspath(__file__))
        STATIC_URL = "/static/"
        STATIC_ROOT = os.path.join(HERE, "collected")
        STATICFILES_DIRS = [os.path.join(HERE, "assets")]
        STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
        """

    /// A storage djstatic does not reproduce (it overrides `_save`), so collect runs Django's own
    /// collectstatic, whose traceback quotes a credential.
    static let leakyStorage = """
        import os
        from django.contrib.staticfiles.storage import StaticFilesStorage

        class LeakyStorage(StaticFilesStorage):
            def _save(self, name, content):
                raise ValueError("upload refused for key " + os.environ["AWS_SECRET_ACCESS_KEY"])
        """
    static let fallback = """
        from collect_settings import *
        STORAGES = {"staticfiles": {"BACKEND": "leaky_storage.LeakyStorage"}}
        """

    /// Legacy storage settings for `migrate`, with a literal access key id and a secret read from
    /// the environment (both stay settings; the diff shows their lines).
    static let legacy = """
        import os
        from ok_settings import *
        STATIC_URL = "/static/"
        STATICFILES_STORAGE = "storages.backends.s3boto3.S3Boto3Storage"
        AWS_STORAGE_BUCKET_NAME = "assets"
        AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7LEAKCHK"
        AWS_SECRET_ACCESS_KEY = os.environ["AWS_SECRET_ACCESS_KEY"]
        AWS_S3_CUSTOM_DOMAIN = "cdn.example.com"
        """

    struct Case: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        /// A command run first (its output is not checked), e.g. the collect a prune needs.
        var setup: [String]? = nil
        var testDescription: String { arguments.joined(separator: " ") }
    }

    /// Every command × every output format, on settings that evaluate and on settings that fail.
    static let cases: [Case] = ["text", "json", "sarif", "github"].flatMap { format in
        [Case(arguments: ["check", "ok_settings.py", "--format", format, "-v"]),
         Case(arguments: ["check", "failing_settings.py", "--format", format, "-v"])]
    } + [Case(arguments: ["inspect", "ok_settings.py", "--format", "json"]),
         Case(arguments: ["inspect", "ok_settings.py", "--format", "text"]),
         Case(arguments: ["inspect", "failing_settings.py", "--format", "json"]),
         Case(arguments: ["inspect", "failing_settings.py", "--format", "text"])]
      + [["--format", "text"], ["--format", "json"], ["-v", "2"], ["-v", "3"]].flatMap { options in
        [Case(arguments: ["collect", "collect_settings.py", "--noinput"] + options),
         Case(arguments: ["collect", "failing_settings.py", "--noinput"] + options)]
    } + [Case(arguments: ["collect", "collect_settings.py", "--noinput", "--dry-run", "-v", "2"]),
         Case(arguments: ["collect", "fallback_settings.py", "--noinput", "-v", "2"]),
         Case(arguments: ["collect", "fallback_settings.py", "--noinput", "--format", "json"]),
         Case(arguments: ["find", "collect_settings.py", "app.css", "logo.png", "-v", "2"]),
         Case(arguments: ["find", "failing_settings.py", "app.css"]),
         Case(arguments: ["migrate", "legacy_settings.py", "--diff", "-v"]),
         Case(arguments: ["migrate", "failing_settings.py", "--diff"]),
         Case(arguments: ["prune", "collect_settings.py", "--keep", "1", "--dry-run", "--format", "json", "-v", "2"],
              setup: ["collect", "collect_settings.py", "--noinput", "--record-release"]),
         Case(arguments: ["prune", "collect_settings.py", "--keep", "1", "--dry-run", "-v", "2"],
              setup: ["collect", "collect_settings.py", "--noinput", "--record-release"]),
         Case(arguments: ["prune", "failing_settings.py", "--keep", "1", "--dry-run", "--format", "json"])]

    @Test(arguments: cases)
    func nothingLeaks(_ testCase: Case) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-leak-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.settings.write(to: directory.appendingPathComponent("ok_settings.py"), atomically: true, encoding: .utf8)
        try Self.failing.write(to: directory.appendingPathComponent("failing_settings.py"), atomically: true, encoding: .utf8)
        try Self.collectable.write(to: directory.appendingPathComponent("collect_settings.py"), atomically: true, encoding: .utf8)
        try Self.legacy.write(to: directory.appendingPathComponent("legacy_settings.py"), atomically: true, encoding: .utf8)
        try Self.leakyStorage.write(to: directory.appendingPathComponent("leaky_storage.py"), atomically: true, encoding: .utf8)
        try Self.fallback.write(to: directory.appendingPathComponent("fallback_settings.py"), atomically: true, encoding: .utf8)
        try CollectProject.write(Data("body{background:url(logo.png)}\n".utf8), to: directory.appendingPathComponent("assets/app.css"),
                                 mtime: 1_600_000_000)
        try CollectProject.write(Data("PNG".utf8), to: directory.appendingPathComponent("assets/logo.png"), mtime: 1_600_000_000)
        var environment = Paths.baseEnvironment()
        environment.merge(Self.environment) { $1 }
        if let setup = testCase.setup {
            let prepared = try runProcess(try Paths.djstatic(), setup + ["--python-path", Paths.venv("dj52").path],
                                          environment: environment, currentDirectory: directory)
            try #require(prepared.status == 0, "\(prepared.summary)")
        }
        let result = try runProcess(try Paths.djstatic(), testCase.arguments + ["--python-path", Paths.venv("dj52").path],
                                    environment: environment, currentDirectory: directory)
        #expect(!result.stdout.isEmpty || !result.stderr.isEmpty, "\(result.summary)")
        let printed = result.stdout + result.stderr
        for secret in Array(Self.environment.values) + Self.literals {
            #expect(!printed.contains(secret), "\(testCase.testDescription) printed \(secret):\n\(result.summary)")
        }
        if testCase.arguments.contains("failing_settings.py") && testCase.arguments[0] != "inspect" {
            #expect(result.status == 2 && printed.contains("EVAL001"), "\(result.summary)")
        } else if testCase.arguments.contains("failing_settings.py") {
            #expect(result.status == 2, "\(result.summary)")
        } else if testCase.arguments.contains("fallback_settings.py") {
            #expect(result.status == 1 && printed.contains("ValueError: upload refused for key ********"), "\(result.summary)")
        } else {
            #expect(result.status == 0 || testCase.arguments[0] == "check", "\(result.summary)")
        }
        if testCase.arguments.contains("-v") && testCase.arguments.contains("ok_settings.py") {
            #expect(printed.contains("settings loaded with"), "the settings' own output is shown with -v: \(result.summary)")
        }
    }
}
