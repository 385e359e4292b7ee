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
        /// The live storage's reference patterns (`storage._patterns`), per file glob in order.
        public var patterns: [PatternGroup]
        /// Directory of the manifest storage (differs from the storage's for release-specific manifests).
        public var location: String?
        public var filePermissions: Int?
        public var directoryPermissions: Int?
        public init(name: String, version: String, strict: Bool, keepIntermediateFiles: Bool, maxPostProcessPasses: Int,
                    patterns: [PatternGroup], location: String?, filePermissions: Int?, directoryPermissions: Int?) {
            self.name = name
            self.version = version
            self.strict = strict
            self.keepIntermediateFiles = keepIntermediateFiles
            self.maxPostProcessPasses = maxPostProcessPasses
            self.patterns = patterns
            self.location = location
            self.filePermissions = filePermissions
            self.directoryPermissions = directoryPermissions
        }
    }

    /// A regular expression as Python compiled it: its text and its `re` flags (IGNORECASE,
    /// MULTILINE, DOTALL bits).
    public struct Regex: Sendable, Hashable {
        public var pattern: String
        public var flags: Int
        public init(pattern: String, flags: Int) {
            self.pattern = pattern
            self.flags = flags
        }
    }

    /// The patterns a manifest storage applies to files matching `glob`: each rewrites the matches
    /// of `regex` with `template`; since Django 6.1, not inside the blocks `ignored` matches.
    public struct PatternGroup: Sendable, Hashable {
        public struct Pattern: Sendable, Hashable {
            public var regex: Regex
            public var template: String
            public var ignored: Regex?
            public init(regex: Regex, template: String, ignored: Regex?) {
                self.regex = regex
                self.template = template
                self.ignored = ignored
            }
        }

        public var glob: String
        public var patterns: [Pattern]
        public init(glob: String, patterns: [Pattern]) {
            self.glob = glob
            self.patterns = patterns
        }
    }

    /// An S3 staticfiles storage (django-storages' S3Storage family), as its instance resolved it.
    public struct S3Target: Sendable, Hashable {
        public var bucket: String
        /// Key prefix (`location`).
        public var location: String
        public var endpointURL: String?
        public var region: String?
        /// "path", "virtual", or nil (botocore's "auto").
        public var addressingStyle: String?
        public var signatureVersion: String?
        public var useSSL: Bool
        public var gzip: Bool
        public var gzipContentTypes: [String]
        /// PutObject headers from object_parameters and the ACL, as botocore serialises them.
        public var headers: [[String]]
        public var multipartThreshold: Int
        public var multipartChunkSize: Int
        public var maxConcurrency: Int
        public var customDomain: String?
        public var urlProtocol: String?
        /// The manifest storage's own location and headers, when it is a separate S3 storage.
        public var manifestLocation: String?
        public var manifestHeaders: [[String]]?

        public init(bucket: String, location: String, endpointURL: String?, region: String?, addressingStyle: String?,
                    signatureVersion: String?, useSSL: Bool, gzip: Bool, gzipContentTypes: [String], headers: [[String]],
                    multipartThreshold: Int, multipartChunkSize: Int, maxConcurrency: Int, customDomain: String?,
                    urlProtocol: String?, manifestLocation: String?, manifestHeaders: [[String]]?) {
            self.bucket = bucket
            self.location = location
            self.endpointURL = endpointURL
            self.region = region
            self.addressingStyle = addressingStyle
            self.signatureVersion = signatureVersion
            self.useSSL = useSSL
            self.gzip = gzip
            self.gzipContentTypes = gzipContentTypes
            self.headers = headers
            self.multipartThreshold = multipartThreshold
            self.multipartChunkSize = multipartChunkSize
            self.maxConcurrency = maxConcurrency
            self.customDomain = customDomain
            self.urlProtocol = urlProtocol
            self.manifestLocation = manifestLocation
            self.manifestHeaders = manifestHeaders
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
        /// Set for an S3 storage: collect stages locally, then uploads.
        public var s3: S3Target?
        /// Set for WhiteNoise's CompressedStaticFilesStorage / CompressedManifestStaticFilesStorage.
        public var compression: Compression?
        public init(className: String, classNames: [String], location: String?, baseURL: String?, filePermissions: Int?,
                    directoryPermissions: Int?, allowOverwrite: Bool, manifest: Manifest?, s3: S3Target? = nil,
                    compression: Compression? = nil) {
            self.s3 = s3
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
    /// For the asset rules: what the audit needs, or why it could not be read.
    public var audit: Result<AssetAudit, CollectFailure>?

    public init(staticURL: String?, defaultIgnorePatterns: [String], finders: [Finder], storage: Storage?,
                audit: Result<AssetAudit, CollectFailure>? = nil) {
        self.staticURL = staticURL
        self.defaultIgnorePatterns = defaultIgnorePatterns
        self.finders = finders
        self.storage = storage
        self.audit = audit
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

/// What the asset audit reads from the set-up project (djstatic_assets.py): the references the
/// staticfiles storage follows, whether a missing one makes collectstatic fail, and the literal
/// paths templates give to `{% static %}` (or Jinja2's `static()`).
public struct AssetAudit: Sendable, Hashable {
    public struct TemplateReference: Sendable, Hashable {
        public var file: String
        public var line: Int
        public var column: Int
        /// The path as the template tag receives it (string literal unescaped).
        public var path: String
        /// "django" or "jinja2".
        public var engine: String
        public init(file: String, line: Int, column: Int, path: String, engine: String) {
            self.file = file
            self.line = line
            self.column = column
            self.path = path
            self.engine = engine
        }
    }

    public var storageClass: String
    /// A `HashedFilesMixin` storage: post-processing resolves every reference and fails on a missing one.
    public var rewrites: Bool
    /// `manifest_strict` of a manifest storage (nil: not a manifest storage).
    public var manifestStrict: Bool?
    /// The storage's own patterns, or (when it does not rewrite) the installed Django's defaults.
    public var patterns: [CollectDescription.PatternGroup]
    public var templates: [TemplateReference]

    public init(storageClass: String, rewrites: Bool, manifestStrict: Bool?, patterns: [CollectDescription.PatternGroup],
                templates: [TemplateReference]) {
        self.storageClass = storageClass
        self.rewrites = rewrites
        self.manifestStrict = manifestStrict
        self.patterns = patterns
        self.templates = templates
    }
}
