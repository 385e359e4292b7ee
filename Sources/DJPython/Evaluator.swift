import DJSettings
import Foundation

/// What to evaluate and how.
public struct EvaluationRequest: Sendable, Codable {
    /// Dotted module name, e.g. "shop.settings.production".
    public var settingsModule: String
    /// The settings file, when known (used to place errors raised before it is found).
    public var settingsFile: String?
    /// sys.path roots, first = the working directory (manage.py's directory).
    public var projectRoots: [String]
    /// Extra directories for sys.path (`--python-path`), processed like site directories.
    public var extraPaths: [String]
    public var environment: [String: String]
    public var strictEnvironment: Bool
    public var argv: [String]
    /// Also run `django.setup()` and describe collectstatic's finders and storage.
    public var collect: Bool
    /// Also run `django.setup()` and describe the finders only.
    public var finders: Bool
    /// With `finders` or `collect`: also what the asset audit needs (djstatic_assets.py).
    public var assets: Bool = false
    /// `djstatic migrate`: plan the rewrite of the legacy storage settings, or (verify) only
    /// describe the storages to compare.
    public var migration: MigrationMode?
    /// Source text evaluated instead of a project file's contents (path -> text).
    public var sourceOverrides: [String: String] = [:]
    /// With `collect`: the write end of a `CollectPreview` pipe.
    public var previewDescriptor: Int32?
    /// Also what only the rules and `inspect` read: the imports of finders, storages, apps and
    /// middleware, release ids, local storage failures, the backends' descriptions and credential
    /// literals in the project's files. collect and prune do without (collectstatic imports no
    /// middleware either).
    public var ruleData = true
    /// With `collect`: also run the system checks collectstatic runs before it collects
    /// (`SettingsSnapshot.collectChecks`; a serious problem is the collect's failure).
    public var systemChecks = false

    public enum MigrationMode: String, Sendable, Codable {
        case plan, verify
    }

    public init(settingsModule: String, settingsFile: String?, projectRoots: [String],
                extraPaths: [String] = [], environment: [String: String] = [:],
                strictEnvironment: Bool = false, argv: [String] = ["manage.py", "check"], collect: Bool = false,
                finders: Bool = false) {
        self.settingsModule = settingsModule
        self.settingsFile = settingsFile
        self.projectRoots = projectRoots
        self.extraPaths = extraPaths
        self.environment = environment
        self.strictEnvironment = strictEnvironment
        self.argv = argv
        self.collect = collect
        self.finders = finders
    }
}

/// The result of evaluating one settings module.
public struct EvaluationOutcome: Sendable {
    public var result: Result<SettingsSnapshot, EvaluationFailure>
    /// What the settings code (and, for collect, `django.setup()`) printed, per stream, with the
    /// credentials the evaluation met masked.
    public var output: CapturedOutput
    public var pythonVersion: String
    public var installedDjango: String?
}

/// Evaluates settings modules in the embedded interpreter.
public struct Evaluator: Sendable {
    public var installation: PythonInstallation
    public var timeout: Double?
    public var captureOutput: Bool
    /// Called (with the settings file and the timeout) when settings are stuck outside Python
    /// bytecode past the timeout; the process then exits 2. Default: a text diagnostic on stderr.
    public var onHardTimeout: (@Sendable (String, Double) -> Void)?

    public init(installation: PythonInstallation, timeout: Double? = 30, captureOutput: Bool = true) {
        self.installation = installation
        self.timeout = timeout
        self.captureOutput = captureOutput
    }

    /// The request as the helper reads it (djstatic_evaluator.py `_evaluate` and `collectstatic`),
    /// with the protocol version it must speak: encoded with these keys, never built by hand.
    struct Payload: Encodable {
        var protocolVersion = Wire.protocolVersion
        var settingsModule: String
        var settingsFile: String
        var projectRoots: [String]
        var siteDirs: [String]
        var isolateFromSystemSite: Bool
        var env: [String: String]
        var strictEnv: Bool
        var argv: [String]
        var collect: Bool
        var finders: Bool
        var assets: Bool
        var migration: EvaluationRequest.MigrationMode?
        var sourceOverrides: [String: String]
        var pythonhome: String?
        var previewFD: Int32?
        var ruleData: Bool
        var systemChecks: Bool
        /// `collectstatic` only: its command-line arguments.
        var arguments: [String]?

        enum CodingKeys: String, CodingKey {
            case protocolVersion = "protocol", settingsModule = "settings_module", settingsFile = "settings_file"
            case projectRoots = "project_roots", siteDirs = "site_dirs", isolateFromSystemSite = "isolate_from_system_site"
            case env, strictEnv = "strict_env", argv, collect, finders, assets, migration
            case sourceOverrides = "source_overrides", pythonhome, previewFD = "preview_fd", ruleData = "rule_data", arguments
            case systemChecks = "system_checks"
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(protocolVersion, forKey: .protocolVersion)
            try container.encode(settingsModule, forKey: .settingsModule)
            try container.encode(settingsFile, forKey: .settingsFile)
            try container.encode(projectRoots, forKey: .projectRoots)
            try container.encode(siteDirs, forKey: .siteDirs)
            try container.encode(isolateFromSystemSite, forKey: .isolateFromSystemSite)
            try container.encode(env, forKey: .env)
            try container.encode(strictEnv, forKey: .strictEnv)
            try container.encode(argv, forKey: .argv)
            try container.encode(collect, forKey: .collect)
            try container.encode(finders, forKey: .finders)
            try container.encode(assets, forKey: .assets)
            try container.encode(migration, forKey: .migration)  // null when absent, as the helper expects
            try container.encode(sourceOverrides, forKey: .sourceOverrides)
            try container.encode(pythonhome, forKey: .pythonhome)
            try container.encode(previewFD, forKey: .previewFD)
            try container.encode(ruleData, forKey: .ruleData)
            try container.encode(systemChecks, forKey: .systemChecks)
            try container.encodeIfPresent(arguments, forKey: .arguments)
        }
    }

    func payload(_ request: EvaluationRequest) -> Payload {
        Payload(settingsModule: request.settingsModule, settingsFile: request.settingsFile ?? "",
                projectRoots: request.projectRoots, siteDirs: installation.siteDirectories + request.extraPaths,
                isolateFromSystemSite: installation.isolateFromSystemSite, env: request.environment,
                strictEnv: request.strictEnvironment, argv: request.argv, collect: request.collect,
                finders: request.finders, assets: request.assets, migration: request.migration,
                sourceOverrides: request.sourceOverrides, pythonhome: ProcessInfo.processInfo.environment["PYTHONHOME"],
                previewFD: request.previewDescriptor, ruleData: request.ruleData, systemChecks: request.systemChecks)
    }

    static func encode(_ payload: Payload) -> String {
        // Encoding strings, booleans and string collections cannot fail.
        String(decoding: (try? JSONEncoder().encode(payload)) ?? Data(), as: UTF8.self)
    }

    /// Django's own `manage.py collectstatic ARGUMENTS` inside the interpreter, for what djstatic
    /// does not reproduce natively. `capture`: its output is returned instead of reaching the
    /// terminal. Returns the exit status and the captured output.
    public func runCollectstatic(_ request: EvaluationRequest, arguments: [String], capture: Bool)
        throws(PythonRuntime.RuntimeError) -> (status: Int32, output: CapturedOutput) {
        var payload = payload(request)
        payload.arguments = arguments
        let (text, output) = try PythonRuntime.shared.call("collectstatic", argument: Self.encode(payload),
                                                            installation: installation, timeout: nil, capture: capture)
        do {
            return (Int32(clamping: try Wire.parse(text, what: "collectstatic").int("status")), output)
        } catch {
            throw .helper("djstatic's Python helper answered in a form this binary does not read: \(error)")
        }
    }

    public func evaluate(_ request: EvaluationRequest) throws(PythonRuntime.RuntimeError) -> EvaluationOutcome {
        let json = Self.encode(payload(request))
        let file = request.settingsFile ?? request.settingsModule
        let timeout = self.timeout
        let report = onHardTimeout ?? { file, seconds in
            FileHandle.standardError.write(Data(
                "\(file):1:1: error[EVAL004]: evaluating the settings exceeded the time limit of \(seconds) s\n".utf8))
        }
        let (text, output) = try PythonRuntime.shared.call(
            "evaluate", argument: json, installation: installation, timeout: timeout, grace: 1,
            capture: captureOutput,
            onHardTimeout: { report(file, timeout ?? 0) })
        // What the settings printed (check shows it with -v, collect as manage.py would): scrubbed
        // of the credentials this evaluation met.
        func scrub(_ text: String) throws(PythonRuntime.RuntimeError) -> String {
            text.isEmpty ? text : try PythonRuntime.shared.call(
                "scrub_output", argument: text, installation: installation, timeout: nil, capture: false).result
        }
        let scrubbed = CapturedOutput(standardOutput: try scrub(output.standardOutput),
                                      standardError: try scrub(output.standardError))
        do {
            return try EvaluationAnswer.outcome(try Wire.parse(text, what: "evaluate"), output: scrubbed, request: request)
        } catch {
            throw .helper("djstatic's Python helper answered in a form this binary does not read: \(error)")
        }
    }
}
