import DJPython
import DJRules
import DJSettings
import Foundation

/// How a settings module is evaluated: options shared by every command that evaluates one.
public struct EvaluationOptions: Sendable {
    /// `--python PATH`.
    public var python: String?
    /// `--python-path DIR` (repeatable).
    public var pythonPaths: [String] = []
    public var environment: [String: String] = [:]
    public var environmentFiles: [String] = []
    public var strictEnvironment = false
    public var timeout: Double?
    public var captureOutput = true
    public var argv = ["manage.py", "check"]
    /// With collect: also the system checks collectstatic runs before it collects.
    public var systemChecks = false
    /// Reports EVAL004 when settings are stuck outside Python code past the timeout (the process
    /// then exits 2): receives the settings file and the timeout.
    public var onHardTimeout: (@Sendable (String, Double) -> Void)?

    public init() {}
}

public enum CheckError: Error, Sendable, CustomStringConvertible {
    case python(String)
    case environmentFile(String)

    public var description: String {
        switch self {
        case .python(let message), .environmentFile(let message): return message
        }
    }
}

/// One evaluated settings target with its diagnostics.
public struct CheckResult: Sendable {
    public var target: SettingsTarget
    public var outcome: EvaluationOutcome
    public var diagnostics: [Diagnostic]
    public var djangoVersion: DjangoVersion
    /// Remarks for the user (configuration problems, Python version mismatch), printed as warnings.
    public var notes: [String]

    /// The settings could not be evaluated (exit status 2).
    public var evaluationFailed: Bool {
        if case .failure = outcome.result { return true }
        return false
    }
}

/// Evaluates settings and runs the rules over them.
public struct Checker: Sendable {
    public var options: EvaluationOptions
    public var select: [String]
    public var ignore: [String]
    public var djangoVersion: String?
    public var processEnvironment: [String: String]

    public init(options: EvaluationOptions, select: [String] = [], ignore: [String] = [], djangoVersion: String? = nil,
                processEnvironment: [String: String] = ProcessInfo.processInfo.environment) {
        self.options = options
        self.select = select
        self.ignore = ignore
        self.djangoVersion = djangoVersion
        self.processEnvironment = processEnvironment
    }

    /// Picks the interpreter for a target: --python, else the venv (--python-path venvs,
    /// $VIRTUAL_ENV, .venv/venv near the project), else Debian's default Python 3.
    public func installation(for target: SettingsTarget, configuration: Configuration)
        throws(CheckError) -> (PythonInstallation, [String], [String]) {
        var notes: [String] = []
        var extraPaths: [String] = []
        var venv: String?
        for path in options.pythonPaths + configuration.pythonPath.map({ resolve($0, in: configuration) }) {
            if FileManager.default.fileExists(atPath: path + "/pyvenv.cfg") { venv = venv ?? path } else { extraPaths.append(path) }
        }
        if venv == nil && extraPaths.isEmpty {
            venv = ProjectDiscovery.virtualEnvironment(near: target.file.map(ProjectDiscovery.parent) ?? target.workingDirectory,
                                                       environment: processEnvironment)
        }
        do {
            let installation: PythonInstallation
            if let python = options.python ?? configuration.python.map({ resolve($0, in: configuration) }) {
                installation = try PythonInstallation.at(python)
                if let venv, let venvPython = try? PythonInstallation.virtualEnvironment(at: venv),
                   venvPython.version != installation.version {
                    notes.append("the project's virtualenv \(venv) is Python \(venvPython.version) but --python "
                                 + "embeds Python \(installation.version): its packages are not used")
                } else if let venv, let venvPython = try? PythonInstallation.virtualEnvironment(at: venv) {
                    var merged = installation
                    merged.siteDirectories += venvPython.siteDirectories
                    return (merged, extraPaths, notes)
                }
                return (installation, extraPaths, notes)
            }
            installation = try venv.map { try PythonInstallation.virtualEnvironment(at: $0) } ?? PythonInstallation.systemDefault()
            for path in extraPaths {
                if let range = path.range(of: #"python3\.\d+"#, options: .regularExpression),
                   path[range].dropFirst("python".count) != installation.version {
                    notes.append("--python-path \(path) is for Python \(path[range].dropFirst("python".count)) "
                                 + "but the embedded interpreter is Python \(installation.version)")
                }
            }
            return (installation, extraPaths, notes)
        } catch {
            throw .python(String(describing: error))
        }
    }

    private func resolve(_ path: String, in configuration: Configuration) -> String {
        ProjectDiscovery.absolute(path, cwd: configuration.directory ?? FileManager.default.currentDirectoryPath)
    }

    /// Environment for the evaluation: configuration defaults < --env-file < --env.
    public func environment(configuration: Configuration) throws(CheckError) -> [String: String] {
        var environment = configuration.environment
        for file in options.environmentFiles {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw .environmentFile("\(file): cannot read the env file")
            }
            environment.merge(DotEnv.parse(text)) { $1 }
        }
        environment.merge(options.environment) { $1 }
        return environment
    }

    /// The evaluator and request for a target, and notes about the interpreter chosen.
    func prepare(_ target: SettingsTarget, configuration: Configuration, collect: Bool = false, finders: Bool = false,
                 assets: Bool = false) throws(CheckError) -> (Evaluator, EvaluationRequest, [String]) {
        let (installation, extraPaths, notes) = try installation(for: target, configuration: configuration)
        let file = target.file ?? target.workingDirectory + "/" + target.module.replacingOccurrences(of: ".", with: "/") + ".py"
        var request = EvaluationRequest(
            settingsModule: target.module, settingsFile: file, projectRoots: target.roots,
            extraPaths: extraPaths, environment: try environment(configuration: configuration),
            strictEnvironment: options.strictEnvironment, argv: options.argv, collect: collect,
            finders: finders)
        request.assets = assets
        request.systemChecks = collect && options.systemChecks
        var evaluator = Evaluator(installation: installation, timeout: options.timeout ?? configuration.timeout ?? 30,
                                  captureOutput: options.captureOutput)
        evaluator.onHardTimeout = options.onHardTimeout
        return (evaluator, request, notes)
    }

    /// Evaluates a target (no rules).
    public func evaluate(_ target: SettingsTarget, configuration: Configuration, collect: Bool = false,
                         finders: Bool = false, assets: Bool = false, migration: EvaluationRequest.MigrationMode? = nil,
                         sourceOverrides: [String: String] = [:], preview: CollectPreview? = nil,
                         ruleData: Bool = true) throws(CheckError)
        -> (EvaluationOutcome, [String]) {
        var (evaluator, request, notes) = try prepare(target, configuration: configuration, collect: collect, finders: finders,
                                                      assets: assets)
        request.migration = migration
        request.sourceOverrides = sourceOverrides
        request.previewDescriptor = preview?.writer
        request.ruleData = ruleData
        do {
            return (try evaluator.evaluate(request), notes)
        } catch {
            throw .python(error.description)
        }
    }

    /// Django's own collectstatic for the target, in the project's interpreter (see
    /// `Evaluator.runCollectstatic`).
    public func collectstatic(_ target: SettingsTarget, arguments: [String], capture: Bool) throws(CheckError)
        -> (status: Int32, output: CapturedOutput) {
        let (evaluator, request, _) = try prepare(target, configuration: Configuration.load(for: target))
        do {
            return try evaluator.runCollectstatic(request, arguments: arguments, capture: capture)
        } catch {
            throw .python(error.description)
        }
    }

    /// Evaluates and checks one target.
    public func check(_ target: SettingsTarget) throws(CheckError) -> CheckResult {
        let configuration = Configuration.load(for: target)
        let rules = enabledRules(configuration)
        let needs = rules.map(\.description.requires).max() ?? .settings
        var (outcome, notes) = try evaluate(target, configuration: configuration, finders: needs >= .finders,
                                            assets: needs >= .assets)
        if case .success = outcome.result, outcome.installedDjango == nil {
            notes.append("Django is not importable with \(outcome.pythonVersion.isEmpty ? "this Python" : "Python " + outcome.pythonVersion)"
                         + " and its packages: values follow Django's defaults table and imports of django.* are not checked "
                         + "(use the project's virtualenv: --python-path, $VIRTUAL_ENV or a .venv next to manage.py)")
        }
        let version = (djangoVersion ?? configuration.djangoVersion).flatMap(DjangoVersion.init)
            ?? outcome.installedDjango.flatMap(DjangoVersion.init) ?? .fallback
        let context: RuleContext
        switch outcome.result {
        case .success(let snapshot):
            context = RuleContext(outcome: .evaluated(snapshot), djangoVersion: version, projectRoot: target.workingDirectory)
        case .failure(let failure):
            context = RuleContext(outcome: .failed(failure, settingsFile: target.file ?? ""), djangoVersion: version,
                                  projectRoot: target.workingDirectory)
        }
        let diagnostics = RuleEngine(rules: rules).run(context)
            .compactMap { apply(configuration.severity, to: $0) }
            .filter { !Suppressions.isSuppressed($0) && !configuration.ignoresByPath($0) }
        return CheckResult(target: target, outcome: outcome, diagnostics: diagnostics, djangoVersion: version,
                           notes: configuration.warnings + notes)
    }

    func enabledRules(_ configuration: Configuration) -> [any Rule] {
        let selectors = select.isEmpty ? configuration.select : select
        // By default every rule but the opt-in ones; a selector (code, name, prefix, ALL) picks any.
        let selected = selectors.isEmpty
            ? Set(BuiltInRules.all.filter { !$0.description.optIn }.map(\.description.code))
            : Set(selectors.flatMap(RuleCatalog.codes(matching:)))
        let ignored = Set((ignore + configuration.ignore).flatMap(RuleCatalog.codes(matching:)))
        return BuiltInRules.all.filter {
            let code = $0.description.code
            return selected.contains(code) && !ignored.contains(code)
        }
    }

    func apply(_ severities: [String: Severity?], to diagnostic: Diagnostic) -> Diagnostic? {
        guard let override = severities[diagnostic.code] else { return diagnostic }
        guard let severity = override else { return nil }
        var changed = diagnostic
        changed.severity = severity
        return changed
    }
}

/// `# djstatic: ignore[CODE, name]` (or a bare `# djstatic: ignore`) on the line a diagnostic points at;
/// a renamed rule's old code still silences it.
public enum Suppressions {
    public static func isSuppressed(_ diagnostic: Diagnostic) -> Bool {
        guard let text = try? String(contentsOfFile: diagnostic.file, encoding: .utf8) else { return false }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard diagnostic.line >= 1, diagnostic.line <= lines.count else { return false }
        return suppresses(String(lines[diagnostic.line - 1]), code: diagnostic.code, name: diagnostic.name)
    }

    static func suppresses(_ line: String, code: String, name: String) -> Bool {
        guard let marker = line.range(of: "djstatic: ignore") ?? line.range(of: "djstatic:ignore") else { return false }
        let rest = line[marker.upperBound...]
        guard rest.hasPrefix("[") else { return true }
        guard let close = rest.firstIndex(of: "]") else { return false }
        let listed = rest[rest.index(after: rest.startIndex)..<close]
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return listed.contains {
            $0.uppercased() == code || $0.lowercased() == name || RuleCatalog.currentCode(ofRenamed: $0) == code
        }
    }
}
