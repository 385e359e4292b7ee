import Foundation
import Testing

/// `djstatic migrate` against real Django: the storages Django itself creates from the rewritten
/// settings equal those it creates from the original (on 4.2, which still honours the legacy
/// settings), the --diff applies with `git apply` to exactly the written file, refusals leave the
/// file untouched, a rewrite that would change a value is caught, and no credential is printed.
@Suite("migrate rewrites legacy storage settings into an equivalent STORAGES")
struct MigrateTests {
    static let secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"

    /// A copy of a fixture (or a fresh project in `webapp/`) to rewrite.
    final class Project {
        let root: URL
        let module: String
        let settingsPath: String

        init(fixture: String, settingsFile: String) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-migrate-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: Paths.fixtures.appendingPathComponent(fixture), to: root)
            module = FixtureSettings.module(settingsFile)
            settingsPath = settingsFile
        }

        init(files: [String: String]) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-migrate-\(UUID().uuidString)")
            for (path, text) in files {
                let url = root.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
            try "".write(to: root.appendingPathComponent("webapp/__init__.py"), atomically: true, encoding: .utf8)
            module = "webapp.settings"
            settingsPath = "webapp/settings.py"
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        func text(_ path: String? = nil) throws -> String {
            try String(contentsOf: root.appendingPathComponent(path ?? settingsPath), encoding: .utf8)
        }

        /// The same environment for djstatic and the reference, credentials included.
        var environment: [String: String] {
            Paths.baseEnvironment().merging(["DJANGO_SECRET_KEY": "test-only", "AWS_SECRET_ACCESS_KEY": MigrateTests.secret,
                                             "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE"]) { $1 }
        }

        func migrate(_ venv: String, _ extra: [String] = []) throws -> ProcessResult {
            try runProcess(try Paths.djstatic(), ["migrate", settingsPath, "--python-path", Paths.venv(venv).path] + extra,
                                  environment: environment, currentDirectory: root)
        }

        /// Django's own storages for these settings (Tests/Reference/django_storages.py).
        func djangoStorages(_ venv: String) throws -> [String: Any] {
            let result = try runProcess(Paths.python(venv), [Paths.repository.appendingPathComponent("Tests/Reference/django_storages.py").path,
                                                            root.path, module], environment: environment, currentDirectory: root)
            guard result.status == 0 else { throw SupportError(description: "reference failed: \(result.summary)") }
            return try jsonObject(result.stdout, what: "django_storages.py")
        }
    }

    static func staticfilesClass(_ storages: [String: Any]) -> String? {
        (storages["staticfiles"] as? [String: Any])?["class"] as? String
    }

    static func noSecret(_ result: ProcessResult) {
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "a credential was printed")
    }

    static let fixtures: [(String, String)] = [("migrate-s3", "cdnsite/settings.py"), ("legacy-storage", "intranet/settings.py")]

    @Test("Django 4.2 creates the same storages from the rewritten settings as from the original",
          arguments: fixtures)
    func sameStoragesOnDjango42(_ fixture: (String, String)) throws {
        let project = try Project(fixture: fixture.0, settingsFile: fixture.1)
        let before = try project.djangoStorages("dj42")
        let original = try project.text()
        let result = try project.migrate("dj42")
        #expect(result.status == 0, "\(result.summary)")
        Self.noSecret(result)
        let rewritten = try project.text()
        #expect(rewritten != original)
        #expect(!rewritten.contains("STATICFILES_STORAGE =") && !rewritten.contains("DEFAULT_FILE_STORAGE ="))
        #expect(rewritten.contains("STORAGES = {"))
        let after = try project.djangoStorages("dj42")
        #expect(sameJSON(before, after), "Django 4.2's storages differ:\n\(canonicalJSON(before))\n\(canonicalJSON(after))")
        #expect(result.stderr.contains("equivalent: the default and staticfiles storages are created with the same class"))

        // Idempotent: a second run finds nothing to do and leaves the file alone.
        let again = try project.migrate("dj42")
        #expect(again.status == 0 && again.stderr.contains("nothing to migrate"), "\(again.summary)")
        #expect(try project.text() == rewritten)
    }

    @Test("on Django 5.2 the rewrite makes the ignored configuration take effect, as 4.2 had it")
    func takesEffectOnDjango52() throws {
        let project = try Project(fixture: "migrate-s3", settingsFile: "cdnsite/settings.py")
        let legacy42 = try project.djangoStorages("dj42")
        let ignored = try project.djangoStorages("dj52")
        #expect(Self.staticfilesClass(ignored) == "django.contrib.staticfiles.storage.StaticFilesStorage")
        let result = try project.migrate("dj52")
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.contains("ignores STATICFILES_STORAGE"))
        let after = try project.djangoStorages("dj52")
        #expect(Self.staticfilesClass(after) == "storages.backends.s3.S3ManifestStaticStorage")
        // The S3 storage's attributes come from django-storages (the same release in both venvs).
        let s3Before = (legacy42["staticfiles"] as? [String: Any])?["attributes"] as? [String: Any] ?? [:]
        let s3After = (after["staticfiles"] as? [String: Any])?["attributes"] as? [String: Any] ?? [:]
        for name in ["location", "custom_domain", "bucket_name", "region_name", "object_parameters", "default_acl",
                     "file_overwrite", "secret_key", "access_key"] {
            #expect(s3Before[name] != nil, "\(name) is not an attribute")
            #expect(s3Before[name].map { sameJSON($0, s3After[name] as Any) } ?? false, "\(name) differs")
        }
    }

    @Test("--diff prints a patch that git apply turns into exactly the written file")
    func diffAppliesToTheWrittenFile() throws {
        let written = try Project(fixture: "migrate-s3", settingsFile: "cdnsite/settings.py")
        #expect(try written.migrate("dj42").status == 0)
        let patched = try Project(fixture: "migrate-s3", settingsFile: "cdnsite/settings.py")
        let original = try patched.text()
        let diff = try patched.migrate("dj42", ["--diff"])
        #expect(diff.status == 0, "\(diff.summary)")
        #expect(diff.stdout.hasPrefix("--- a/cdnsite/settings.py\n+++ b/cdnsite/settings.py\n@@ "))
        #expect(try patched.text() == original, "--diff wrote the file")
        let patch = patched.root.appendingPathComponent("migrate.patch")
        try diff.stdout.write(to: patch, atomically: true, encoding: .utf8)
        let apply = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["git", "apply", "migrate.patch"],
                                   currentDirectory: patched.root)
        #expect(apply.status == 0, "\(apply.summary)")
        #expect(try patched.text() == written.text())
    }

    static let header = """
        import os
        SECRET_KEY = "not-a-real-key"
        INSTALLED_APPS = ["django.contrib.staticfiles", "storages"]
        STATIC_URL = "/static/"

        """

    @Test("what cannot be rewritten faithfully is refused with the reason, and the file is untouched",
          arguments: [
              ("""
               if os.environ.get("CDN"):
                   STATICFILES_STORAGE = "storages.backends.s3.S3StaticStorage"
               else:
                   STATICFILES_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
               """, "STATICFILES_STORAGE is assigned 2 times (lines 6, 8)", "dj42"),
              ("""
               STATICFILES_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
               USES_MANIFEST = "Manifest" in STATICFILES_STORAGE
               """, "STATICFILES_STORAGE is read at line 6", "dj42"),
              ("""
               STATICFILES_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
               STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
               """, "STORAGES is set as well as STATICFILES_STORAGE", "dj52"),
              ("""
               for name in ["STATICFILES_STORAGE"]:
                   globals()[name] = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
               """, "", "dj42"),
          ])
    func refusals(_ body: String, _ reason: String, _ venv: String) throws {
        let project = try Project(files: ["webapp/settings.py": Self.header + body + "\n"])
        let original = try project.text()
        let result = try project.migrate(venv)
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stderr.contains("error: cannot migrate: \(reason)"), "\(result.summary)")
        #expect(try project.text() == original)
    }

    @Test("a setting read elsewhere stays global; the others move with their comments")
    func readSettingsStay() throws {
        let project = try Project(files: ["webapp/settings.py": Self.header + """
            # The CDN in front of the bucket
            AWS_S3_CUSTOM_DOMAIN = "cdn.example.com"
            STATIC_URL = f"https://{AWS_S3_CUSTOM_DOMAIN}/assets/"
            AWS_LOCATION = "assets"  # under /assets in the bucket
            AWS_SECRET_ACCESS_KEY = "\(Self.secret)"
            STATICFILES_STORAGE = "storages.backends.s3.S3StaticStorage"
            AWS_STORAGE_BUCKET_NAME = "shop-assets"
            """ + "\n"])
        let diff = try project.migrate("dj42", ["--diff"])
        #expect(diff.status == 0, "\(diff.summary)")
        Self.noSecret(diff)
        #expect(diff.stdout.contains(" AWS_SECRET_ACCESS_KEY = \"********\""))
        #expect(diff.stderr.contains("AWS_S3_CUSTOM_DOMAIN stays a setting: AWS_S3_CUSTOM_DOMAIN is read at line 7"))
        #expect(diff.stderr.contains("AWS_SECRET_ACCESS_KEY stays a setting: a credential"))
        let result = try project.migrate("dj42")
        #expect(result.status == 0, "\(result.summary)")
        let text = try project.text()
        #expect(text.contains("""
                    "OPTIONS": {
                        "location": "assets",  # under /assets in the bucket
                        "bucket_name": "shop-assets",
                    },
            """))
        #expect(text.contains("# The CDN in front of the bucket\nAWS_S3_CUSTOM_DOMAIN = \"cdn.example.com\"\n"))
        #expect(text.contains("AWS_SECRET_ACCESS_KEY = \"\(Self.secret)\""), "the credential must stay in the file")
    }

    @Test("a rewrite that would change a value is not written")
    func changedValueIsCaught() throws {
        let project = try Project(files: ["webapp/settings.py": Self.header + """
            PREFIX = "v1"
            AWS_LOCATION = PREFIX
            PREFIX = "v2"
            STATICFILES_STORAGE = "storages.backends.s3.S3StaticStorage"
            AWS_STORAGE_BUCKET_NAME = "shop-assets"
            """ + "\n"])
        let original = try project.text()
        let result = try project.migrate("dj42")
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stderr.contains("the rewritten settings are not equivalent; nothing was written"))
        #expect(result.stderr.contains("storage 'staticfiles': attribute location 'v1' before, 'v2' after"), "\(result.summary)")
        #expect(try project.text() == original)
    }

    @Test("a settings package: the legacy setting is rewritten in the module that sets it")
    func settingsPackage() throws {
        let project = try Project(files: [
            "webapp/base.py": Self.header + "STATICFILES_STORAGE = \"django.contrib.staticfiles.storage.ManifestStaticFilesStorage\"\n",
            "webapp/settings.py": "from .base import *  # noqa\nSTATIC_ROOT = \"/srv/static\"\n",
        ])
        let result = try project.migrate("dj42")
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.hasPrefix("webapp/base.py: STATICFILES_STORAGE -> STORAGES"), "\(result.summary)")
        #expect(try project.text("webapp/base.py").contains("\"BACKEND\": \"django.contrib.staticfiles.storage.ManifestStaticFilesStorage\""))
        #expect(try project.text() == "from .base import *  # noqa\nSTATIC_ROOT = \"/srv/static\"\n")
    }

    @Test("a project on STORAGES already: global settings move into the entry's OPTIONS, in its layout",
          arguments: [
              ("""
               AWS_STORAGE_BUCKET_NAME = "shop-assets"
               # Objects under static/
               AWS_LOCATION = "static"
               STORAGES = {
                   "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                   "staticfiles": {
                       "BACKEND": "storages.backends.s3.S3Storage"  # no trailing comma
                   },
               }
               AWS_S3_CUSTOM_DOMAIN = "cdn.example.com"
               """, """
               STORAGES = {
                   "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                   "staticfiles": {
                       "BACKEND": "storages.backends.s3.S3Storage",  # no trailing comma
                       "OPTIONS": {
                           "bucket_name": "shop-assets",
                           # Objects under static/
                           "location": "static",
                       },
                   },
               }
               AWS_S3_CUSTOM_DOMAIN = "cdn.example.com"
               """, "AWS_S3_CUSTOM_DOMAIN stays a setting: set after STORAGES (line 8)"),
              ("""
               AWS_STORAGE_BUCKET_NAME = "shop-assets"  # the CDN's origin
               STORAGES = {
                   "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                   "staticfiles": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"location": "static"}},
               }
               """, """
               STORAGES = {
                   "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                   # the CDN's origin
                   "staticfiles": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"location": "static", "bucket_name": "shop-assets"}},
               }
               """, "AWS_STORAGE_BUCKET_NAME -> STORAGES[\"staticfiles\"][\"OPTIONS\"][\"bucket_name\"]"),
          ])
    func existingStorages(_ body: String, _ expected: String, _ reported: String) throws {
        let project = try Project(files: ["webapp/settings.py": Self.header + body + "\n"])
        let before = try project.djangoStorages("dj52")
        let result = try project.migrate("dj52")
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.contains(reported), "\(result.summary)")
        let text = try project.text()
        #expect(text.hasPrefix(Self.header) && text.hasSuffix(expected + "\n"), "\(text)")
        #expect(sameJSON(before, try project.djangoStorages("dj52")), "Django 5.2's storages differ")
        let again = try project.migrate("dj52")
        #expect(again.status == 0 && again.stderr.contains("nothing to migrate"), "\(again.summary)")
    }

    @Test("an exception in the settings is reported at its line with exit status 2")
    func brokenSettings() throws {
        let project = try Project(files: ["webapp/settings.py": Self.header + "STATICFILES_STORAGE = undefined_name\n"])
        let result = try project.migrate("dj42")
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderr.contains("webapp/settings.py:5:23: error[EVAL001]: NameError: name 'undefined_name' is not defined"),
                "\(result.summary)")
    }
}
