import Foundation
import Testing

/// The `djstatic` Django app from the wheel, listed first in INSTALLED_APPS: `manage.py
/// collectstatic` against Django's own command in the same fresh virtualenv (exit status, stdout,
/// stderr, the output tree), and `manage.py djstatic_check`.
@Suite("the djstatic Django app")
struct DjangoAppTests {
    /// A project's settings with "djstatic" first in INSTALLED_APPS: a module `app_settings` in a
    /// directory of its own (on PYTHONPATH) that star-imports the fixture's settings.
    struct AppProject {
        var work: URL
        var venv: URL
        var fixture: URL

        init(venv name: String, fixture: String, settingsModule: String) throws {
            work = try Wheel.temporaryDirectory()
            venv = try Wheel.install(work.appendingPathComponent("venv"), python: Wheel.baseInterpreter(name), packagesOf: name)
            self.fixture = Paths.fixtures.appendingPathComponent(fixture)
            let settings = work.appendingPathComponent("app")
            try FileManager.default.createDirectory(at: settings, withIntermediateDirectories: true)
            try """
                from \(settingsModule) import *  # noqa: F401,F403

                INSTALLED_APPS = ["djstatic", *INSTALLED_APPS]  # noqa: F405

                """.write(to: settings.appendingPathComponent("app_settings.py"), atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(at: work) }

        var djangoRoot: String { work.appendingPathComponent("django").path }
        var appRoot: String { work.appendingPathComponent("app-root").path }

        /// `manage.py ARGUMENTS` with the fixture's own settings (`app: false`) or with the app.
        func manage(_ arguments: [String], app: Bool, environment extra: [String: String] = [:]) throws -> ProcessResult {
            var environment = Wheel.environment(venv).merging(extra) { $1 }
            environment["STATIC_ROOT"] = app ? appRoot : djangoRoot
            if app {
                environment["DJANGO_SETTINGS_MODULE"] = "app_settings"
                environment["PYTHONPATH"] = work.appendingPathComponent("app").path
            }
            return try runProcess(venv.appendingPathComponent("bin/python"), ["manage.py"] + arguments,
                                  environment: environment, currentDirectory: fixture)
        }

        /// collectstatic with and without the app: the same status, stdout, stderr (but for the one
        /// line djstatic adds at -v 2, returned) and tree.
        func expectSameCollect(_ arguments: [String], environment: [String: String] = [:], label: String,
                               sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
            let django = try manage(["collectstatic"] + arguments, app: false, environment: environment)
            let app = try manage(["collectstatic"] + arguments, app: true, environment: environment)
            let said = app.stderr.split(separator: "\n").first { $0.hasPrefix("djstatic: ") }.map(String.init)
            let appStderr = app.stderr.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("djstatic: ") }.joined(separator: "\n")
            #expect(app.status == django.status, "\(label): django\n\(django.summary)\napp\n\(app.summary)", sourceLocation: sourceLocation)
            #expect(app.stdout.replacingOccurrences(of: appRoot, with: "<ROOT>") == django.stdout.replacingOccurrences(of: djangoRoot, with: "<ROOT>"),
                    "\(label): stdout\n--- django ---\n\(django.stdout.suffix(2000))\n--- app ---\n\(app.stdout.suffix(2000))",
                    sourceLocation: sourceLocation)
            #expect(CollectStderr.normalise(appStderr, roots: [(appRoot, "<ROOT>")])
                    == CollectStderr.normalise(django.stderr, roots: [(djangoRoot, "<ROOT>")]),
                    "\(label): stderr\n--- django ---\n\(django.stderr.suffix(2000))\n--- app ---\n\(app.stderr.suffix(2000))",
                    sourceLocation: sourceLocation)
            let differences = TreeComparison.differences(djangoRoot, appRoot)
            #expect(differences.isEmpty, "\(label): trees differ:\n\(differences.prefix(20).joined(separator: "\n"))",
                    sourceLocation: sourceLocation)
            return said
        }
    }

    /// Every collect conformance scenario on the golden fixture: identical to Django's own
    /// collectstatic, and collected natively (at -v 2 djstatic says so; below, it says nothing).
    @Test(arguments: ["dj42", "dj52", "dj61"])
    func collectstaticIsDjangosAndNative(_ name: String) throws {
        let project = try AppProject(venv: name, fixture: CollectScenarios.golden, settingsModule: "golden.settings")
        defer { project.remove() }
        for scenario in CollectScenarios.all(name) where scenario.fixture == CollectScenarios.golden {
            try? FileManager.default.removeItem(atPath: project.djangoRoot)
            try? FileManager.default.removeItem(atPath: project.appRoot)
            for (index, arguments) in scenario.runs.enumerated() {
                let label = "\(scenario.testDescription) run \(index + 1) \(arguments.joined(separator: " "))"
                let said = try project.expectSameCollect(arguments, environment: scenario.environment, label: label)
                if arguments.contains("2") {
                    #expect(said?.hasPrefix("djstatic: collecting natively (djstatic ") == true, "\(label): \(said ?? "nothing")")
                } else {
                    #expect(said == nil, "\(label): \(said ?? "")")
                }
            }
        }
    }

    /// A storage that overrides `_save` (fixtures/collect-variants, VARIANT=banner): Django's own
    /// command collects, in the app's process; -v 2 says why.
    @Test(arguments: ["dj42", "dj52", "dj61"])
    func aStorageDjstaticDoesNotReproduceIsCollectedByDjango(_ name: String) throws {
        let project = try AppProject(venv: name, fixture: "collect-variants", settingsModule: "variants.settings")
        defer { project.remove() }
        for arguments in [["--noinput", "-v", "2"], ["--noinput"], ["--noinput", "--clear", "-v", "0"]] {
            let said = try project.expectSameCollect(arguments, environment: ["VARIANT": "banner"], label: "\(name) \(arguments)")
            if arguments.contains("2") {
                #expect(said?.contains("overrides _save") == true && said?.hasSuffix("Django's own collectstatic runs") == true,
                        "\(said ?? "nothing")")
            } else {
                #expect(said == nil, "\(said ?? "")")
            }
        }
        let banner = try String(contentsOfFile: project.appRoot + "/css/base.css", encoding: .utf8)
        #expect(banner.hasPrefix("/* (c) example.org */"), "the project's _save ran")
    }

    /// Django 4.1, which djstatic does not reproduce: Django's own command runs; -v 2 says why.
    @Test func anUnsupportedDjangoRunsDjangosOwnCommand() throws {
        let project = try AppProject(venv: "dj41", fixture: CollectScenarios.golden, settingsModule: "golden.settings")
        defer { project.remove() }
        let said = try project.expectSameCollect(["--noinput", "-v", "2"], label: "Django 4.1")
        #expect(said == "djstatic: not collecting natively (Django 4.1.13 is not a version djstatic reproduces (4.2 to 6.1)); "
                + "Django's own collectstatic runs", "\(said ?? "nothing")")
    }

    /// The package without its executable (removed from the virtualenv's bin/): Django's own command.
    @Test func withoutTheExecutableDjangosOwnCommandRuns() throws {
        let project = try AppProject(venv: "dj52", fixture: CollectScenarios.golden, settingsModule: "golden.settings")
        defer { project.remove() }
        try FileManager.default.removeItem(at: project.venv.appendingPathComponent("bin/djstatic"))
        let said = try project.expectSameCollect(["--noinput", "-v", "2"], label: "no executable")
        #expect(said == "djstatic: not collecting natively (no djstatic executable is installed with the djstatic package); "
                + "Django's own collectstatic runs", "\(said ?? "nothing")")
    }

    /// `manage.py djstatic_check` is `djstatic check` on the settings manage.py uses; options after --.
    /// The settings module that adds the app lives in the project, as it would in a real one (a
    /// module outside it would make the project's own storage module third-party code, which
    /// djstatic does not instantiate).
    @Test func djstaticCheckRunsTheRulesOnTheCurrentSettings() throws {
        let project = try AppProject(venv: "dj52", fixture: "seed-local", settingsModule: "myproject.settings")
        defer { project.remove() }
        let copy = project.work.appendingPathComponent("project")
        try FileManager.default.copyItem(at: project.fixture, to: copy)
        try FileManager.default.copyItem(at: project.work.appendingPathComponent("app/app_settings.py"),
                                         to: copy.appendingPathComponent("app_settings.py"))
        var environment = Wheel.environment(project.venv)
        environment["DJANGO_SECRET_KEY"] = "not-a-secret"
        environment["STATIC_ROOT"] = project.appRoot
        environment["DJANGO_SETTINGS_MODULE"] = "app_settings"
        let app = try runProcess(project.venv.appendingPathComponent("bin/python"),
                                 ["manage.py", "djstatic_check", "--", "--select", "DJS"],
                                 environment: environment, currentDirectory: copy)
        let direct = try runProcess(try Paths.djstatic(), ["check", "myproject/settings.py", "--select", "DJS",
                                                           "--python-path", Paths.venv("dj52").path],
                                    environment: Paths.baseEnvironment().merging(["DJANGO_SECRET_KEY": "not-a-secret"]) { $1 },
                                    currentDirectory: copy)
        #expect(app.status == direct.status && direct.status == 1, "app\n\(app.summary)\ndirect\n\(direct.summary)")
        #expect(app.stdout == direct.stdout && app.stdout.contains("error[DJS022]"), "app\n\(app.summary)\ndirect\n\(direct.summary)")
    }
}
