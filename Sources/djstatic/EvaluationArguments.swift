import ArgumentParser
import DJProject
import DJOutput
import DJPython
import DJRules
import DJSettings
import Foundation

/// Options every command that evaluates settings accepts.
struct EvaluationArguments: ParsableArguments {
    @Option(name: .customLong("settings"), help: "Dotted settings module (with --project-root) instead of a path.")
    var settingsModule: String?

    @Option(help: ArgumentHelp("Directory the dotted --settings module is imported from.", valueName: "dir"),
            completion: .directory)
    var projectRoot: String?

    @Option(help: ArgumentHelp("The project's Python: an interpreter, a virtualenv directory or a libpython file.",
                               valueName: "path"), completion: .file())
    var python: String?

    @Option(name: .customLong("python-path"),
            help: ArgumentHelp("A virtualenv or directory to put on sys.path (repeatable).", valueName: "dir"),
            completion: .directory)
    var pythonPaths: [String] = []

    @Option(name: .customLong("env"), help: ArgumentHelp("Set an environment variable for the settings (repeatable).",
                                                         valueName: "KEY=VALUE"))
    var environment: [String] = []

    @Option(name: .customLong("env-file"), help: ArgumentHelp("Read variables from a .env file (repeatable).", valueName: "file"),
            completion: .file())
    var environmentFiles: [String] = []

    @Flag(name: .customLong("strict-env"), help: "Fail when the settings read an unset environment variable.")
    var strictEnvironment = false

    @Option(help: ArgumentHelp("Seconds the settings may take to evaluate (default 30).", valueName: "seconds"))
    var timeout: Double?

    func validate() throws {
        for pair in environment where !pair.contains("=") {
            throw ValidationError("--env expects KEY=VALUE, got '\(pair)'")
        }
        if let timeout, timeout <= 0 { throw ValidationError("--timeout must be positive") }
        if projectRoot != nil && settingsModule == nil {
            throw ValidationError("--project-root goes with --settings MODULE")
        }
    }

    var options: EvaluationOptions {
        var options = EvaluationOptions()
        options.python = python
        options.pythonPaths = pythonPaths.map { ProjectDiscoveryPaths.absolute($0) }
        for pair in environment {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            options.environment[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        options.environmentFiles = environmentFiles
        options.strictEnvironment = strictEnvironment
        options.timeout = timeout
        return options
    }

    /// Settings targets from paths, --settings, or project defaults.
    func targets(paths: [String]) throws -> [SettingsTarget] {
        if let settingsModule {
            return [ProjectDiscovery.target(forModule: settingsModule, projectRoot: projectRoot)]
        }
        if !paths.isEmpty { return try paths.map { try ProjectDiscovery.target(forFile: $0) } }
        let cwd = FileManager.default.currentDirectoryPath
        return try ProjectDiscovery.defaultTargets(from: cwd, configuration: Configuration.load(near: cwd),
                                                   environment: ProcessInfo.processInfo.environment)
    }
}

enum ProjectDiscoveryPaths {
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

extension EvaluationArguments {
    /// Evaluates a target for inspect/collect/find: a failure is reported as its EVAL diagnostic
    /// (with the traceback when `verbose`) and ends the command with exit status 2.
    func snapshot(of target: SettingsTarget, options: EvaluationOptions, finders: Bool = false,
                  migration: EvaluationRequest.MigrationMode? = nil, verbose: Bool = false) throws -> SettingsSnapshot {
        try evaluate(target, options: options, finders: finders, migration: migration, verbose: verbose).snapshot
    }

    /// `snapshot(of:)` with what the settings printed. `onFailure`: given what they printed when
    /// they fail, before the diagnostic is written.
    func evaluate(_ target: SettingsTarget, options: EvaluationOptions, collect: Bool = false, finders: Bool = false,
                  migration: EvaluationRequest.MigrationMode? = nil, verbose: Bool = false,
                  preview: CollectPreview? = nil, ruleData: Bool = true,
                  onFailure: ((CapturedOutput) -> Void)? = nil) throws
        -> (snapshot: SettingsSnapshot, output: CapturedOutput) {
        let outcome: EvaluationOutcome
        do {
            outcome = try Checker(options: options).evaluate(target, configuration: Configuration.load(for: target),
                                                             collect: collect, finders: finders, migration: migration,
                                                             preview: preview, ruleData: ruleData).0
        } catch {
            printError("djstatic: error: \(error)")
            throw Exit(status: 2)
        }
        switch outcome.result {
        case .success(let snapshot):
            return (snapshot, outcome.output)
        case .failure(let failure):
            onFailure?(outcome.output)
            // The evaluation rules place and name the failure, as `check` reports it.
            let context = RuleContext(outcome: .failed(failure, settingsFile: target.file ?? ""), djangoVersion: .fallback,
                                      projectRoot: target.workingDirectory)
            let diagnostics = RuleEngine(rules: BuiltInRules.all.filter { $0.description.code.hasPrefix("EVAL") }).run(context)
            let reporter = Reporter(format: .text, toolVersion: Djstatic.version)
            printError(reporter.render(diagnostics.filter { $0.severity == .error }))
            if verbose { printError(failure.traceback) }
            throw Exit(status: 2)
        }
    }
}

extension EvaluationArguments {
    /// The target, its options and its snapshot with collectstatic's description (finders and
    /// storage), evaluated as `manage.py collectstatic` would: what collect and prune start from.
    /// `preview`: the pipe the evaluation previews the description through (see `CollectPreview`).
    /// `systemChecks`: also the system checks collectstatic runs first (`SettingsSnapshot.collectChecks`).
    /// Also returns what the settings and `django.setup()` printed (given to `onFailure` when the
    /// settings fail).
    func collectSnapshot(paths: [String], preview: CollectPreview? = nil, systemChecks: Bool = false,
                         onFailure: ((CapturedOutput) -> Void)? = nil) throws
        -> (target: SettingsTarget, options: EvaluationOptions, snapshot: SettingsSnapshot, printed: CapturedOutput) {
        var options = self.options
        options.argv = ["manage.py", "collectstatic"]
        options.systemChecks = systemChecks
        // An unset variable fails as it does in production (check's placeholders would collect to,
        // or prune, a place the project never named).
        options.strictEnvironment = true
        guard let target = try targets(paths: paths).first else { throw Exit(status: 2) }
        let (snapshot, printed) = try evaluate(target, options: options, collect: true, preview: preview, ruleData: false,
                                               onFailure: onFailure)
        return (target, options, snapshot, printed)
    }
}

/// `-v/--verbose` for check and inspect (collect has collectstatic's `-v N` instead).
struct VerboseFlag: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Show what the settings printed, and full tracebacks.")
    var verbose = false
}

/// Writes to standard output, unbuffered (so it interleaves correctly with standard error).
func printOutput(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// What settings code printed, each stream to its own (`toStandardError`: standard output's part
/// too, when standard output carries a JSON report).
func replay(_ output: CapturedOutput, toStandardError: Bool = false) {
    let out = toStandardError ? FileHandle.standardError : FileHandle.standardOutput
    out.write(Data(output.standardOutput.utf8))
    FileHandle.standardError.write(Data(output.standardError.utf8))
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

/// A failure that has already been reported; only its exit status is left.
struct Exit: Error {
    var status: Int32
}
