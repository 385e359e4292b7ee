/// The effective configuration of a STORAGES alias served by a django-storages backend, as the
/// backend's constructor would resolve it (django-storages' precedence: OPTIONS > class attribute > Django
/// setting > environment variable > default), without the storage having been created.
public struct BackendConfiguration: Sendable, Hashable {
    public enum Family: String, Sendable, CaseIterable {
        case s3, gcs, azure, sftp, ftp, dropbox, libcloud
    }

    /// How the configuration was obtained.
    public enum Resolution: String, Sendable {
        /// With django-storages' own option table (`get_default_settings()`) and the real class.
        case library
        /// The backend could not be imported: its documented dotted path was recognised.
        case path
    }

    /// An OPTIONS key the backend's constructor refuses ("Invalid setting '<key>' for <Class>").
    public struct RejectedOption: Sendable, Hashable {
        public var key: String
        public var location: SourceLocation?
        public init(key: String, location: SourceLocation?) {
            self.key = key
            self.location = location
        }
    }

    public var alias: String
    public var family: Family
    /// Dotted name of the backend class (`module.qualname`; an alias such as `S3Boto3Storage`
    /// resolves to the class it names).
    public var className: String
    /// Dotted names of the class and its bases (`__mro__`; only the known ones for `.path`).
    public var mro: [String]
    public var resolution: Resolution
    /// The alias's BACKEND entry (or the STORAGES statement).
    public var location: SourceLocation?
    /// Every option of the backend's table, plus accepted extra OPTIONS (e.g. `cloudfront_signer`,
    /// `manifest_storage`, keywords a project subclass consumes).
    public var options: [String: BackendOption]
    public var rejectedOptions: [RejectedOption]
    /// S3: the `object_parameters` keys boto3 accepts as upload ExtraArgs (empty for other families).
    public var uploadArguments: [String]
    /// Methods of the library's class that a project class in the MRO redefines (`__init__`,
    /// `url`): values computed there are not the configured options rules see.
    public var projectOverrides: [String]

    public init(alias: String, family: Family, className: String, mro: [String], resolution: Resolution,
                location: SourceLocation?, options: [String: BackendOption], rejectedOptions: [RejectedOption],
                uploadArguments: [String], projectOverrides: [String] = []) {
        self.alias = alias
        self.family = family
        self.className = className
        self.mro = mro
        self.resolution = resolution
        self.location = location
        self.options = options
        self.rejectedOptions = rejectedOptions
        self.uploadArguments = uploadArguments
        self.projectOverrides = projectOverrides
    }

    /// The class's own name, as django-storages' messages print it (`S3ManifestStaticStorage`).
    public var classShortName: String {
        String(className.split(separator: ".").last ?? Substring(className))
    }

    /// The effective value of an option (nil when the backend has no such option).
    public subscript(option: String) -> SettingValue? { options[option]?.value }

    /// Django's ManifestFilesMixin is among the bases (hashed names + staticfiles.json).
    public var isManifest: Bool {
        mro.contains("django.contrib.staticfiles.storage.ManifestFilesMixin")
    }
}

/// One resolved option of a backend.
public struct BackendOption: Sendable, Hashable {
    public enum Origin: Sendable, Hashable {
        /// `STORAGES[alias]["OPTIONS"]`.
        case options
        /// A class attribute (dotted name of the class that defines it).
        case classAttribute(String)
        /// A Django setting, e.g. `AWS_LOCATION` (or `MEDIA_URL` for a base_url fallback).
        case setting(String)
        /// An environment variable the backend reads itself, e.g. `AWS_ACCESS_KEY_ID`.
        case environment(String)
        /// The backend's hard-coded default.
        case `default`
    }

    /// The value; credentials only as `.secret` (set) or `.none`.
    public var value: SettingValue
    public var origin: Origin
    /// The statement (or OPTIONS entry, or class attribute) that set it, when a project file did.
    public var location: SourceLocation?

    public init(value: SettingValue, origin: Origin, location: SourceLocation?) {
        self.value = value
        self.origin = origin
        self.location = location
    }

    /// Set by the project (not the backend's default).
    public var isConfigured: Bool { origin != .default }
}
