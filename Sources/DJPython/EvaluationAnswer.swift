import DJSettings
import S3Addressing
import Foundation

/// Reads the evaluator's answer (`djstatic_evaluator.evaluate`) into the settings model, strictly:
/// a key that is missing or of another kind is a `WireError` naming it. The shape is written by
/// Sources/DJPython/Resources/djstatic_evaluator.py (`_evaluate`), djstatic_collect.py
/// (`describe`), djstatic_backends.py (`describe`) and djstatic_migrate.py (`plan`).
enum EvaluationAnswer {
    static func outcome(_ answer: Wire, output: CapturedOutput, request: EvaluationRequest) throws(WireError) -> EvaluationOutcome {
        let version = try answer.int("protocol")
        guard version == Wire.protocolVersion else {
            throw WireError(description: "the Python helper speaks protocol \(version), this binary \(Wire.protocolVersion): "
                            + "its resource files belong to another djstatic (reinstall djstatic)")
        }
        let python = try answer.string("python_version")
        let django = try answer.optionalString("django_version")
        if let error = answer.optional("error") {
            guard let kind = EvaluationFailure.Kind(rawValue: try error.string("kind")) else {
                throw WireError(description: "\(error.path).kind: unknown kind \(try error.string("kind"))")
            }
            let failure = EvaluationFailure(
                kind: kind, message: try error.string("message"),
                location: try location(error) ?? SourceLocation(file: request.settingsFile ?? "", line: 1, column: 1),
                traceback: try error.string("traceback"))
            return EvaluationOutcome(result: .failure(failure), output: output, pythonVersion: python, installedDjango: django)
        }
        let imports = answer["imports"]
        let env = answer["env"]
        var djangoError: (type: String, message: String)?
        if let failure = answer.optional("django_error") {
            djangoError = (try failure.string("type"), try failure.string("message"))
        }
        var snapshot = SettingsSnapshot(
            settingsModule: request.settingsModule,
            settingsFile: try answer.optionalString("settings_file") ?? request.settingsFile ?? "",
            pythonVersion: python, installedDjango: django, djangoLoadError: djangoError,
            values: try answer["settings"].map(value), raw: try answer["raw"].map(value),
            sources: try answer["sources"].map { source throws(WireError) in try requiredLocation(source) },
            sourceOrder: try answer["sources"].map { source throws(WireError) in try source.int("order") },
            entrySources: try answer["entry_sources"].map { entries throws(WireError) in
                try entries.map { entry throws(WireError) in try requiredLocation(entry) }
            },
            placeholderEnvironment: try env.strings("placeholder"), defaultedEnvironment: try env.strings("default"),
            finderProblems: try problems(imports["finders"]), storageProblems: try problems(imports["storages"]),
            appProblems: try problems(imports["apps"]),
            appPaths: try answer["app_paths"].map { path throws(WireError) in try path.string() },
            storageClasses: try imports["storage_classes"].map { names throws(WireError) in try names.strings() },
            classes: try imports["classes"].map { names throws(WireError) in try names.strings() },
            appNames: try imports["app_names"].map { name throws(WireError) in try name.string() },
            storageFailures: try answer["storage_failures"].map { entry throws(WireError) in
                (try entry.string("message"), try requiredLocation(entry))
            },
            releases: try answer["releases"].map { entry throws(WireError) in
                ReleaseInfo(releaseID: try entry.optional("release_id").map(value),
                            strategy: try entry.optionalString("strategy").map(SettingValue.string),
                            error: try entry.optionalString("error"))
            },
            backends: try answer["backends"].map(backend),
            literalCredentials: try answer["literal_credentials"].mapList { entry throws(WireError) in
                guard let context = CredentialLiteral.Context(rawValue: try entry.string("context")) else {
                    throw WireError(description: "\(entry.path).context: unknown context")
                }
                return CredentialLiteral(name: try entry.string("name"), location: try requiredLocation(entry),
                                         redacted: try entry.string("redacted"), context: context)
            },
            projectFiles: try answer.strings("project_files"))
        if let collect = answer.optional("collect") {
            snapshot.collect = try collectDescription(collect)
            snapshot.collectChecks = try answer.optionalString("collect_checks") ?? ""
        }
        if let migration = answer.optional("migration") {
            snapshot.migration = try migrationPlan(migration)
        }
        return EvaluationOutcome(result: .success(snapshot), output: output, pythonVersion: python, installedDjango: django)
    }

    /// Import problems: entry -> message, or null when it imports.
    static func problems(_ wire: Wire) throws(WireError) -> [String: String?] {
        try wire.map { problem throws(WireError) in problem.isNull ? String?.none : try problem.string() }
    }

    /// `{"file", "line", "column"}` (column optional), or nil when there is no file.
    static func location(_ wire: Wire) throws(WireError) -> SourceLocation? {
        guard let file = try wire.optionalString("file") else { return nil }
        return SourceLocation(file: file, line: max(try wire.int("line"), 1), column: max(try wire.optionalInt("column") ?? 1, 1))
    }

    static func requiredLocation(_ wire: Wire) throws(WireError) -> SourceLocation {
        guard let found = try location(wire) else { throw WireError(description: "\(wire.path).file: expected a string, found nothing") }
        return found
    }

    // MARK: values

    /// A tagged value `{"t": kind, "v": payload}` (djstatic_values.encode).
    static func value(_ wire: Wire) throws(WireError) -> SettingValue {
        let payload = wire["v"]
        func items() throws(WireError) -> [SettingValue] { try payload.mapList(value) }
        switch try wire.string("t") {
        case "none": return .none
        case "bool": return .bool(try payload.bool())
        case "int": return payload.value is String ? .bigInt(try payload.string()) : .int(try payload.int())
        case "float":
            if payload.value is String { return .opaque(type: "float", repr: try payload.string()) }
            guard let number = payload.value as? NSNumber else { throw WireError(description: "\(payload.path): expected a number") }
            return .float(number.doubleValue)
        case "str": return .string(try payload.string())
        case "bytes": return .bytes(try payload.string())
        case "path": return .path(try payload.string())
        case "list": return .list(try items())
        case "tuple": return .tuple(try items())
        case "set": return .set(try items())
        case "dict":
            return .dict(try payload.mapList { pair throws(WireError) in
                let parts = try pair.list()
                guard parts.count == 2 else { throw WireError(description: "\(pair.path): expected a [key, value] pair") }
                return SettingValue.DictEntry(key: try value(parts[0]), value: try value(parts[1]))
            })
        case "secret": return .secret(redacted: try payload.string())
        case "placeholder": return .placeholder(variable: try payload.string(), text: try wire.string("text"))
        case "lazy": return .lazy(call: try payload.string())
        case "opaque": return .opaque(type: try wire.string("type"), repr: try payload.string())
        case let tag: throw WireError(description: "\(wire.path).t: unknown value kind \(tag)")
        }
    }

    // MARK: backends

    static func backend(_ wire: Wire) throws(WireError) -> BackendConfiguration {
        guard let family = BackendConfiguration.Family(rawValue: try wire.string("family")) else {
            throw WireError(description: "\(wire.path).family: unknown family")
        }
        guard let resolution = BackendConfiguration.Resolution(rawValue: try wire.string("resolved_by")) else {
            throw WireError(description: "\(wire.path).resolved_by: unknown resolution")
        }
        let options = try wire["options"].map { entry throws(WireError) -> BackendOption in
            let source = try entry.optionalString("source") ?? ""
            let origin: BackendOption.Origin = switch try entry.string("origin") {
            case "options": .options
            case "class": .classAttribute(source)
            case "setting": .setting(source)
            case "environment": .environment(source)
            case "default": .default
            case let other: throw WireError(description: "\(entry.path).origin: unknown origin \(other)")
            }
            return BackendOption(value: try value(entry["value"]), origin: origin,
                                 location: try entry.optional("location").flatMap(location))
        }
        return BackendConfiguration(
            alias: try wire.string("alias"), family: family, className: try wire.string("class"),
            mro: try wire.strings("mro"), resolution: resolution,
            location: try wire.optional("location").flatMap(location), options: options,
            rejectedOptions: try wire["rejected"].mapList { entry throws(WireError) in
                BackendConfiguration.RejectedOption(key: try entry.string("key"),
                                                    location: try entry.optional("location").flatMap(location))
            },
            uploadArguments: try wire.strings("upload_arguments"), projectOverrides: try wire.strings("project_overrides"))
    }

    // MARK: collect

    static func collectDescription(_ wire: Wire) throws(WireError) -> Result<CollectDescription, CollectFailure> {
        if let error = wire.optional("error") {
            return .failure(CollectFailure(message: try error.string("message"), location: try location(error),
                                           unsupported: try error.bool("unsupported")))
        }
        let finders = try wire["finders"].mapList { finder throws(WireError) in
            guard let kind = CollectDescription.Finder.Kind(rawValue: try finder.string("kind")) else {
                throw WireError(description: "\(finder.path).kind: unknown finder kind")
            }
            return CollectDescription.Finder(
                path: try finder.string("path"), kind: kind, className: try finder.string("class"),
                roots: try finder["roots"].mapList { root throws(WireError) in
                    CollectDescription.Root(location: try root.string("location"), prefix: try root.string("prefix"),
                                            app: try root.optionalString("app"), findPrefix: try root.optionalString("find_prefix"),
                                            searched: try root.optionalString("searched"))
                })
        }
        let staticURL = try wire.optionalString("static_url")
        let ignore = try wire.strings("default_ignore_patterns")
        let audit = try wire.optional("audit").map(assetAudit)
        guard let storage = wire.optional("storage") else {
            return .success(CollectDescription(staticURL: staticURL, defaultIgnorePatterns: ignore, finders: finders, storage: nil,
                                               audit: audit))
        }
        var manifest: CollectDescription.Manifest?
        switch try storage.string("kind") {
        case "manifest":
            manifest = CollectDescription.Manifest(
                name: try storage.string("manifest_name"), version: try storage.string("manifest_version"),
                strict: try storage.bool("manifest_strict"), keepIntermediateFiles: try storage.bool("keep_intermediate_files"),
                maxPostProcessPasses: try storage.int("max_post_process_passes"),
                patterns: try storage["patterns"].mapList(patternGroup),
                location: try storage.optionalString("manifest_location"),
                filePermissions: try storage.optionalInt("manifest_file_permissions_mode"),
                directoryPermissions: try storage.optionalInt("manifest_directory_permissions_mode"))
        case "static": break
        case let other: throw WireError(description: "\(storage.path).kind: unknown storage kind \(other)")
        }
        let s3 = try storage.optional("s3").map(s3Target)
        return .success(CollectDescription(
            staticURL: staticURL, defaultIgnorePatterns: ignore, finders: finders,
            storage: CollectDescription.Storage(
                className: try storage.string("class"), classNames: try storage.strings("mro"),
                location: try storage.optionalString("location"),
                baseURL: try storage.optionalString("base_url") ?? s3.flatMap(bucketURL),
                filePermissions: try storage.optionalInt("file_permissions_mode"),
                directoryPermissions: try storage.optionalInt("directory_permissions_mode"),
                allowOverwrite: try storage.bool("allow_overwrite"), manifest: manifest,
                s3: s3,
                compression: try storage.optional("compression").map(compression)),
            audit: audit))
    }

    /// djstatic_assets.describe(), or `{"error": {...}}` when the storage could not be read.
    static func assetAudit(_ wire: Wire) throws(WireError) -> Result<AssetAudit, CollectFailure> {
        if let error = wire.optional("error") {
            return .failure(CollectFailure(message: try error.string("message"), location: try location(error),
                                           unsupported: try error.bool("unsupported")))
        }
        return .success(AssetAudit(
            storageClass: try wire.string("storage_class"), rewrites: try wire.bool("rewrites"),
            manifestStrict: try wire.optional("manifest_strict")?.bool(),
            patterns: try wire["patterns"].mapList(patternGroup),
            templates: try wire["templates"].mapList { entry throws(WireError) in
                AssetAudit.TemplateReference(file: try entry.string("file"), line: try entry.int("line"),
                                             column: try entry.int("column"), path: try entry.string("path"),
                                             engine: try entry.string("engine"))
            }))
    }

    /// `{"glob", "patterns": [{"regex": {"pattern", "flags"}, "template", "ignored"}]}`.
    static func patternGroup(_ wire: Wire) throws(WireError) -> CollectDescription.PatternGroup {
        func regex(_ wire: Wire) throws(WireError) -> CollectDescription.Regex {
            CollectDescription.Regex(pattern: try wire.string("pattern"), flags: try wire.int("flags"))
        }
        return CollectDescription.PatternGroup(
            glob: try wire.string("glob"),
            patterns: try wire["patterns"].mapList { entry throws(WireError) in
                .init(regex: try regex(entry["regex"]), template: try entry.string("template"),
                      ignored: try entry.optional("ignored").map(regex))
            })
    }

    static func s3Target(_ wire: Wire) throws(WireError) -> CollectDescription.S3Target {
        func headers(_ key: String) throws(WireError) -> [[String]]? {
            try wire.optional(key)?.mapList { pair throws(WireError) in try pair.strings() }
        }
        return CollectDescription.S3Target(
            bucket: try wire.string("bucket_name"), location: try wire.string("location"),
            endpointURL: try wire.optionalString("endpoint_url"), region: try wire.optionalString("region_name"),
            addressingStyle: try wire.optionalString("addressing_style"),
            signatureVersion: try wire.optionalString("signature_version"),
            useSSL: try wire.bool("use_ssl"), gzip: try wire.bool("gzip"),
            gzipContentTypes: try wire.strings("gzip_content_types"), headers: try headers("headers") ?? [],
            multipartThreshold: try wire.int("multipart_threshold"), multipartChunkSize: try wire.int("multipart_chunksize"),
            maxConcurrency: try wire.int("max_concurrency"),
            customDomain: try wire.optionalString("custom_domain"), urlProtocol: try wire.optionalString("url_protocol"),
            manifestLocation: try wire.optionalString("manifest_location"), manifestHeaders: try headers("manifest_headers"))
    }

    /// The URL of an S3 storage's location as botocore addresses its bucket, for a storage whose
    /// url("") could not answer without the network; nil when botocore would refuse the options.
    static func bucketURL(_ target: CollectDescription.S3Target) -> String? {
        guard let style = S3AddressingStyle(rawValue: target.addressingStyle ?? "auto"),
              let address = try? S3Address(bucket: target.bucket, region: target.region, endpointURL: target.endpointURL,
                                           addressingStyle: style, useSSL: target.useSSL) else { return nil }
        return address.url(key: target.location.isEmpty ? "" : target.location + "/")
    }

    static func compression(_ wire: Wire) throws(WireError) -> CollectDescription.Compression {
        CollectDescription.Compression(
            skipPattern: try wire.string("skip_pattern"), skipIgnoreCase: try wire.bool("skip_ignore_case"),
            gzip: try wire.bool("gzip"), brotli: try wire.bool("brotli"), brotliVersion: try wire.optionalString("brotli_version"),
            keepOnlyHashedFiles: try wire.optional("keep_only_hashed_files")?.bool() ?? false,
            missingFilePattern: try wire.optionalString("missing_file_pattern"),
            missingFileMessage: try wire.optionalString("missing_file_message"))
    }

    // MARK: migrate

    /// The plan's shape depends on its status (djstatic_migrate.plan): the keys a status does not
    /// have are optional, the kinds of those present are checked.
    static func migrationPlan(_ wire: Wire) throws(WireError) -> MigrationPlan {
        let message = try wire.optionalString("message") ?? ""
        let file = try wire.optionalString("file") ?? ""
        let status: MigrationPlan.Status
        switch try wire.string("status") {
        case "nothing": status = .nothing(message)
        case "refused": status = .refused(message, try wire.optionalInt("line").map { SourceLocation(file: file, line: $0, column: 1) })
        case "planned": status = .planned
        case "verify": status = .verification
        case let other: throw WireError(description: "\(wire.path).status: unknown status \(other)")
        }
        func list<T>(_ key: String, _ read: (Wire) throws(WireError) -> T) throws(WireError) -> [T] {
            try wire.optional(key)?.mapList(read) ?? []
        }
        func moves(_ key: String) throws(WireError) -> [MigrationPlan.Move] {
            try list(key) { move throws(WireError) in
                MigrationPlan.Move(setting: try move.string("setting"), alias: try move.string("alias"),
                                   option: try move.optionalString("option"), line: try move.int("line"))
            }
        }
        var display: [Int: String] = [:]
        for (key, text) in try wire.optional("display")?.members() ?? [] {
            guard let line = Int(key) else { throw WireError(description: "\(text.path): not a line number") }
            display[line] = try text.string()
        }
        return MigrationPlan(
            status: status, file: file,
            edits: try list("edits") { edit throws(WireError) in
                MigrationPlan.Edit(start: try edit.int("start"), end: try edit.int("end"), text: try edit.string("text"))
            },
            legacy: try moves("legacy"), moved: try moves("moved"),
            kept: try list("kept") { kept throws(WireError) in
                MigrationPlan.Kept(setting: try kept.string("setting"), alias: try kept.string("alias"),
                                   option: try kept.string("option"), reason: try kept.string("reason"))
            },
            displayLines: display,
            ignoredByInstalledDjango: try wire.optional("ignored_by_installed")?.bool() ?? false,
            fingerprint: try wire.optional("fingerprint").map(value),
            legacyPresent: try wire.optional("legacy_present")?.strings() ?? [])
    }
}
