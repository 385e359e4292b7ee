import Foundation
import Testing

// Shared by the differential collect suites (CollectRandomisedTests, CollectErrorTests,
// CollectStorageVariantsTests): runs `manage.py collectstatic` and `djstatic collect` on the same
// project into two roots (optionally feeding standard input, for the interactive prompt) and
// compares exit status, stdout, normalised stderr and the output trees. Builds on the existing
// harness (`TreeComparison`, `Paths`, `ProcessResult`).

/// Normalises collectstatic's standard error so that Django's and djstatic's can be compared:
/// roots replaced, Python tracebacks removed (the text before the first traceback and the final
/// exception are kept), module prefixes of exception types dropped
/// (`django.core.exceptions.SuspiciousFileOperation: …` → `SuspiciousFileOperation: …`), object
/// addresses (` at 0x7f…>`) removed.
enum CollectStderr {
    static func normalise(_ text: String, roots: [(String, String)] = []) -> String {
        var text = text
        for (root, placeholder) in roots where !root.isEmpty {
            text = text.replacingOccurrences(of: root, with: placeholder)
        }
        text = text.replacingOccurrences(of: #" at 0x[0-9a-fA-F]+>"#, with: ">", options: .regularExpression)
        let lines = text.components(separatedBy: "\n")
        guard let first = lines.firstIndex(of: "Traceback (most recent call last):"),
              let last = lines.lastIndex(of: "Traceback (most recent call last):") else {
            return stripModules(lines).joined(separator: "\n")
        }
        var index = last + 1
        while index < lines.count, lines[index].hasPrefix(" ") { index += 1 }  // frames, code, ^^^ markers
        let kept = Array(lines[..<first]) + Array(lines[index...])
        return stripModules(kept).joined(separator: "\n")
    }

    private static func stripModules(_ lines: [String]) -> [String] {
        lines.map {
            $0.replacingOccurrences(of: #"^(?:[A-Za-z_][A-Za-z0-9_]*\.)+([A-Za-z_][A-Za-z0-9_]*)(?=: |$)"#, with: "$1",
                                    options: .regularExpression)
        }
    }

    /// The first line (empty when there is none).
    static func firstLine(_ text: String) -> String {
        text.components(separatedBy: "\n").first ?? ""
    }
}

/// One project collected by both tools into two roots under a private work directory.
struct CollectPair {
    var project: URL
    var settingsFile: String
    var venv: String
    var work: URL
    /// Extra environment of both tools (STATIC_ROOT is set per tool unless `setStaticRoot` is false).
    var environment: [String: String] = [:]
    var setStaticRoot = true
    /// A command both tools are started through (e.g. `setpriv` with fewer capabilities).
    var launcher: [String] = []
    /// djstatic's STATIC_ROOT, when not `work/djstatic` (e.g. on a small tmpfs).
    var ourRootOverride: String?

    var djangoRoot: String { work.appendingPathComponent("django").path }
    var ourRoot: String { ourRootOverride ?? work.appendingPathComponent("djstatic").path }

    init(project: URL, settingsFile: String, venv: String, environment: [String: String] = [:]) {
        self.project = project
        self.settingsFile = settingsFile
        self.venv = venv
        self.environment = environment
        self.work = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-cdiff-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    func removeWork() { try? FileManager.default.removeItem(at: work) }

    struct Outcome {
        var django: ProcessResult
        var ours: ProcessResult
    }

    /// Runs Django, then djstatic, with the same arguments and standard input.
    func run(_ arguments: [String], input: String? = nil, extraEnvironment: [String: String] = [:]) throws -> Outcome {
        var environment = Paths.baseEnvironment()
        environment.merge(self.environment) { $1 }
        environment.merge(extraEnvironment) { $1 }
        environment["STATIC_ROOT"] = setStaticRoot ? djangoRoot : nil
        let django = try launch(Paths.python(venv), ["manage.py", "collectstatic"] + arguments,
                                environment: environment, input: input)
        if setStaticRoot { environment["STATIC_ROOT"] = ourRoot }
        let ours = try runOurs(arguments, environment: environment, input: input)
        return Outcome(django: django, ours: ours)
    }

    /// djstatic alone, with the environment `run` gives it.
    func runOurs(_ arguments: [String], input: String? = nil, extraEnvironment: [String: String] = [:]) throws -> ProcessResult {
        var environment = Paths.baseEnvironment()
        environment.merge(self.environment) { $1 }
        environment.merge(extraEnvironment) { $1 }
        environment["STATIC_ROOT"] = setStaticRoot ? ourRoot : nil
        return try runOurs(arguments, environment: environment, input: input)
    }

    private func runOurs(_ arguments: [String], environment: [String: String], input: String?) throws -> ProcessResult {
        try launch(try Paths.djstatic(), ["collect", settingsFile, "--python-path", Paths.venv(venv).path] + arguments,
                   environment: environment, input: input)
    }

    private func launch(_ executable: URL, _ arguments: [String], environment: [String: String], input: String?) throws -> ProcessResult {
        guard let first = launcher.first else {
            return try runProcess(executable, arguments, environment: environment, currentDirectory: project, input: input)
        }
        return try runProcess(URL(fileURLWithPath: first), Array(launcher.dropFirst()) + [executable.path] + arguments,
                              environment: environment, currentDirectory: project, input: input)
    }

    func stdout(_ outcome: Outcome) -> (django: String, ours: String) {
        (outcome.django.stdout.replacingOccurrences(of: djangoRoot, with: "<ROOT>"),
         outcome.ours.stdout.replacingOccurrences(of: ourRoot, with: "<ROOT>"))
    }

    func stderr(_ outcome: Outcome) -> (django: String, ours: String) {
        (CollectStderr.normalise(outcome.django.stderr, roots: [(djangoRoot, "<ROOT>")]),
         CollectStderr.normalise(outcome.ours.stderr, roots: [(ourRoot, "<ROOT>")]))
    }

    /// Exit status, stdout (roots replaced), normalised stderr (first line, then the whole) and the
    /// trees. Returns whether everything matched.
    @discardableResult
    func expectSame(_ label: String, _ outcome: Outcome, stderr compareStderr: Bool = true, trees: Bool = true,
                    sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        var ok = true
        if outcome.ours.status != outcome.django.status || outcome.ours.signalled {
            ok = false
            Issue.record(Comment(rawValue: "\(label): exit status django \(outcome.django.status), djstatic \(outcome.ours.status)"
                         + "\n--- django ---\n\(outcome.django.summary.suffix(3000))\n--- djstatic ---\n\(outcome.ours.summary.suffix(3000))"),
                         sourceLocation: sourceLocation)
        }
        let out = stdout(outcome)
        if !out.django.utf8.elementsEqual(out.ours.utf8) {  // byte for byte: String == is canonical equivalence
            ok = false
            Issue.record(Comment(rawValue: "\(label): stdout differs\n--- django ---\n\(out.django.suffix(3000))\n--- djstatic ---\n\(out.ours.suffix(3000))"
                         + "\n--- first differing line ---\n\(Self.firstDifference(out.django, out.ours))"),
                         sourceLocation: sourceLocation)
        }
        if compareStderr {
            let err = stderr(outcome)
            if CollectStderr.firstLine(err.django) != CollectStderr.firstLine(err.ours) {
                ok = false
                Issue.record(Comment(rawValue: "\(label): first line of stderr differs\ndjango:   \(CollectStderr.firstLine(err.django).debugDescription)"
                             + "\ndjstatic: \(CollectStderr.firstLine(err.ours).debugDescription)"), sourceLocation: sourceLocation)
            }
            if !err.django.utf8.elementsEqual(err.ours.utf8) {
                ok = false
                Issue.record(Comment(rawValue: "\(label): stderr (normalised) differs\n--- django ---\n\(err.django.suffix(3000))\n--- djstatic ---\n"
                             + "\(err.ours.suffix(3000))\n--- raw django ---\n\(outcome.django.stderr.suffix(1500))"),
                             sourceLocation: sourceLocation)
            }
        }
        if trees {
            let differences = TreeComparison.differences(djangoRoot, ourRoot)
            if !differences.isEmpty {
                ok = false
                Issue.record(Comment(rawValue: "\(label): output trees differ (\(differences.count)):\n"
                             + differences.prefix(15).joined(separator: "\n")), sourceLocation: sourceLocation)
            }
        }
        return ok
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let x = a.components(separatedBy: "\n"), y = b.components(separatedBy: "\n")
        for index in 0..<max(x.count, y.count) {
            let left = index < x.count ? x[index] : "<none>", right = index < y.count ? y[index] : "<none>"
            if left != right { return "line \(index + 1):\n  django:   \(left.debugDescription)\n  djstatic: \(right.debugDescription)" }
        }
        return "(none)"
    }
}

/// Writes small Django projects for the differential tests.
enum CollectProject {
    static let manage = """
        #!/usr/bin/env python
        import os
        import sys

        if __name__ == "__main__":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
            from django.core.management import execute_from_command_line

            execute_from_command_line(sys.argv)

        """

    /// Settings of a generated project: STATIC_ROOT from the environment (None when unset),
    /// STATIC_BACKEND from the environment (default ManifestStaticFilesStorage), `src` as the only
    /// STATICFILES_DIRS entry, only the staticfiles app.
    static let settings = """
        import os
        from pathlib import Path

        BASE_DIR = Path(__file__).resolve().parent.parent
        SECRET_KEY = "generated-not-secret"
        INSTALLED_APPS = ["django.contrib.staticfiles"]
        STATIC_URL = "/static/"
        STATIC_ROOT = os.environ.get("STATIC_ROOT")
        STATICFILES_DIRS = [BASE_DIR / "src"]
        STORAGES = {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": os.environ.get(
                "STATIC_BACKEND", "django.contrib.staticfiles.storage.ManifestStaticFilesStorage")},
        }

        """

    static let settingsFile = "proj/settings.py"

    /// A new project directory under `parent` with `files` (paths relative to `src/`, exact bytes).
    /// Source mtimes are set to a fixed time in the past, so re-runs see them as unmodified.
    static func make(in parent: URL, files: [String: Data]) throws -> URL {
        let project = parent.appendingPathComponent("project")
        let fm = FileManager.default
        try fm.createDirectory(at: project.appendingPathComponent("proj"), withIntermediateDirectories: true)
        try Data(manage.utf8).write(to: project.appendingPathComponent("manage.py"))
        try Data().write(to: project.appendingPathComponent("proj/__init__.py"))
        try Data(settings.utf8).write(to: project.appendingPathComponent(settingsFile))
        try fm.createDirectory(at: project.appendingPathComponent("src"), withIntermediateDirectories: true)
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            try write(data, to: project.appendingPathComponent("src/" + path), mtime: 1_600_000_000)
        }
        return project
    }

    /// Writes a file (creating directories) and sets its mtime.
    static func write(_ data: Data, to url: URL, mtime: TimeInterval) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: mtime)], ofItemAtPath: url.path)
    }
}

@Suite("collect differential harness")
struct CollectHarnessTests {
    @Test func stderrNormalisationDropsTracebacksModulesAndAddresses() {
        let django = """
            Post-processing 'css/t.css' failed!

            Traceback (most recent call last):
              File "/x/manage.py", line 9, in <module>
                execute_from_command_line(sys.argv)
                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
            ValueError: The file 'img/m.png' could not be found with <django.contrib.staticfiles.storage.ManifestStaticFilesStorage object at 0x7f3a2b1c9d50>.

            """
        let ours = """
            Post-processing 'css/t.css' failed!

            ValueError: The file 'img/m.png' could not be found with <django.contrib.staticfiles.storage.ManifestStaticFilesStorage object>.

            """
        #expect(CollectStderr.normalise(django) == CollectStderr.normalise(ours))
        #expect(CollectStderr.firstLine(CollectStderr.normalise(django)) == "Post-processing 'css/t.css' failed!")
        let raw = "Traceback (most recent call last):\n  File \"a\", line 1\ndjango.core.exceptions.SuspiciousFileOperation: The joined path (/w/x.png) is located outside of the base path component (/w/django)\n"
        #expect(CollectStderr.normalise(raw, roots: [("/w/django", "<ROOT>")])
                == "SuspiciousFileOperation: The joined path (/w/x.png) is located outside of the base path component (<ROOT>)\n")
        #expect(CollectStderr.normalise("CommandError: Collecting static files cancelled.\n")
                == "CommandError: Collecting static files cancelled.\n")
    }
}
