import Foundation
import Testing

/// The djstatic executable as a user runs it: discovery, configuration, formats, exit statuses.
@Suite struct CLIBehaviourTests {
    /// Writes a throw-away project (relative path -> text) and returns its directory.
    func project(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-cli-\(UUID().uuidString)")
        for (relative, text) in files {
            let url = directory.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return directory
    }

    func djstatic(_ arguments: [String], in directory: URL, venv: String? = "dj52",
                  environment extra: [String: String] = [:]) throws -> ProcessResult {
        var environment = Paths.baseEnvironment()
        environment.merge(extra) { $1 }
        let python = venv.map { ["--python-path", Paths.venv($0).path] } ?? []
        let evaluating = ["check", "inspect"].contains(arguments.first ?? "")
        return try runProcess(try Paths.djstatic(), arguments + (evaluating ? python : []),
                              environment: environment, currentDirectory: directory)
    }

    static let clean = """
        INSTALLED_APPS = ["django.contrib.staticfiles"]
        STATIC_URL = "/static/"
        STATIC_ROOT = "/srv/static"
        """

    @Test func exitStatusesFollowTheDocumentedContract() throws {
        let directory = try project(["clean.py": Self.clean, "broken.py": "STATIC_URL = '/static'\n",
                                     "raises.py": "import os\nX = os.environ['A'] + missing\n"])
        #expect(try djstatic(["check", "clean.py"], in: directory).status == 0)
        let broken = try djstatic(["check", "broken.py"], in: directory)
        #expect(broken.status == 1)
        #expect(broken.stdout.hasPrefix("broken.py:1:1: error[DJS006]: The STATIC_URL setting must end with a slash."))
        #expect(broken.stderr.contains("Found 1 error"))
        #expect(try djstatic(["check", "broken.py", "--exit-zero"], in: directory).status == 0)
        let raises = try djstatic(["check", "raises.py"], in: directory)
        #expect(raises.status == 2)
        #expect(raises.stdout.contains("raises.py:2:23: error[EVAL001]: NameError: name 'missing' is not defined"))
        #expect(try djstatic(["check", "clean.py", "--format", "xml"], in: directory).status == 2)
        #expect(try djstatic(["check", "nonexistent.py"], in: directory).status == 2)
        #expect(try djstatic(["check", "clean.py", "--select", "NOPE999"], in: directory).status == 2)
    }

    @Test func severalPathsInOneCallAndJSONOutput() throws {
        let directory = try project(["a.py": "STATIC_URL = '/a'\n", "b.py": "MEDIA_URL = '/m'\n"])
        let result = try djstatic(["check", "a.py", "b.py", "--format", "json"], in: directory)
        #expect(result.status == 1)
        let document = try jsonObject(result.stdout, what: "check --format json")
        let diagnostics = try #require(document["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.compactMap { $0["code"] as? String }.sorted() == ["DJS006", "DJS007"])
        #expect(diagnostics.compactMap { $0["file"] as? String }.sorted() == ["a.py", "b.py"])
        #expect((document["summary"] as? [String: Int])?["error"] == 2)
    }

    @Test func settingsAreFoundFromManagePyOrTheEnvironmentOrDottedName() throws {
        let directory = try project([
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_conf.settings')\n",
            "site_conf/__init__.py": "",
            "site_conf/settings.py": "STATIC_URL = '/from-manage-py'\n",
            "site_conf/other.py": "STATIC_URL = '/from-env'\n",
        ])
        let fromManage = try djstatic(["check", "--format", "json"], in: directory)
        #expect(fromManage.stdout.contains("site_conf/settings.py"), "\(fromManage.summary)")
        let fromEnvironment = try djstatic(["check"], in: directory,
                                           environment: ["DJANGO_SETTINGS_MODULE": "site_conf.other"])
        #expect(fromEnvironment.stdout.contains("site_conf/other.py:1:1: error[DJS006]"), "\(fromEnvironment.summary)")
        let dotted = try djstatic(["inspect", "--settings", "site_conf.other", "--project-root", directory.path],
                                  in: FileManager.default.temporaryDirectory)
        let document = try jsonObject(dotted.stdout, what: "inspect --settings")
        #expect(document["settings_module"] as? String == "site_conf.other")
        #expect((document["settings"] as? [String: Any])?["STATIC_URL"] as? String == "/from-env")
    }

    @Test func pyprojectConfigurationIsApplied() throws {
        let directory = try project([
            "manage.py": "",
            "pyproject.toml": """
                [tool.djstatic]
                settings = ["conf.settings"]
                ignore = ["DJS006"]
                env = { BUCKET = "assets" }
                colour = "blue"

                [tool.djstatic.severity]
                media-url-without-trailing-slash = "warning"
                """,
            "conf/__init__.py": "",
            "conf/settings.py": "import os\nSTATIC_URL = '/static'\nMEDIA_URL = '/media'\nB = os.environ['BUCKET']\n",
        ])
        let result = try djstatic(["check", "--format", "json"], in: directory)
        #expect(result.status == 0, "\(result.summary)")
        let document = try jsonObject(result.stdout, what: "check with pyproject")
        let diagnostics = try #require(document["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.map { "\($0["code"]!) \($0["severity"]!)" } == ["DJS007 warning"])
        #expect(result.stderr.contains("unknown key 'colour' in [tool.djstatic]"))
    }

    @Test func inlineSuppressionByCodeOrName() throws {
        let directory = try project(["s.py": """
            STATIC_URL = '/static'  # djstatic: ignore[static-url-without-trailing-slash]
            MEDIA_URL = '/media'  # djstatic: ignore[DJS006]
            """])
        let result = try djstatic(["check", "s.py"], in: directory)
        #expect(result.stdout == "s.py:2:1: error[DJS007]: The MEDIA_URL setting must end with a slash. (urls.E006)\n    hint: use '/media/'\n")
    }

    @Test func endlessSettingsTimeOut() throws {
        let directory = try project(["loop.py": "import time\nwhile True:\n    time.sleep(0.01)\n"])
        let start = Date()
        let result = try djstatic(["check", "loop.py", "--timeout", "1"], in: directory)
        #expect(result.status == 2)
        #expect(result.stdout.contains("error[EVAL004]"), "\(result.summary)")
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func printsFromSettingsStayOutOfTheReport() throws {
        let directory = try project(["noisy.py": "print('SETTINGS SAYS HI')\nimport os\nos.system('echo FROM SHELL')\nSTATIC_URL = '/s/'\n"])
        let quiet = try djstatic(["check", "noisy.py", "--format", "json"], in: directory)
        #expect(!quiet.stdout.contains("HI") && !quiet.stdout.contains("SHELL"))
        _ = try jsonObject(quiet.stdout, what: "json with a noisy settings module")
        let verbose = try djstatic(["check", "noisy.py", "-v"], in: directory)
        #expect(verbose.stderr.contains("SETTINGS SAYS HI") && verbose.stderr.contains("FROM SHELL"))
    }

    /// Django 6.1 runs on Python 3.12: the project's own interpreter is embedded.
    @Test func django61OnPython312() throws {
        let directory = try project(["s.py": Self.clean + "\nimport sys\nPYTHON = list(sys.version_info[:2])\n"])
        let result = try djstatic(["inspect", "s.py"], in: directory, venv: "dj61")
        #expect(result.status == 0, "\(result.summary)")
        let document = try jsonObject(result.stdout, what: "inspect on dj61")
        #expect(document["django_version"] as? String == "6.1.3")
        #expect((document["python_version"] as? String)?.hasPrefix("3.12.") == true)
        #expect((document["settings"] as? [String: Any])?["PYTHON"] as? [Int] == [3, 12])
    }

    /// On real Django 4.2, STORAGES with a legacy setting is refused at load: DJS003, not EVAL001.
    @Test func django42MutuallyExclusiveStorageSettings() throws {
        let directory = try project(["s.py": Self.clean + """

            STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
            STATICFILES_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            """])
        let on42 = try djstatic(["check", "s.py", "--format", "json"], in: directory, venv: "dj42")
        let codes42 = try (jsonObject(on42.stdout, what: "dj42")["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(codes42.contains("DJS003") && !codes42.contains("DJS001") && !codes42.contains("EVAL001"), "\(on42.summary)")
        let on52 = try djstatic(["check", "s.py", "--format", "json"], in: directory, venv: "dj52")
        let codes52 = try (jsonObject(on52.stdout, what: "dj52")["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(codes52.contains("DJS001") && !codes52.contains("DJS003"))
        let migrating = try djstatic(["check", "s.py", "--format", "json", "--django-version", "5.2"], in: directory, venv: "dj42")
        #expect(migrating.stdout.contains("DJS001"), "a 4.2 project checked for 5.2 learns what breaks on upgrade")
    }

    /// Every target version is accepted and drives the version-aware rules (a legacy setting is an
    /// error from 5.1 on); anything else is refused before evaluation, from the command line or
    /// ignored with a warning from pyproject.toml.
    @Test func djangoVersionTargets() throws {
        let directory = try project(["s.py": Self.clean + """

            STATICFILES_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            """])
        for (version, breaks) in [("4.2", false), ("5.0", false), ("5.1", true), ("5.2", true), ("6.0", true), ("6.1", true)] {
            let result = try djstatic(["check", "s.py", "--format", "json", "--django-version", version], in: directory, venv: "dj42")
            let codes = try (jsonObject(result.stdout, what: version)["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            #expect(codes.contains("DJS001") == breaks, "--django-version \(version): \(result.summary)")
        }
        for wrong in ["4.1", "7.0", "5", "latest"] {
            let result = try djstatic(["check", "s.py", "--django-version", wrong], in: directory, venv: "dj42")
            #expect(result.status == 2)
            #expect(result.stderr.contains("--django-version must be one of 4.2, 5.0, 5.1, 5.2, 6.0, 6.1, got '\(wrong)'"),
                    "\(result.summary)")
        }
        try "[tool.djstatic]\ndjango-version = \"3.2\"\n".write(to: directory.appendingPathComponent("pyproject.toml"),
                                                                   atomically: true, encoding: .utf8)
        let configured = try djstatic(["check", "s.py"], in: directory, venv: "dj42")
        #expect(configured.stderr.contains("django-version in [tool.djstatic] ignored: must be one of 4.2"), "\(configured.summary)")
        #expect(!configured.stdout.contains("DJS001"), "the installed 4.2 drives the rules instead")
    }

    @Test func mismatchedPythonIsExplained() throws {
        let directory = try project(["s.py": Self.clean])
        let result = try djstatic(["check", "s.py", "--python", "/usr/bin/python3.11"], in: directory, venv: "dj61")
        #expect(result.stderr.contains("is Python 3.12 but --python embeds Python 3.11"), "\(result.summary)")
    }

    /// A Python 3.7 virtualenv has a libpython3.7m.so: the message names the version, not the library.
    @Test func unsupportedPythonIsNamedAsSuch() throws {
        let directory = try project([
            "s.py": Self.clean,
            "py37/bin/python3.7": "",
            "py37/lib/libpython3.7m.so.1.0": "",
            "venv/pyvenv.cfg": "home = PLACEHOLDER/py37/bin\ninclude-system-site-packages = false\nversion = 3.7.17\n",
        ])
        let config = directory.appendingPathComponent("venv/pyvenv.cfg")
        try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "PLACEHOLDER", with: directory.path)
            .write(to: config, atomically: true, encoding: .utf8)
        let result = try djstatic(["check", "s.py", "--python-path", directory.appendingPathComponent("venv").path],
                                  in: directory, venv: nil)
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderr.contains("is Python 3.7; djstatic supports Python 3.10 to 3.13"), "\(result.summary)")
        #expect(!result.stderr.contains("enable-shared"), "\(result.summary)")
    }

    /// collectstatic's option spellings, as Django's own argparse parser accepts or refuses them.
    @Test func collectAcceptsWhatCollectstaticAccepts() throws {
        let directory = try project([
            "s.py": Self.clean + "\nSTATICFILES_DIRS = [\"assets\"]",
            "assets/site.css": "body {}",
        ])
        let spellings: [[String]] = [
            ["-v0"], ["-v", "0"], ["--verbosity=0"], ["--verbosity", "2"], ["-v3"], ["-i", "*.txt"], ["-i*.txt"],
            ["--ignore=*.txt"], ["--ignore", "*.txt", "-i", "*.map"], ["-n"], ["-l"], ["-c"], ["-nc"], ["-cl"],
            ["--no-input"], ["--noinput"], ["--no-post-process"], ["--no-default-ignore"], ["--dry-run", "--clear"],
            ["--skip-checks"], ["--no-color"], ["--skip-checks", "--no-color", "-v0"], ["--traceback"], ["--force-color"],
            ["-v4"], ["--verbosity=x"], ["-x"],
        ]
        let parser = """
            import json, sys
            from django.contrib.staticfiles.management.commands.collectstatic import Command
            for arguments in json.load(sys.stdin):
                try:
                    Command().create_parser("manage.py", "collectstatic").parse_args(arguments)
                    print("accepted")
                except BaseException:
                    print("refused")
            """
        let encoded = String(decoding: try JSONSerialization.data(withJSONObject: spellings), as: UTF8.self)
        let django = try runProcess(Paths.python("dj52"), ["-c", parser], environment: Paths.baseEnvironment(), input: encoded)
        let verdicts = django.stdout.split(separator: "\n").map(String.init)
        try #require(verdicts.count == spellings.count, "\(django.summary)")
        for (arguments, verdict) in zip(spellings, verdicts) {
            let result = try runProcess(try Paths.djstatic(),
                                        ["collect", "s.py", "--noinput", "-n", "--python-path", Paths.venv("dj52").path] + arguments,
                                        environment: Paths.baseEnvironment(), currentDirectory: directory)
            #expect((result.status == 0) == (verdict == "accepted"), "\(arguments): Django \(verdict); \(result.summary)")
        }
    }

    /// A storage's own patterns that the regex port cannot reproduce are never collected with other
    /// patterns: refused by name with --native-only (exit 2), else collected by Django's own command.
    @Test func irreproduciblePatternsAreRefusedByName() throws {
        let storage = """
            from django.contrib.staticfiles.storage import ManifestStaticFilesStorage


            class VerboseStorage(ManifestStaticFilesStorage):
                patterns = (("*.js", ((r"(?x) (?P<matched> load \\( '(?P<url>[^']+)' \\) )", "load('%(url)s')"),)),)


            class PercentStorage(ManifestStaticFilesStorage):
                patterns = (("*.js", ((r"(?P<matched>load\\('(?P<url>[^']+)'\\))", "load('%(url)s') /* 100%% */"),)),)
            """
        for (backend, reason) in [("VerboseStorage", "only IGNORECASE, MULTILINE, DOTALL"), ("PercentStorage", "template")] {
            let directory = try project([
                "s.py": Self.clean + "\nSTATIC_ROOT = \"out\"\nSTATICFILES_DIRS = [\"assets\"]\n"
                    + "STORAGES = {\"staticfiles\": {\"BACKEND\": \"shop_storage.\(backend)\"}}",
                "shop_storage.py": storage,
                "assets/app.js": "load('app.js');",
            ])
            let result = try runProcess(try Paths.djstatic(),
                                        ["collect", "s.py", "--noinput", "--native-only", "--python-path", Paths.venv("dj52").path],
                                        environment: Paths.baseEnvironment(), currentDirectory: directory)
            #expect(result.status == 2, "\(backend): \(result.summary)")
            #expect(result.stderr.contains("shop_storage.\(backend): patterns") && result.stderr.contains(reason),
                    "\(backend): \(result.summary)")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path))
            let fallback = try runProcess(try Paths.djstatic(),
                                          ["collect", "s.py", "--noinput", "--python-path", Paths.venv("dj52").path],
                                          environment: Paths.baseEnvironment(), currentDirectory: directory)
            #expect(fallback.stderr.contains("running Django's own collectstatic"), "\(backend): \(fallback.summary)")
        }
    }

    /// Settings code cannot end djstatic, close its descriptors or print into its report.
    @Test func hostileSettingsCannotBreakTheReport() throws {
        let exiting = try djstatic(["check", "s.py", "--format", "json"],
                                   in: try project(["s.py": Self.clean + "\nimport os\nos._exit(0)\n"]))
        #expect(exiting.status == 2, "\(exiting.summary)")
        let report = try jsonObject(exiting.stdout, what: "os._exit settings")
        let codes = (report["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(codes == ["EVAL001"] && exiting.stdout.contains("os._exit(0)"), "\(exiting.summary)")

        let closing = try djstatic(["check", "s.py", "--format", "json"],
                                   in: try project(["s.py": Self.clean + "\nimport os\nos.closerange(3, 4096)\nSTATIC_URL = 'static'\n"]))
        #expect(closing.status == 1, "\(closing.summary)")
        #expect(try jsonObject(closing.stdout, what: "closerange settings")["summary"] != nil, "\(closing.summary)")

        let chatty = """
            import sys, threading, time
            def chatter():
                for _ in range(200):
                    print("tick from a settings thread")
                    sys.stdout.flush()
                    time.sleep(0.002)
            threading.Thread(target=chatter, daemon=True).start()
            time.sleep(0.01)
            """
        let threaded = try djstatic(["check", "s.py", "--format", "json"], in: try project(["s.py": Self.clean + "\n" + chatty]))
        #expect(threaded.status == 0, "\(threaded.summary)")
        #expect(!threaded.stdout.contains("tick"), "\(threaded.summary)")
        _ = try jsonObject(threaded.stdout, what: "settings with a printing thread")
    }

    /// Settings that Django imports: json.dumps wrapped, a lone surrogate, a non-UTF-8 path; and a
    /// non-UTF-8 source file is EVAL002 at the line holding the bytes, as Python reports it.
    @Test func oddButValidSettingsEvaluate() throws {
        let odd = Self.clean + """

            import json
            _dumps = json.dumps
            json.dumps = lambda *a, **k: "not json"
            MARKER = "half \\ud800 pair"
            UPLOAD_DIR = b"/srv/upl\\xe9ads".decode("utf-8", "surrogateescape")
            """
        let result = try djstatic(["inspect", "s.py", "--format", "json"], in: try project(["s.py": odd]))
        #expect(result.status == 0, "\(result.summary)")
        let settings = try jsonObject(result.stdout, what: "odd settings")["settings"] as? [String: Any] ?? [:]
        #expect(settings["MARKER"] as? String == "half \u{FFFD}\u{FFFD}\u{FFFD} pair", "\(result.summary)")  // its 3 UTF-8 bytes
        #expect(settings["UPLOAD_DIR"] as? String == "/srv/upl\u{FFFD}ads", "\(result.summary)")

        // os.environ replaced by a dict: no placeholder can stand in, and the failure says what to set.
        let replaced = try djstatic(["check", "s.py"], in: try project(["s.py": Self.clean + """

            import os
            os.environ = dict(os.environ)
            BUCKET = os.environ["DJSTATIC_TEST_UNSET_BUCKET"]
            """]))
        #expect(replaced.status == 2 && replaced.stdout.contains("--env DJSTATIC_TEST_UNSET_BUCKET="), "\(replaced.summary)")

        let directory = try project(["s.py": ""])
        try Data("STATIC_URL = \"/static/\"\nTITLE = \"caf\u{E9}\"\n".utf8).write(to: directory.appendingPathComponent("s.py"))
        var latin1 = Data("STATIC_URL = \"/static/\"\nTITLE = \"caf".utf8)
        latin1.append(0xE9)
        latin1.append(contentsOf: Data("\"\n".utf8))
        try latin1.write(to: directory.appendingPathComponent("s.py"))
        let failing = try djstatic(["check", "s.py"], in: directory)
        #expect(failing.status == 2 && failing.stdout.contains("s.py:2:") && failing.stdout.contains("EVAL002"),
                "\(failing.summary)")
    }

    /// A settings file whose name (and directory) is not UTF-8, as Python and Django accept it:
    /// found (not "no such file"), evaluated, and its failure reported at its line. The path goes
    /// through a shell, since a Swift String cannot carry those bytes into argv.
    @Test func settingsFileWithANonUTF8NameEvaluates() throws {
        let directory = try project(["placeholder": ""])
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = """
            mkdir -p "$(printf 'sub\\377')"
            printf '%s\\n' 'INSTALLED_APPS = ["django.contrib.staticfiles"]' 'STATIC_URL = "/static/"' \\
                'STATIC_ROOT = "/srv/static"' 'HERE = __file__' > "$(printf 'sub\\377/caf\\351_settings.py')"
            printf '%s\\n' 'STATIC_URL = "/static/"' '' 'X = int("not a number")' > "$(printf 'sub\\377/bad\\351.py')"
            exec "$0" "$1" "$(printf "sub\\377/$2")" --python-path "$3" --format "$4"
            """
        func run(_ command: String, _ file: String, _ format: String) throws -> ProcessResult {
            try runProcess(URL(fileURLWithPath: "/bin/sh"),
                           ["-c", script, try Paths.djstatic().path, command, file, Paths.venv("dj52").path, format],
                           environment: Paths.baseEnvironment(), currentDirectory: directory)
        }
        let inspected = try run("inspect", "caf\\351_settings.py", "json")
        #expect(inspected.status == 0, "\(inspected.summary)")
        let settings = try jsonObject(inspected.stdout, what: "inspect")["settings"] as? [String: Any] ?? [:]
        #expect(settings["STATIC_ROOT"] as? String == "/srv/static", "\(inspected.summary)")
        #expect((settings["HERE"] as? String)?.hasSuffix("/sub\u{FFFD}/caf\u{FFFD}_settings.py") == true,
                "__file__ is the file's own path (shown with U+FFFD for the bytes): \(settings["HERE"] ?? "none")")
        let checked = try run("check", "caf\\351_settings.py", "text")
        #expect(checked.status == 0, "\(checked.summary)")
        let failing = try run("check", "bad\\351.py", "text")
        #expect(failing.status == 2 && failing.stdout.contains("bad\u{FFFD}.py:3:") && failing.stdout.contains("EVAL001"),
                "\(failing.summary)")
    }

    /// 128 MiB printed by settings: djstatic's memory stays bounded (the output is kept in a
    /// temporary file; -v shows its first MiB and says how much more there was).
    @Test func settingsOutputDoesNotGrowMemory() throws {
        let directory = try project(["s.py": Self.clean + """

            import sys
            chunk = "x" * 1023 + "\\n"
            for _ in range(128 * 1024):
                sys.stdout.write(chunk)
            """])
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/time"),
                                    ["-f", "peak-kib=%M", try Paths.djstatic().path, "check", "s.py", "-v",
                                     "--python-path", Paths.venv("dj52").path],
                                    environment: Paths.baseEnvironment(), currentDirectory: directory)
        #expect(result.status == 0, "\(result.summary.prefix(2000))")
        #expect(result.stderr.contains("more bytes of output not shown"), "\(result.stderr.suffix(500))")
        let peak = result.stderr.split(separator: "\n").last { $0.hasPrefix("peak-kib=") }.flatMap { Int($0.dropFirst(9)) }
        let kib = try #require(peak, "\(result.stderr.suffix(500))")
        #expect(kib < 120 * 1024, "peak RSS \(kib) KiB for 128 MiB of settings output")
    }

    @Test func ruleDocumentation() throws {
        let directory = FileManager.default.temporaryDirectory
        let rule = try djstatic(["rule", "DJS006"], in: directory, venv: nil)
        #expect(rule.status == 0)
        #expect(rule.stdout.hasPrefix("DJS006 (static-url-without-trailing-slash) — error"))
        #expect(rule.stdout.contains("## Use instead"))
        #expect(try djstatic(["rule", "static-url-without-trailing-slash"], in: directory, venv: nil).stdout == rule.stdout)
        #expect(try djstatic(["rule", "XYZ001"], in: directory, venv: nil).status == 2)
        let rules = try djstatic(["rules"], in: directory, venv: nil)
        #expect(rules.stdout.split(separator: "\n").count >= 32)
    }

    // MARK: regressions found by trying djstatic on real projects

    @Test func inspectTextFormatPrintsOneLinePerSetting() throws {
        let directory = try project(["s.py": Self.clean])
        let result = try djstatic(["inspect", "s.py", "--format", "text"], in: directory)
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout.contains("STATIC_URL = \"/static/\"  # "))
        #expect(result.stdout.contains("DEBUG = false\n"))
    }

    /// django-compressor's finder imports models: importable once the app registry is filled.
    @Test func finderNeedingTheAppRegistryIsNotReportedUnimportable() throws {
        let directory = try project([
            "s.py": Self.clean + "\nINSTALLED_APPS += ['django.contrib.contenttypes', 'django.contrib.auth']\n"
                + "STATICFILES_FINDERS = ['django.contrib.staticfiles.finders.FileSystemFinder', 'appfinder.ModelFinder']\n",
            "appfinder.py": """
                from django.contrib.auth.models import User  # needs the app registry
                from django.contrib.staticfiles.finders import BaseFinder

                class ModelFinder(BaseFinder):
                    def find(self, path, find_all=False, **kwargs):
                        return []

                    def list(self, ignore_patterns):
                        return []
                """,
        ])
        let result = try djstatic(["check", "s.py", "--select", "DJS021"], in: directory)
        #expect(result.status == 0 && result.stdout.isEmpty, "\(result.summary)")
    }

    @Test func settingsPackageInitIsImportedOnce() throws {
        let directory = try project([
            "manage.py": "",
            "proj/__init__.py": "",
            "proj/settings/__init__.py": "import os\nwith open(os.environ['COUNT_FILE'], 'a') as f: f.write('x')\nSTATIC_URL = '/s/'\n",
        ])
        let counter = directory.appendingPathComponent("count").path
        let result = try djstatic(["inspect", "proj/settings/__init__.py"], in: directory, environment: ["COUNT_FILE": counter])
        let document = try jsonObject(result.stdout, what: "inspect of a settings package")
        #expect(document["settings_module"] as? String == "proj.settings")
        #expect(try String(contentsOfFile: counter, encoding: .utf8) == "x")
    }

    @Test func credentialsByNameAreRedactedButCodePathsAreNot() throws {
        let directory = try project(["s.py": """
            import os
            METRICS_KEY = os.environ["METRICS"]
            TWILIO_AUTH = "twilio-auth-value"
            SENTRY_DSN = "https://abc123def@sentry.example.com/1"
            API_TOKEN_PEPPERS = {1: "pepper-value-1"}
            PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
            SHORT_SECRET = "netbox"
            """])
        let result = try djstatic(["inspect", "s.py", "--env", "METRICS=metrics-secret-value"], in: directory)
        for secret in ["metrics-secret-value", "twilio-auth-value", "abc123def", "pepper-value-1", "netbox"] {
            #expect(!result.stdout.contains(secret), "\(secret) printed")
        }
        let settings = try #require(jsonObject(result.stdout, what: "inspect")["settings"] as? [String: Any])
        #expect(settings["PASSWORD_HASHERS"] as? [String] == ["django.contrib.auth.hashers.PBKDF2PasswordHasher"])
        #expect(settings["SHORT_SECRET"] as? String == "********", "the mask does not reveal the length")
    }

    @Test func sec001LeavesNonStorageSecretsAlone() throws {
        let directory = try project(["s.py": """
            import os
            SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-key-123")
            FALLBACK = {"secret_key": "not-a-storage-option-123"}
            PAYMENTS = {}
            STRIPE_SECRET_KEY = PAYMENTS.get("stripe_secret_key", "sk_test_123456789")
            """])
        let result = try djstatic(["check", "s.py", "--select", "SEC001"], in: directory)
        #expect(result.status == 0 && result.stdout.isEmpty, "\(result.summary)")
    }

    @Test func strictEnvironmentNamesTheMissingVariable() throws {
        let directory = try project(["s.py": "import os\nBUCKET = os.environ['BUCKET_NAME']\n"])
        let result = try djstatic(["check", "s.py", "--strict-env"], in: directory)
        #expect(result.status == 2)
        #expect(result.stdout.contains("s.py:2:10: error[EVAL001]: MissingEnvironmentVariable: environment variable 'BUCKET_NAME' is not set"),
                "\(result.summary)")
    }

    /// Settings blocked in C code past --timeout still produce a well-formed report.
    @Test func blockedSettingsTimeOutWithAWellFormedJSONReport() throws {
        let directory = try project(["slow.py": "import time\ntime.sleep(30)\n"])
        let start = Date()
        let result = try djstatic(["check", "slow.py", "--timeout", "1", "--format", "json"], in: directory)
        #expect(result.status == 2)
        #expect(Date().timeIntervalSince(start) < 8)
        let document = try jsonObject(result.stdout, what: "check --format json after a hard timeout")
        let codes = (document["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(codes == ["EVAL004"])
        #expect((document["diagnostics"] as? [[String: Any]])?.first?["file"] as? String == "slow.py")
    }

    @Test func missingDjangoIsOneClearNote() throws {
        let directory = try project(["s.py": Self.clean])
        let result = try djstatic(["check", "s.py", "--python", "/usr/bin/python3.11"], in: directory, venv: nil)
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.contains("Django is not importable"))
        #expect(!result.stdout.contains("No module named 'django'"))
    }
}

