/// What `manage.py collectstatic` would work with, as the evaluator found it after `django.setup()`.
public struct CollectDescription: Sendable, Hashable {
    public struct Root: Sendable, Hashable {
        /// Absolute directory walked by the finder.
        public var location: String
        /// Destination prefix ("" for none).
        public var prefix: String
        /// The app, for AppDirectoriesFinder roots.
        public var app: String?
        /// FileSystemFinder.find() matches with the location's own prefix (list() uses the
        /// storage's, which is the last prefix given for the same root).
        public var findPrefix: String
        /// How `findstatic -v 2` lists the location (the setting's own spelling).
        public var searched: String
        public init(location: String, prefix: String, app: String? = nil, findPrefix: String? = nil, searched: String? = nil) {
            self.location = location
            self.prefix = prefix
            self.app = app
            self.findPrefix = findPrefix ?? prefix
            self.searched = searched ?? location
        }
    }

    public struct Finder: Sendable, Hashable {
        public enum Kind: String, Sendable { case filesystem, appDirectories = "app_directories", defaultStorage = "default_storage" }
        public var path: String
        public var kind: Kind
        public var className: String
        /// In walk order (for FileSystemFinder: one per `locations` entry, duplicates included).
        public var roots: [Root]
        public init(path: String, kind: Kind, className: String, roots: [Root]) {
            self.path = path
            self.kind = kind
            self.className = className
            self.roots = roots
        }
    }

    public struct Manifest: Sendable, Hashable {
        public var name: String
        public var version: String
        public var strict: Bool
        public var keepIntermediateFiles: Bool
        public var maxPostProcessPasses: Int
        public var jsModuleImportAggregation: Bool
        /// Directory of the manifest storage (differs from the storage's for release-specific manifests).
        public var location: String?
        public var filePermissions: Int?
        public var directoryPermissions: Int?
        public init(name: String, version: String, strict: Bool, keepIntermediateFiles: Bool, maxPostProcessPasses: Int,
                    jsModuleImportAggregation: Bool, location: String?, filePermissions: Int?, directoryPermissions: Int?) {
            self.name = name
            self.version = version
            self.strict = strict
            self.keepIntermediateFiles = keepIntermediateFiles
            self.maxPostProcessPasses = maxPostProcessPasses
            self.jsModuleImportAggregation = jsModuleImportAggregation
            self.location = location
            self.filePermissions = filePermissions
            self.directoryPermissions = directoryPermissions
        }
    }

    /// WhiteNoise's compressing storages: what their `post_process` adds.
    public struct Compression: Sendable, Hashable {
        /// `Compressor.extension_re`: names it matches (re.search) are not compressed.
        public var skipPattern: String
        public var skipIgnoreCase: Bool
        public var gzip: Bool
        /// Whether the project's `brotli` module is importable (whitenoise then writes `.br` first).
        public var brotli: Bool
        public var brotliVersion: String?
        /// Manifest variant: WHITENOISE_KEEP_ONLY_HASHED_FILES.
        public var keepOnlyHashedFiles: Bool
        /// Manifest variant: `make_helpful_exception`'s regex and message template.
        public var missingFilePattern: String?
        public var missingFileMessage: String?
        public init(skipPattern: String, skipIgnoreCase: Bool, gzip: Bool, brotli: Bool, brotliVersion: String?,
                    keepOnlyHashedFiles: Bool, missingFilePattern: String?, missingFileMessage: String?) {
            self.skipPattern = skipPattern
            self.skipIgnoreCase = skipIgnoreCase
            self.gzip = gzip
            self.brotli = brotli
            self.brotliVersion = brotliVersion
            self.keepOnlyHashedFiles = keepOnlyHashedFiles
            self.missingFilePattern = missingFilePattern
            self.missingFileMessage = missingFileMessage
        }
    }

    public struct Storage: Sendable, Hashable {
        public var className: String
        public var classNames: [String]
        /// Absolute STATIC_ROOT (storage.location), nil when unset.
        public var location: String?
        public var baseURL: String?
        public var filePermissions: Int?
        public var directoryPermissions: Int?
        public var allowOverwrite: Bool
        /// Set for ManifestStaticFilesStorage and its data-only subclasses.
        public var manifest: Manifest?
        /// Set for WhiteNoise's CompressedStaticFilesStorage / CompressedManifestStaticFilesStorage.
        public var compression: Compression?
        public init(className: String, classNames: [String], location: String?, baseURL: String?, filePermissions: Int?,
                    directoryPermissions: Int?, allowOverwrite: Bool, manifest: Manifest?, compression: Compression? = nil) {
            self.compression = compression
            self.className = className
            self.classNames = classNames
            self.location = location
            self.baseURL = baseURL
            self.filePermissions = filePermissions
            self.directoryPermissions = directoryPermissions
            self.allowOverwrite = allowOverwrite
            self.manifest = manifest
        }

        /// Where `staticfiles.json` is written, for a manifest storage with a location.
        public var manifestPath: String? {
            guard let manifest, let directory = manifest.location ?? location else { return nil }
            return directory.hasSuffix("/") ? directory + manifest.name : directory + "/" + manifest.name
        }
    }

    /// Effective STATIC_URL (script prefix applied).
    public var staticURL: String?
    public var defaultIgnorePatterns: [String]
    public var finders: [Finder]
    /// Nil when only the finders were asked for (check's DJS025, find).
    public var storage: Storage?

    public init(staticURL: String?, defaultIgnorePatterns: [String], finders: [Finder], storage: Storage?) {
        self.staticURL = staticURL
        self.defaultIgnorePatterns = defaultIgnorePatterns
        self.finders = finders
        self.storage = storage
    }
}

/// Why collect cannot proceed: Django would fail the same way, or djstatic does not reproduce a class.
public struct CollectFailure: Error, Sendable, Hashable {
    public var message: String
    public var location: SourceLocation?
    /// A finder/storage djstatic does not reproduce (as opposed to an error Django itself raises).
    public var unsupported: Bool
    public init(message: String, location: SourceLocation?, unsupported: Bool) {
        self.message = message
        self.location = location
        self.unsupported = unsupported
    }
}
