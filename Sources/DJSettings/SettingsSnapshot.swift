/// A position in a source file (1-based line and character column).
public struct SourceLocation: Sendable, Hashable, Codable {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
}

/// A `major.minor` Django version.
public struct DjangoVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }
    /// Parses "5.2", "5.2.19", "6.1a1".
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, let major = Int(parts[0]),
              let minor = Int(parts[1].prefix { $0.isNumber }) else { return nil }
        self.init(major, minor)
    }
    public static func < (a: Self, b: Self) -> Bool { (a.major, a.minor) < (b.major, b.minor) }
    public var description: String { "\(major).\(minor)" }
    /// The version assumed when Django is not importable and none is configured.
    public static let fallback = DjangoVersion(5, 2)
    /// The versions `--django-version` may target (the version-aware rules know their semantics).
    public static let targets = [(4, 2), (5, 0), (5, 1), (5, 2), (6, 0), (6, 1)].map { DjangoVersion($0, $1) }

    /// `text` as a target version, or why it is not one.
    public static func target(_ text: String) -> Result<DjangoVersion, TargetError> {
        guard let version = DjangoVersion(text), targets.contains(version) else {
            return .failure(TargetError(text: text))
        }
        return .success(version)
    }

    public struct TargetError: Error, Sendable, CustomStringConvertible {
        public var text: String
        public var description: String {
            "must be one of \(DjangoVersion.targets.map(\.description).joined(separator: ", ")), got '\(text)'"
        }
    }
}

/// A release id resolved for a storage configured with `release_id` / `release_id_strategy`.
public struct ReleaseInfo: Sendable, Hashable {
    public var releaseID: SettingValue?
    public var strategy: SettingValue?
    public var error: String?
    public init(releaseID: SettingValue?, strategy: SettingValue?, error: String?) {
        self.releaseID = releaseID
        self.strategy = strategy
        self.error = error
    }
}

/// A credential written as a literal in a project file (value already redacted).
public struct CredentialLiteral: Sendable, Hashable {
    public enum Context: String, Sendable { case assignment, option, `default`, keyID = "key-id" }
    public var name: String
    public var location: SourceLocation
    public var redacted: String
    public var context: Context
    public init(name: String, location: SourceLocation, redacted: String, context: Context) {
        self.name = name
        self.location = location
        self.redacted = redacted
        self.context = context
    }
}

/// Everything the evaluator learnt about one settings module.
public struct SettingsSnapshot: Sendable {
    public var settingsModule: String
    public var settingsFile: String
    public var pythonVersion: String
    /// The installed Django version (`django.VERSION`), nil when Django is not importable.
    public var installedDjango: String?
    /// Django refused the settings at load time (e.g. 4.2's mutually exclusive storage settings).
    public var djangoLoadError: (type: String, message: String)?
    /// Values as `django.conf.settings` returns them (defaults included, URLs with script prefix).
    public var values: [String: SettingValue]
    /// Upper-case attributes of the settings module itself (explicitly set), before Django.
    public var raw: [String: SettingValue]
    /// Where each explicitly set name got its final value.
    public var sources: [String: SourceLocation]
    /// The order in which the statements in `sources` ran (higher: later).
    public var sourceOrder: [String: Int]
    /// Setting -> string entry (list item, dict key) -> where that entry was written as a literal.
    public var entrySources: [String: [String: SourceLocation]]
    /// Environment variables read but unset: stood in by placeholders / fell back to a default.
    public var placeholderEnvironment: [String]
    public var defaultedEnvironment: [String]
    /// Import problems (nil = importable) of STATICFILES_FINDERS entries, STORAGES aliases,
    /// INSTALLED_APPS entries.
    public var finderProblems: [String: String?]
    public var storageProblems: [String: String?]
    public var appProblems: [String: String?]
    /// Directory of each importable INSTALLED_APPS entry.
    public var appPaths: [String: String]
    /// STORAGES alias -> dotted names of the backend class and its bases (`__mro__`).
    public var storageClasses: [String: [String]]
    /// MIDDLEWARE and STATICFILES_FINDERS entry -> dotted names of the class and its bases, for the
    /// entries that imported (Django's own middleware is not imported: it is what its path says).
    public var classes: [String: [String]]
    /// INSTALLED_APPS entry naming an AppConfig class -> the app it configures (`AppConfig.name`).
    public var appNames: [String: String]
    /// STORAGES alias -> failure raised inside project code when instantiating a local storage.
    public var storageFailures: [String: (message: String, location: SourceLocation)]
    /// Storage alias -> release id resolution.
    public var releases: [String: ReleaseInfo]
    /// STORAGES alias -> effective configuration, for aliases served by django-storages backends.
    public var backends: [String: BackendConfiguration]
    public var literalCredentials: [CredentialLiteral]
    /// Project source files executed while importing the settings.
    public var projectFiles: [String]
    /// For `collect`: collectstatic's finders and storage, or why they cannot be used.
    public var collect: Result<CollectDescription, CollectFailure>?
    /// For `collect` with system checks: what collectstatic's system checks write to standard
    /// error before it collects (their warnings; empty when there are none).
    public var collectChecks = ""
    /// For `migrate`: the rewrite of the legacy storage settings (or the proof evaluation's answer).
    public var migration: MigrationPlan?

    public init(settingsModule: String, settingsFile: String, pythonVersion: String = "",
                installedDjango: String? = nil, djangoLoadError: (type: String, message: String)? = nil,
                values: [String: SettingValue] = [:], raw: [String: SettingValue] = [:],
                sources: [String: SourceLocation] = [:], sourceOrder: [String: Int] = [:],
                entrySources: [String: [String: SourceLocation]] = [:], placeholderEnvironment: [String] = [],
                defaultedEnvironment: [String] = [], finderProblems: [String: String?] = [:],
                storageProblems: [String: String?] = [:], appProblems: [String: String?] = [:],
                appPaths: [String: String] = [:], storageClasses: [String: [String]] = [:],
                classes: [String: [String]] = [:], appNames: [String: String] = [:],
                storageFailures: [String: (message: String, location: SourceLocation)] = [:], releases: [String: ReleaseInfo] = [:],
                backends: [String: BackendConfiguration] = [:], literalCredentials: [CredentialLiteral] = [],
                projectFiles: [String] = []) {
        self.settingsModule = settingsModule
        self.settingsFile = settingsFile
        self.pythonVersion = pythonVersion
        self.installedDjango = installedDjango
        self.djangoLoadError = djangoLoadError
        self.values = values
        self.raw = raw
        self.sources = sources
        self.sourceOrder = sourceOrder
        self.entrySources = entrySources
        self.placeholderEnvironment = placeholderEnvironment
        self.defaultedEnvironment = defaultedEnvironment
        self.finderProblems = finderProblems
        self.storageProblems = storageProblems
        self.appProblems = appProblems
        self.appPaths = appPaths
        self.storageClasses = storageClasses
        self.classes = classes
        self.appNames = appNames
        self.storageFailures = storageFailures
        self.releases = releases
        self.backends = backends
        self.literalCredentials = literalCredentials
        self.projectFiles = projectFiles
    }

    public subscript(name: String) -> SettingValue? { values[name] }

    /// Whether the class a MIDDLEWARE or STATICFILES_FINDERS entry names is `base` or a subclass of it.
    public func entry(_ path: String?, isSubclassOf base: String) -> Bool {
        guard let path else { return false }
        return path == base || (classes[path] ?? []).contains(base)
    }

    /// Whether the settings module set `name` itself.
    public func isExplicit(_ name: String) -> Bool { raw[name] != nil }

    /// Of several settings, the one whose value was set last (the assignment that made a conflict
    /// between them), or the first name when none was set explicitly.
    public func lastSet(_ names: String...) -> String {
        var last = names[0]
        for name in names.dropFirst() where (sourceOrder[name] ?? -1) > (sourceOrder[last] ?? -1) { last = name }
        return last
    }

    /// Where `name` was set, or the top of the settings file when it was not.
    public func location(of name: String) -> SourceLocation {
        sources[name] ?? SourceLocation(file: settingsFile, line: 1, column: 1)
    }
}

/// Why a settings module could not be evaluated.
public struct EvaluationFailure: Error, Sendable, Hashable {
    public enum Kind: String, Sendable { case exception, syntax, timeout, interrupted }
    public var kind: Kind
    /// "Type: message", e.g. "NameError: name 'os' is not defined".
    public var message: String
    public var location: SourceLocation
    public var traceback: String
    public init(kind: Kind, message: String, location: SourceLocation, traceback: String) {
        self.kind = kind
        self.message = message
        self.location = location
        self.traceback = traceback
    }
}
