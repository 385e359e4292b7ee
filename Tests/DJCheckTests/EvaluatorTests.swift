import DJProject
import DJPython
import DJRules
import DJSettings
import Foundation
import Testing

@Suite struct EvaluatorTests {
    func evaluate(_ files: [String: String], settings: String = "settings.py", environment: [String: String] = [:],
                  strict: Bool = false, timeout: Double = 20) throws -> (CheckResult, String) {
        let directory = try TestProject.make(files)
        let checker = TestProject.checker(environment: environment, timeout: timeout, strict: strict)
        return (try checker.check(try ProjectDiscovery.target(forFile: directory + "/" + settings)), directory)
    }

    func snapshot(_ result: CheckResult) throws -> SettingsSnapshot {
        switch result.outcome.result {
        case .success(let snapshot): return snapshot
        case .failure(let failure): throw failure
        }
    }

    func failure(_ result: CheckResult) throws -> EvaluationFailure {
        guard case .failure(let failure) = result.outcome.result else {
            throw CheckError.python("expected the evaluation to fail")
        }
        return failure
    }

    @Test func exceptionPointsAtTheFailingExpressionInCharacters() throws {
        // The seed article's bug: `os` used but only `environ` imported. A non-ASCII string before
        // the failing name checks that columns count characters, not UTF-8 bytes.
        let (result, directory) = try evaluate(["settings.py": """
            from os import environ
            LABEL = "Ünïcödé"
            CUSTOM_DOMAIN = LABEL and "ü" + os.environ.get("AWS_S3_CUSTOM_DOMAIN", "")
            """])
        let failure = try failure(result)
        #expect(failure.kind == .exception)
        #expect(failure.message == "NameError: name 'os' is not defined")
        #expect(failure.location == SourceLocation(file: directory + "/settings.py", line: 3, column: 33))
        #expect(result.diagnostics.map(\.code) == ["EVAL001"])
    }

    @Test func exceptionInImportedProjectModuleIsLocatedThere() throws {
        let (result, directory) = try evaluate([
            "shop/__init__.py": "",
            "shop/settings.py": "from shop.helpers import bucket\nAWS_STORAGE_BUCKET_NAME = bucket()\n",
            "shop/helpers.py": "def bucket():\n    return {}['missing']\n",
        ], settings: "shop/settings.py")
        let failure = try failure(result)
        #expect(failure.message == "KeyError: 'missing'")
        #expect(failure.location.file == directory + "/shop/helpers.py")
        #expect(failure.location.line == 2)
    }

    @Test func syntaxErrorIsEVAL002() throws {
        let (result, directory) = try evaluate(["settings.py": "DEBUG = True\nSTATIC_URL = (\n"])
        let failure = try failure(result)
        #expect(failure.kind == .syntax)
        #expect(failure.location.file == directory + "/settings.py")
        #expect(failure.location.line == 2)
        #expect(result.diagnostics.map(\.code) == ["EVAL002"])
    }

    @Test func endlessLoopTimesOutAtTheLoop() throws {
        let (result, _) = try evaluate(["settings.py": "X = 1\nwhile True:\n    X += 1\n"], timeout: 1)
        let failure = try failure(result)
        #expect(failure.kind == .timeout)
        #expect((2...3).contains(failure.location.line))
        #expect(result.diagnostics.map(\.code) == ["EVAL004"])
    }

    @Test func printsAndSubprocessOutputAreCaptured() throws {
        let (result, _) = try evaluate(["settings.py": """
            import subprocess, sys
            print("from print")
            print("to stderr", file=sys.stderr)
            subprocess.run(["echo", "from a subprocess"])
            STATIC_URL = "/static/"
            """])
        let output = result.outcome.output
        #expect(output.standardOutput == "from print\nfrom a subprocess\n")
        #expect(output.standardError == "to stderr\n")
    }

    @Test func sourcesFollowStarImportsAugmentedAssignmentsAndBranches() throws {
        let (result, directory) = try evaluate([
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'conf.settings.prod')\n",
            "conf/__init__.py": "",
            "conf/settings/__init__.py": "",
            "conf/settings/base.py": """
                from pathlib import Path
                BASE_DIR = Path(__file__).resolve().parent.parent.parent
                INSTALLED_APPS = ["django.contrib.staticfiles"]
                STATIC_URL = "static/"
                MEDIA_URL = "/media/"
                """,
            "conf/settings/prod.py": """
                from .base import *
                INSTALLED_APPS += ["django.contrib.admin"]
                if BASE_DIR.exists():
                    STATIC_ROOT = BASE_DIR / "collected"
                else:
                    STATIC_ROOT = "/never"
                STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
                STORAGES["default"] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
                """,
        ], settings: "conf/settings/prod.py")
        let snapshot = try snapshot(result)
        #expect(snapshot.settingsModule == "conf.settings.prod")
        let base = directory + "/conf/settings/base.py", prod = directory + "/conf/settings/prod.py"
        #expect(snapshot.sources["STATIC_URL"] == SourceLocation(file: base, line: 4, column: 1))
        #expect(snapshot.sources["INSTALLED_APPS"] == SourceLocation(file: prod, line: 2, column: 1))
        #expect(snapshot.sources["STATIC_ROOT"] == SourceLocation(file: prod, line: 4, column: 5))
        #expect(snapshot.sources["STORAGES"] == SourceLocation(file: prod, line: 8, column: 1))
        #expect(snapshot.values["STATIC_URL"] == .string("/static/"))  // script prefix applied, as Django does
        #expect(snapshot.raw["STATIC_URL"] == .string("static/"))
        #expect(snapshot.values["STATIC_ROOT"] == .path(directory + "/collected"))
        #expect(snapshot.values["INSTALLED_APPS"] == .list([.string("django.contrib.staticfiles"), .string("django.contrib.admin")]))
        #expect(snapshot.installedDjango == "5.2.19")
    }

    @Test func evaluationsInOneProcessDoNotLeakIntoEachOther() throws {
        let first = try snapshot(evaluate(["settings.py": "STATIC_URL = '/one/'\nimport helper\n", "helper.py": "X = 1\n"]).0)
        let second = try snapshot(evaluate(["settings.py": "STATIC_URL = '/two/'\nimport helper\nMEDIA_URL = helper.Y\n",
                                            "helper.py": "Y = '/m/'\n"]).0)
        #expect(first.values["STATIC_URL"] == .string("/one/"))
        #expect(second.values["STATIC_URL"] == .string("/two/"))
        #expect(second.values["MEDIA_URL"] == .string("/m/"))
    }

    @Test func unsetEnvironmentGetsPlaceholdersForEveryReader() throws {
        let (result, _) = try evaluate(["settings.py": """
            import os, environ
            from decouple import config, Csv
            env = environ.Env()
            BUCKET = os.environ["DJS_TEST_BUCKET"]
            PORT = int(os.environ["DJS_TEST_PORT"])
            DEBUG = env.bool("DJS_TEST_DEBUG")
            DATABASES = {"default": env.db("DJS_TEST_DATABASE_URL")}
            HOSTS = config("DJS_TEST_HOSTS", cast=Csv())
            TIMEOUT = config("DJS_TEST_TIMEOUT", cast=int)
            REGION = os.getenv("DJS_TEST_REGION", "eu-west-1")
            GIVEN = os.environ["DJS_TEST_GIVEN"]
            """], environment: ["DJS_TEST_GIVEN": "yes"])
        let snapshot = try snapshot(result)
        #expect(snapshot.placeholderEnvironment == ["DJS_TEST_BUCKET", "DJS_TEST_PORT", "DJS_TEST_DEBUG",
                                                    "DJS_TEST_DATABASE_URL", "DJS_TEST_HOSTS", "DJS_TEST_TIMEOUT"])
        #expect(snapshot.defaultedEnvironment == ["DJS_TEST_REGION"])
        #expect(snapshot.values["BUCKET"] == .placeholder(variable: "DJS_TEST_BUCKET"))
        #expect(snapshot.values["PORT"] == .int(0))
        #expect(snapshot.values["DEBUG"] == .bool(false))
        #expect(snapshot.values["GIVEN"] == .string("yes"))
        #expect(snapshot.values["REGION"] == .string("eu-west-1"))
        #expect(result.diagnostics.filter { $0.code == "EVAL003" }.count == 1)
    }

    @Test func settingsSubprocessesDoNotInheritDjstaticsPythonHome() throws {
        let (result, _) = try evaluate(["settings.py": """
            import os, subprocess
            HOME_SEEN = os.environ.get("PYTHONHOME", "unset")
            CHILD = subprocess.run(["sh", "-c", "echo ${PYTHONHOME:-unset}"], capture_output=True, text=True).stdout.strip()
            """])
        let snapshot = try snapshot(result)
        #expect(snapshot.values["HOME_SEEN"] == .string("unset"))
        #expect(snapshot.values["CHILD"] == .string("unset"))
        #expect(ProcessInfo.processInfo.environment["PYTHONHOME"] == nil)
    }

    @Test func strictEnvironmentMakesAMissingVariableAnError() throws {
        let (result, _) = try evaluate(["settings.py": "import os\nBUCKET = os.environ['DJS_TEST_STRICT']\n"], strict: true)
        let failure = try failure(result)
        #expect(failure.message == "MissingEnvironmentVariable: environment variable 'DJS_TEST_STRICT' is not set")
        #expect(failure.location.line == 2)
    }

    @Test func credentialsNeverLeaveTheInterpreter() throws {
        let secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"
        let (result, _) = try evaluate(["settings.py": """
            AWS_SECRET_ACCESS_KEY = "\(secret)"
            DATABASES = {"default": {"ENGINE": "x", "PASSWORD": "hunter2hunter2", "URL": "postgres://u:pw-\(secret)@db/x"}}
            STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
                                        "OPTIONS": {"access_key": "AKIAABCDEFGHIJKLMNOP", "secret_key": "\(secret)"}}}
            """])
        let snapshot = try snapshot(result)
        let dump = String(describing: snapshot.values) + String(describing: result.diagnostics)
        #expect(!dump.contains(secret))
        #expect(!dump.contains("hunter2"))
        #expect(!dump.contains("AKIAABCDEFGHIJKLMNOP"))
        #expect(snapshot.values["AWS_SECRET_ACCESS_KEY"] == .secret(redacted: "********"))
        #expect(result.diagnostics.filter { $0.code == "SEC001" }.count == 3)
    }

    @Test func aPythonWithoutSharedLibraryIsRefusedClearly() throws {
        // A statically linked interpreter (as some standalone builds are): bin/python3.11, no libpython.
        let directory = try TestProject.make(["prefix/lib/python3.11/os.py": "", "prefix/bin/python3.11": ""])
        #expect {
            _ = try PythonInstallation.at(directory + "/prefix/bin/python3.11")
        } throws: { error in
            String(describing: error).contains("has no shared libpython")
        }
    }

    @Test func virtualEnvironmentIsReadFromPyvenvCfg() throws {
        let installation = try PythonInstallation.virtualEnvironment(at: TestProject.venv)
        #expect(installation.version == "3.11")
        #expect(installation.home == "/usr")
        #expect(installation.siteDirectories == [TestProject.venv + "/lib/python3.11/site-packages"])
        #expect(installation.isolateFromSystemSite)
        let py312 = try PythonInstallation.virtualEnvironment(at: TestProject.repository + "/.venvs/dj61")
        #expect(py312.version == "3.12")
        #expect(py312.library.hasSuffix("libpython3.12.so.1.0"))
    }
}

/// The evaluator knows the class hierarchy of Django's own storages and finders without importing
/// them (a speed-up); this pins that knowledge to real Django 4.2, 5.2 and 6.1.
@Suite struct StockClassesTests {
    @Test(arguments: ["dj42", "dj52", "dj61"])
    func stockClassHierarchiesMatchRealDjango(_ venv: String) throws {
        let script = """
            import sys
            sys.path.insert(0, sys.argv[1])
            import djstatic_evaluator as ev
            from django.utils.module_loading import import_string
            bad = [k for k, v in ev.STOCK_STORAGES.items() if ev.class_names(import_string(k)) != v]
            bad += [f for f in ev.STOCK_FINDERS if not isinstance(import_string(f), type)]
            print("mismatch:", bad)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestProject.repository + "/.venvs/\(venv)/bin/python")
        process.arguments = ["-c", script, TestProject.repository + "/Sources/DJPython/Resources"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(output == "mismatch: []\n")
    }
}

@Suite struct BackendConfigurationTests {
    /// django-storages' precedence (OPTIONS > class attribute > setting > environment > default),
    /// with where each value came from, the keys the backend rejects, and credentials only as "set".
    @Test func s3PrecedenceOriginsAndRejectedKeys() throws {
        let directory = try TestProject.make([
            "settings.py": """
                AWS_STORAGE_BUCKET_NAME = "assets"
                AWS_LOCATION = "shared"
                STORAGES = {
                    "default": {"BACKEND": "media.MediaStorage"},
                    "staticfiles": {
                        "BACKEND": "storages.backends.s3boto3.S3ManifestStaticStorage",
                        "OPTIONS": {"location": "static", "secret_key": SECRET, "AWS_LOCATION": "x"},
                    },
                }
                """.replacingOccurrences(of: "SECRET", with: #""wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY""#),
            "media.py": """
                from storages.backends.s3 import S3Storage

                class MediaStorage(S3Storage):
                    location = "media"
                """,
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let checker = TestProject.checker(environment: ["AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE"])
        let result = try checker.check(try ProjectDiscovery.target(forFile: directory + "/settings.py"))
        guard case .success(let snapshot) = result.outcome.result else { throw CheckError.python("evaluation failed") }
        let settings = directory + "/settings.py"

        let staticfiles = try #require(snapshot.backends["staticfiles"])
        #expect(staticfiles.family == .s3 && staticfiles.resolution == .library && staticfiles.isManifest)
        #expect(staticfiles.className == "storages.backends.s3.S3ManifestStaticStorage")
        #expect(staticfiles.location == SourceLocation(file: settings, line: 6, column: 9))
        #expect(staticfiles.options["location"] == BackendOption(
            value: .string("static"), origin: .options, location: SourceLocation(file: settings, line: 7, column: 21)))
        #expect(staticfiles.options["bucket_name"] == BackendOption(
            value: .string("assets"), origin: .setting("AWS_STORAGE_BUCKET_NAME"),
            location: SourceLocation(file: settings, line: 1, column: 1)))
        #expect(staticfiles.options["querystring_auth"]?.origin == .classAttribute("storages.backends.s3.S3StaticStorage"))
        #expect(staticfiles.options["access_key"] == BackendOption(
            value: .secret(redacted: "********"), origin: .environment("AWS_ACCESS_KEY_ID"), location: nil))
        #expect(staticfiles["secret_key"] == .secret(redacted: "********"))
        #expect(staticfiles.options["region_name"] == BackendOption(value: .none, origin: .default, location: nil))
        #expect(staticfiles.rejectedOptions == [BackendConfiguration.RejectedOption(
            key: "AWS_LOCATION", location: SourceLocation(file: settings, line: 7, column: 99))])
        #expect(staticfiles.uploadArguments.contains("CacheControl"))

        let media = try #require(snapshot.backends["default"])
        #expect(media.className == "media.MediaStorage" && media.rejectedOptions.isEmpty)
        #expect(media.options["location"] == BackendOption(
            value: .string("media"), origin: .classAttribute("media.MediaStorage"),
            location: SourceLocation(file: directory + "/media.py", line: 4, column: 5)))
    }

    /// Without the backend's SDK the dotted path is recognised and resolved from the option table.
    @Test func unimportableBackendIsResolvedFromItsPath() throws {
        let directory = try TestProject.make(["settings.py": """
            GS_BUCKET_NAME = "assets"
            STORAGES = {"staticfiles": {"BACKEND": "storages.backends.gcloud.GoogleCloudStorage",
                                        "OPTIONS": {"location": "/static", "bogus": 1}}}
            """])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try TestProject.checker().check(try ProjectDiscovery.target(forFile: directory + "/settings.py"))
        guard case .success(let snapshot) = result.outcome.result else { throw CheckError.python("evaluation failed") }
        let gcs = try #require(snapshot.backends["staticfiles"])
        #expect(gcs.family == .gcs && gcs.resolution == .path)
        #expect(gcs.options["bucket_name"]?.origin == .setting("GS_BUCKET_NAME"))
        #expect(gcs["querystring_auth"] == .bool(true))
        #expect(gcs["location"] == .string("/static"))
        #expect(gcs.rejectedOptions.map(\.key) == ["bogus"])
    }

    /// An S3 storage whose url() cannot answer without credentials (S3Storage signs its URLs and
    /// botocore raises NoCredentialsError) is still described for collect: the Python helper
    /// passes no base URL and S3Address (botocore's endpoint rules) addresses the bucket.
    @Test func s3StorageWithoutCredentialsIsAddressedByS3Address() throws {
        let directory = try TestProject.make(["settings.py": """
            INSTALLED_APPS = ["django.contrib.staticfiles", "storages"]
            STATIC_URL = "/static/"
            STORAGES = {
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "storages.backends.s3.S3Storage",
                                "OPTIONS": {"bucket_name": "assets", "location": "static", "region_name": "eu-west-1"}},
            }
            """])
        let nowhere = directory + "/no-aws-config"
        let checker = TestProject.checker(environment: [
            "AWS_EC2_METADATA_DISABLED": "true", "AWS_SHARED_CREDENTIALS_FILE": nowhere, "AWS_CONFIG_FILE": nowhere,
        ])
        let target = try ProjectDiscovery.target(forFile: directory + "/settings.py")
        let snapshot = try checker.evaluate(target, configuration: Configuration(), collect: true).0.result.get()
        let description = try #require(try snapshot.collect?.get())
        #expect(description.storage?.s3?.bucket == "assets")
        #expect(description.storage?.baseURL == "https://assets.s3.eu-west-1.amazonaws.com/static/")
    }
}
