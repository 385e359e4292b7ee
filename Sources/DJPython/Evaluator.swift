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
    /// `djstatic migrate`: plan the rewrite of the legacy storage settings, or (verify) only
    /// describe the storages to compare.
    public var migration: MigrationMode?
    /// Source text evaluated instead of a project file's contents (path -> text).
    public var sourceOverrides: [String: String] = [:]

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
    /// What the settings code printed (stdout and stderr, interleaved).
    public var output: String
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

    /// The request as the helper reads it.
    func payload(_ request: EvaluationRequest) -> [String: Any] {
        [
            "settings_module": request.settingsModule,
            "settings_file": request.settingsFile ?? "",
            "project_roots": request.projectRoots,
            "site_dirs": installation.siteDirectories + request.extraPaths,
            "isolate_from_system_site": installation.isolateFromSystemSite,
            "env": request.environment,
            "strict_env": request.strictEnvironment,
            "argv": request.argv,
            "collect": request.collect,
            "finders": request.finders,
            "migration": request.migration?.rawValue as Any? ?? NSNull(),
            "source_overrides": request.sourceOverrides,
            "pythonhome": ProcessInfo.processInfo.environment["PYTHONHOME"] as Any? ?? NSNull(),
        ]
    }

    static func encode(_ payload: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: payload)) ?? Data(), as: UTF8.self)
    }

    /// Django's own `manage.py collectstatic ARGUMENTS` inside the interpreter, for what djstatic
    /// does not reproduce natively. `capture`: its output is returned instead of reaching the
    /// terminal. Returns the exit status and the captured output.
    public func runCollectstatic(_ request: EvaluationRequest, arguments: [String], capture: Bool)
        throws(PythonRuntime.RuntimeError) -> (status: Int32, output: String) {
        var payload = payload(request)
        payload["arguments"] = arguments
        let (text, output) = try PythonRuntime.shared.call("collectstatic", argument: Self.encode(payload),
                                                            installation: installation, timeout: nil, capture: capture)
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let status = object["status"] as? Int else {
            throw .helper("unreadable answer from collectstatic")
        }
        return (Int32(clamping: status), output)
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
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw .helper("unreadable answer from the evaluator")
        }
        // What the settings printed is shown with -v: scrubbed of the credentials this evaluation met.
        let scrubbed = output.isEmpty ? output : try PythonRuntime.shared.call(
            "scrub_output", argument: output, installation: installation, timeout: nil, capture: false).result
        return Self.decode(object, output: scrubbed, request: request)
    }

    static func decode(_ object: [String: Any], output: String, request: EvaluationRequest) -> EvaluationOutcome {
        let python = object["python_version"] as? String ?? ""
        let django = object["django_version"] as? String
        if let error = object["error"] as? [String: Any] {
            let failure = EvaluationFailure(
                kind: EvaluationFailure.Kind(rawValue: error["kind"] as? String ?? "") ?? .exception,
                message: error["message"] as? String ?? "",
                location: location(error) ?? SourceLocation(file: request.settingsFile ?? "", line: 1, column: 1),
                traceback: error["traceback"] as? String ?? "")
            return EvaluationOutcome(result: .failure(failure), output: output, pythonVersion: python,
                                     installedDjango: django)
        }
        func values(_ key: String) -> [String: SettingValue] {
            (object[key] as? [String: Any] ?? [:]).mapValues(decodeValue)
        }
        func problems(_ key: String) -> [String: String?] {
            let imports = object["imports"] as? [String: Any] ?? [:]
            return (imports[key] as? [String: Any] ?? [:]).mapValues { $0 as? String }
        }
        let env = object["env"] as? [String: Any] ?? [:]
        let releases = (object["releases"] as? [String: Any] ?? [:]).compactMapValues { any -> ReleaseInfo? in
            guard let entry = any as? [String: Any] else { return nil }
            return ReleaseInfo(releaseID: (entry["release_id"] as? [String: Any]).map(decodeValue),
                               strategy: (entry["strategy"] as? String).map(SettingValue.string),
                               error: entry["error"] as? String)
        }
        let credentials = (object["literal_credentials"] as? [[String: Any]] ?? []).compactMap { entry -> CredentialLiteral? in
            guard let where_ = location(entry) else { return nil }
            return CredentialLiteral(
                name: entry["name"] as? String ?? "", location: where_,
                redacted: entry["redacted"] as? String ?? "",
                context: CredentialLiteral.Context(rawValue: entry["context"] as? String ?? "") ?? .assignment)
        }
        var djangoError: (type: String, message: String)?
        if let failure = object["django_error"] as? [String: Any] {
            djangoError = (failure["type"] as? String ?? "Exception", failure["message"] as? String ?? "")
        }
        var snapshot = SettingsSnapshot(
            settingsModule: request.settingsModule,
            settingsFile: object["settings_file"] as? String ?? request.settingsFile ?? "",
            pythonVersion: python, installedDjango: django, djangoLoadError: djangoError,
            values: values("settings"), raw: values("raw"),
            sources: (object["sources"] as? [String: Any] ?? [:]).compactMapValues { location($0 as? [String: Any] ?? [:]) },
            sourceOrder: (object["sources"] as? [String: Any] ?? [:]).compactMapValues { ($0 as? [String: Any])?["order"] as? Int },
            entrySources: (object["entry_sources"] as? [String: [String: Any]] ?? [:]).mapValues { entries in
                entries.compactMapValues { location($0 as? [String: Any] ?? [:]) }
            },
            placeholderEnvironment: env["placeholder"] as? [String] ?? [],
            defaultedEnvironment: env["default"] as? [String] ?? [],
            finderProblems: problems("finders"), storageProblems: problems("storages"),
            appProblems: problems("apps"),
            appPaths: object["app_paths"] as? [String: String] ?? [:],
            storageClasses: (object["imports"] as? [String: Any])?["storage_classes"] as? [String: [String]] ?? [:],
            classes: (object["imports"] as? [String: Any])?["classes"] as? [String: [String]] ?? [:],
            appNames: (object["imports"] as? [String: Any])?["app_names"] as? [String: String] ?? [:],
            storageFailures: (object["storage_failures"] as? [String: Any] ?? [:]).compactMapValues { any in
                guard let entry = any as? [String: Any], let where_ = location(entry) else { return nil }
                return (entry["message"] as? String ?? "", where_)
            },
            releases: releases,
            backends: (object["backends"] as? [String: Any] ?? [:]).compactMapValues { decodeBackend($0 as? [String: Any]) },
            literalCredentials: credentials,
            projectFiles: object["project_files"] as? [String] ?? [])
        if let collect = object["collect"] as? [String: Any] {
            snapshot.collect = decodeCollect(collect)
        }
        if let migration = object["migration"] as? [String: Any] {
            snapshot.migration = decodeMigration(migration)
        }
        return EvaluationOutcome(result: .success(snapshot), output: output, pythonVersion: python,
                                 installedDjango: django)
    }

    /// `[{"glob", "patterns": [{"regex": {"pattern", "flags"}, "template", "ignored"}]}]`, strictly.
    static func decodePatterns(_ any: Any?) -> [CollectDescription.PatternGroup]? {
        func regex(_ any: Any?) -> CollectDescription.Regex? {
            guard let object = any as? [String: Any], let pattern = object["pattern"] as? String,
                  let flags = object["flags"] as? Int else { return nil }
            return CollectDescription.Regex(pattern: pattern, flags: flags)
        }
        guard let groups = any as? [[String: Any]] else { return nil }
        var out: [CollectDescription.PatternGroup] = []
        for group in groups {
            guard let glob = group["glob"] as? String, let entries = group["patterns"] as? [[String: Any]] else { return nil }
            var patterns: [CollectDescription.PatternGroup.Pattern] = []
            for entry in entries {
                guard let compiled = regex(entry["regex"]), let template = entry["template"] as? String else { return nil }
                let ignored = regex(entry["ignored"])
                guard ignored != nil || entry["ignored"] is NSNull || entry["ignored"] == nil else { return nil }
                patterns.append(.init(regex: compiled, template: template, ignored: ignored))
            }
            out.append(.init(glob: glob, patterns: patterns))
        }
        return out
    }

    static func decodeCollect(_ object: [String: Any]) -> Result<CollectDescription, CollectFailure> {
        if let error = object["error"] as? [String: Any] {
            return .failure(CollectFailure(message: error["message"] as? String ?? "", location: location(error),
                                           unsupported: error["unsupported"] as? Bool ?? false))
        }
        let finders = (object["finders"] as? [[String: Any]] ?? []).map { finder in
            CollectDescription.Finder(
                path: finder["path"] as? String ?? "",
                kind: CollectDescription.Finder.Kind(rawValue: finder["kind"] as? String ?? "") ?? .filesystem,
                className: finder["class"] as? String ?? "",
                roots: (finder["roots"] as? [[String: Any]] ?? []).map {
                    CollectDescription.Root(location: $0["location"] as? String ?? "", prefix: $0["prefix"] as? String ?? "",
                                            app: $0["app"] as? String, findPrefix: $0["find_prefix"] as? String,
                                            searched: $0["searched"] as? String)
                })
        }
        guard let storage = object["storage"] as? [String: Any] else {
            return .success(CollectDescription(
                staticURL: object["static_url"] as? String,
                defaultIgnorePatterns: object["default_ignore_patterns"] as? [String] ?? [], finders: finders, storage: nil))
        }
        var manifest: CollectDescription.Manifest?
        if storage["kind"] as? String == "manifest" {
            guard let patterns = decodePatterns(storage["patterns"]) else {
                return .failure(CollectFailure(message: "djstatic's helper described the storage's patterns in an unknown form",
                                               location: nil, unsupported: false))
            }
            manifest = CollectDescription.Manifest(
                name: storage["manifest_name"] as? String ?? "staticfiles.json",
                version: storage["manifest_version"] as? String ?? "1.1",
                strict: storage["manifest_strict"] as? Bool ?? true,
                keepIntermediateFiles: storage["keep_intermediate_files"] as? Bool ?? false,
                maxPostProcessPasses: storage["max_post_process_passes"] as? Int ?? 5,
                patterns: patterns,
                location: storage["manifest_location"] as? String,
                filePermissions: storage["manifest_file_permissions_mode"] as? Int,
                directoryPermissions: storage["manifest_directory_permissions_mode"] as? Int)
        }
        return .success(CollectDescription(
            staticURL: object["static_url"] as? String,
            defaultIgnorePatterns: object["default_ignore_patterns"] as? [String] ?? [],
            finders: finders,
            storage: CollectDescription.Storage(
                className: storage["class"] as? String ?? "", classNames: storage["mro"] as? [String] ?? [],
                location: storage["location"] as? String, baseURL: storage["base_url"] as? String,
                filePermissions: storage["file_permissions_mode"] as? Int,
                directoryPermissions: storage["directory_permissions_mode"] as? Int,
                allowOverwrite: storage["allow_overwrite"] as? Bool ?? false, manifest: manifest,
                s3: (storage["s3"] as? [String: Any]).map(decodeS3),
                compression: (storage["compression"] as? [String: Any]).map(decodeCompression))))
    }

    static func decodeS3(_ s3: [String: Any]) -> CollectDescription.S3Target {
        CollectDescription.S3Target(
            bucket: s3["bucket_name"] as? String ?? "", location: s3["location"] as? String ?? "",
            endpointURL: s3["endpoint_url"] as? String, region: s3["region_name"] as? String,
            addressingStyle: s3["addressing_style"] as? String, signatureVersion: s3["signature_version"] as? String,
            useSSL: s3["use_ssl"] as? Bool ?? true, gzip: s3["gzip"] as? Bool ?? false,
            gzipContentTypes: s3["gzip_content_types"] as? [String] ?? [], headers: s3["headers"] as? [[String]] ?? [],
            multipartThreshold: s3["multipart_threshold"] as? Int ?? 8 * 1024 * 1024,
            multipartChunkSize: s3["multipart_chunksize"] as? Int ?? 8 * 1024 * 1024,
            maxConcurrency: s3["max_concurrency"] as? Int ?? 10,
            customDomain: s3["custom_domain"] as? String, urlProtocol: s3["url_protocol"] as? String,
            manifestLocation: s3["manifest_location"] as? String, manifestHeaders: s3["manifest_headers"] as? [[String]])
    }

    static func decodeCompression(_ object: [String: Any]) -> CollectDescription.Compression {
        CollectDescription.Compression(
            skipPattern: object["skip_pattern"] as? String ?? "^$", skipIgnoreCase: object["skip_ignore_case"] as? Bool ?? false,
            gzip: object["gzip"] as? Bool ?? true, brotli: object["brotli"] as? Bool ?? false,
            brotliVersion: object["brotli_version"] as? String,
            keepOnlyHashedFiles: object["keep_only_hashed_files"] as? Bool ?? false,
            missingFilePattern: object["missing_file_pattern"] as? String,
            missingFileMessage: object["missing_file_message"] as? String)
    }

    static func decodeBackend(_ object: [String: Any]?) -> BackendConfiguration? {
        guard let object, let alias = object["alias"] as? String,
              let family = BackendConfiguration.Family(rawValue: object["family"] as? String ?? "") else { return nil }
        let options = (object["options"] as? [String: Any] ?? [:]).compactMapValues { any -> BackendOption? in
            guard let entry = any as? [String: Any] else { return nil }
            let source = entry["source"] as? String ?? ""
            let origin: BackendOption.Origin = switch entry["origin"] as? String {
            case "options": .options
            case "class": .classAttribute(source)
            case "setting": .setting(source)
            case "environment": .environment(source)
            default: .default
            }
            return BackendOption(value: decodeValue(entry["value"] ?? NSNull()), origin: origin,
                                 location: (entry["location"] as? [String: Any]).flatMap(location))
        }
        return BackendConfiguration(
            alias: alias, family: family, className: object["class"] as? String ?? "",
            mro: object["mro"] as? [String] ?? [],
            resolution: BackendConfiguration.Resolution(rawValue: object["resolved_by"] as? String ?? "") ?? .path,
            location: (object["location"] as? [String: Any]).flatMap(location),
            options: options,
            rejectedOptions: (object["rejected"] as? [[String: Any]] ?? []).map {
                BackendConfiguration.RejectedOption(key: $0["key"] as? String ?? "",
                                                    location: ($0["location"] as? [String: Any]).flatMap(location))
            },
            uploadArguments: object["upload_arguments"] as? [String] ?? [])
    }

    static func decodeMigration(_ object: [String: Any]) -> MigrationPlan {
        let message = object["message"] as? String ?? ""
        let file = object["file"] as? String ?? ""
        let status: MigrationPlan.Status
        switch object["status"] as? String {
        case "nothing": status = .nothing(message)
        case "refused": status = .refused(message, (object["line"] as? Int).map { SourceLocation(file: file, line: $0, column: 1) })
        case "planned": status = .planned
        default: status = .verification
        }
        func moves(_ key: String) -> [MigrationPlan.Move] {
            (object[key] as? [[String: Any]] ?? []).map {
                MigrationPlan.Move(setting: $0["setting"] as? String ?? "", alias: $0["alias"] as? String ?? "",
                                   option: $0["option"] as? String, line: $0["line"] as? Int ?? 1)
            }
        }
        return MigrationPlan(
            status: status, file: file,
            edits: (object["edits"] as? [[String: Any]] ?? []).map {
                MigrationPlan.Edit(start: $0["start"] as? Int ?? 1, end: $0["end"] as? Int ?? 0, text: $0["text"] as? String ?? "")
            },
            legacy: moves("legacy"), moved: moves("moved"),
            kept: (object["kept"] as? [[String: Any]] ?? []).map {
                MigrationPlan.Kept(setting: $0["setting"] as? String ?? "", alias: $0["alias"] as? String ?? "",
                                   option: $0["option"] as? String ?? "", reason: $0["reason"] as? String ?? "")
            },
            displayLines: Dictionary(uniqueKeysWithValues: (object["display"] as? [String: String] ?? [:]).compactMap { key, text in
                Int(key).map { ($0, text) }
            }),
            ignoredByInstalledDjango: object["ignored_by_installed"] as? Bool ?? false,
            fingerprint: object["fingerprint"].map(decodeValue),
            legacyPresent: object["legacy_present"] as? [String] ?? [])
    }

    static func location(_ object: [String: Any]) -> SourceLocation? {
        guard let file = object["file"] as? String, let line = object["line"] as? Int else { return nil }
        return SourceLocation(file: file, line: max(line, 1), column: max(object["column"] as? Int ?? 1, 1))
    }

    static func decodeValue(_ any: Any) -> SettingValue {
        guard let tagged = any as? [String: Any], let tag = tagged["t"] as? String else {
            return .opaque(type: "unknown", repr: String(describing: any))
        }
        let payload = tagged["v"]
        switch tag {
        case "none": return .none
        case "bool": return .bool(payload as? Bool ?? false)
        case "int":
            if let text = payload as? String { return .bigInt(text) }
            return .int((payload as? NSNumber)?.intValue ?? 0)
        case "float":
            if let text = payload as? String { return .opaque(type: "float", repr: text) }
            return .float((payload as? NSNumber)?.doubleValue ?? 0)
        case "str": return .string(payload as? String ?? "")
        case "bytes": return .bytes(payload as? String ?? "")
        case "path": return .path(payload as? String ?? "")
        case "list": return .list((payload as? [Any] ?? []).map(decodeValue))
        case "tuple": return .tuple((payload as? [Any] ?? []).map(decodeValue))
        case "set": return .set((payload as? [Any] ?? []).map(decodeValue))
        case "dict":
            return .dict((payload as? [[Any]] ?? []).compactMap { pair in
                pair.count == 2 ? SettingValue.DictEntry(key: decodeValue(pair[0]), value: decodeValue(pair[1])) : nil
            })
        case "secret": return .secret(redacted: payload as? String ?? "")
        case "placeholder":
            let variable = payload as? String ?? ""
            return .placeholder(variable: variable, text: tagged["text"] as? String ?? SettingValue.placeholderPrefix + variable)
        case "lazy": return .lazy(call: payload as? String ?? "")
        default: return .opaque(type: tagged["type"] as? String ?? tag, repr: payload as? String ?? "")
        }
    }
}
