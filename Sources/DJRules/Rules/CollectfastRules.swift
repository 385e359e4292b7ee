import PythonStdlib
import DJStaticFiles
import DJSettings

/// Collectfast (archived) or its maintained fork Collectfasta, which reads the same settings
/// under a `COLLECTFASTA_` prefix.
struct CollectfastPackage: Sendable {
    var app: String
    var displayName: String
    var settingPrefix: String
    /// Strategy dotted path -> the storage family it works with.
    var strategies: [String: StorageFamily]

    static let collectfast = CollectfastPackage(
        app: "collectfast", displayName: "Collectfast", settingPrefix: "COLLECTFAST_", strategies: [
            "collectfast.strategies.boto3.Boto3Strategy": .s3,
            "collectfast.strategies.gcloud.GoogleCloudStrategy": .googleCloud,
            "collectfast.strategies.filesystem.FileSystemStrategy": .filesystem,
            "collectfast.strategies.filesystem.CachingFileSystemStrategy": .filesystem,
        ])
    static let collectfasta = CollectfastPackage(
        app: "collectfasta", displayName: "Collectfasta", settingPrefix: "COLLECTFASTA_", strategies: [
            "collectfasta.strategies.boto3.Boto3Strategy": .s3,
            "collectfasta.strategies.boto3.Boto3ManifestMemoryStrategy": .s3,
            "collectfasta.strategies.boto3.Boto3ManifestFileSystemStrategy": .s3,
            "collectfasta.strategies.gcloud.GoogleCloudStrategy": .googleCloud,
            "collectfasta.strategies.filesystem.FileSystemStrategy": .filesystem,
            "collectfasta.strategies.filesystem.CachingFileSystemStrategy": .filesystem,
            "collectfasta.strategies.azure.AzureBlobStrategy": .azure,
        ])
    static let all = [collectfast, collectfasta]

    /// Collectfasta's two-pass strategies, which post-process locally before uploading.
    static let manifestStrategies: Set<String> = [
        "collectfasta.strategies.boto3.Boto3ManifestMemoryStrategy",
        "collectfasta.strategies.boto3.Boto3ManifestFileSystemStrategy",
    ]

    func setting(_ suffix: String) -> String { settingPrefix + suffix }

    /// `<PREFIX>STRATEGY`, unless unset, None or derived from an unset environment variable.
    func strategy(in snapshot: SettingsSnapshot) -> String? {
        guard let value = snapshot[setting("STRATEGY")], !value.dependsOnUnsetEnvironment else { return nil }
        return value.string
    }

    /// Whether `<PREFIX>STRATEGY` is missing altogether (None counts: both packages test `is None`).
    func strategyMissing(in snapshot: SettingsSnapshot) -> Bool {
        snapshot[setting("STRATEGY")]?.isNone ?? true
    }

    /// The CACHES entry the hash cache uses (`<PREFIX>CACHE`, default "default"), with its alias.
    func cache(in snapshot: SettingsSnapshot) -> (alias: String, config: SettingValue?)? {
        let value = snapshot[setting("CACHE")] ?? .string("default")
        guard let alias = value.string, !value.dependsOnUnsetEnvironment else { return nil }
        return (alias, snapshot["CACHES"]?[alias])
    }

    /// Where a finding about this package's cache belongs.
    func cacheSetting(in snapshot: SettingsSnapshot) -> String {
        snapshot.isExplicit("CACHES") ? "CACHES" : snapshot.isExplicit(setting("CACHE")) ? setting("CACHE") : "INSTALLED_APPS"
    }
}

extension SettingsSnapshot {
    /// The Collectfast packages in INSTALLED_APPS.
    var collectfastPackages: [CollectfastPackage] {
        CollectfastPackage.all.filter { installedAppIndex($0.app) != nil }
    }
}

private let locMemCache = "django.core.cache.backends.locmem.LocMemCache"
private let dummyCache = "django.core.cache.backends.dummy.DummyCache"
/// Django's caches that cull at OPTIONS["MAX_ENTRIES"] (default 300).
private let cullingCaches: Set<String> = [
    locMemCache, "django.core.cache.backends.filebased.FileBasedCache", "django.core.cache.backends.db.DatabaseCache",
]

private let s3Static = """
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "storages.backends.s3.S3StaticStorage",
                        "OPTIONS": {"bucket_name": "example-static", "location": "static"}},
    }
    """
private let s3Manifest = s3Static.replacingOccurrences(of: "S3StaticStorage", with: "S3ManifestStaticStorage")
private let collectfastApps = #"INSTALLED_APPS = ["collectfast", "django.contrib.staticfiles"]"#
private let collectfastaApps = #"INSTALLED_APPS = ["collectfasta", "django.contrib.staticfiles"]"#
private let boto3Strategy = #"COLLECTFAST_STRATEGY = "collectfast.strategies.boto3.Boto3Strategy""#
private let redisCache = #"""
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://cache:6379/1"},
    }
    """#

public struct CollectfastStrategyMissingRule: Rule {
    public static let description = RuleDescription(
        code: "CF001", name: "collectfast-strategy-missing", severity: .error,
        summary: "collectfast is installed but COLLECTFAST_STRATEGY is not set.",
        rationale: """
            Collectfast's collectstatic raises ImproperlyConfigured before copying anything, so the \
            deploy step fails.
            """,
        mirrors: "ImproperlyConfigured",
        bad: [Example(collectfastApps + "\n" + s3Static)],
        good: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        let package = CollectfastPackage.collectfast
        guard let snapshot = context.snapshot, snapshot.installedAppIndex(package.app) != nil,
              package.strategyMissing(in: snapshot) else { return [] }
        return [Finding("No strategy configured, please make sure COLLECTFAST_STRATEGY is set.",
                        setting: snapshot.isExplicit("COLLECTFAST_STRATEGY") ? "COLLECTFAST_STRATEGY" : "INSTALLED_APPS",
                        hints: ["for S3: COLLECTFAST_STRATEGY = \"collectfast.strategies.boto3.Boto3Strategy\""])]
    }
}

public struct CollectfastAppOrderRule: Rule {
    public static let description = RuleDescription(
        code: "CF002", name: "collectfast-after-staticfiles", severity: .warning,
        summary: "collectfast (or collectfasta) comes after django.contrib.staticfiles in INSTALLED_APPS.",
        rationale: """
            Django takes the collectstatic command from the first app that provides it: listed after \
            staticfiles, Collectfast's command is never used and every deploy uploads as slowly as \
            before, without any message.
            """,
        bad: [Example(#"INSTALLED_APPS = ["django.contrib.staticfiles", "collectfast"]"#
                      + "\n" + s3Static + "\n" + boto3Strategy)],
        good: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        return snapshot.collectfastPackages.compactMap { package in
            guard let order = snapshot.listedAfterStaticfiles(package.app) else { return nil }
            return Finding("\(package.displayName) is inactive: it must precede django.contrib.staticfiles.",
                           setting: "INSTALLED_APPS",
                           hints: ["\(package.app) is INSTALLED_APPS[\(order.app)], django.contrib.staticfiles INSTALLED_APPS[\(order.staticfiles)]"])
        }
    }
}

public struct CollectfastStrategyMismatchRule: Rule {
    public static let description = RuleDescription(
        code: "CF003", name: "collectfast-strategy-backend-mismatch", severity: .error,
        summary: "The Collectfast strategy is for another kind of storage than the staticfiles backend.",
        rationale: """
            Each strategy reads remote hashes through its own storage API (boto3 ETags, GCS md5Hash, \
            local files): with another backend, collectstatic fails on the first file or compares \
            against nothing and uploads everything.
            """,
        bad: [Example(collectfastApps + "\n" + boto3Strategy + "\n"
                      + "STATIC_ROOT = \"/srv/static\"\n"
                      + #"STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}"#)],
        good: [Example(collectfastApps + "\n" + boto3Strategy + "\n" + s3Static)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        let family = snapshot.storageFamily("staticfiles")
        guard family != .unknown else { return [] }
        return snapshot.collectfastPackages.compactMap { package in
            guard let strategy = package.strategy(in: snapshot), let expected = package.strategies[strategy],
                  expected != family else { return nil }
            return Finding("\(package.setting("STRATEGY")) \(strategy) does not match staticfiles backend "
                           + "\(snapshot.storageBackend("staticfiles") ?? "?").",
                           setting: package.setting("STRATEGY"))
        }
    }
}

public struct CollectfastSettingTypeRule: Rule {
    public static let description = RuleDescription(
        code: "CF004", name: "collectfast-setting-type", severity: .error,
        summary: "A setting Collectfast type-checks at import has the wrong type.",
        rationale: """
            Collectfast checks the type of its settings (and of DEBUG, AWS_IS_GZIPPED and \
            GZIP_CONTENT_TYPES) when its command is imported: a string "4" for the thread count or a \
            list of content types (which django-storages accepts) makes every collectstatic fail \
            with ValueError.
            """,
        mirrors: "ValueError",
        bad: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy
                      + "\nCOLLECTFAST_THREADS = \"4\"\nGZIP_CONTENT_TYPES = [\"text/css\", \"text/javascript\"]")],
        good: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy
                       + "\nCOLLECTFAST_THREADS = 4\nGZIP_CONTENT_TYPES = (\"text/css\", \"text/javascript\")")])

    /// Python types as `repr(type)` shows them, with how `isinstance` judges a value.
    enum PythonType: String {
        case int, bool, str, tuple

        func accepts(_ value: SettingValue) -> Bool? {
            switch (self, value) {
            case (_, .opaque), (_, .lazy): nil  // e.g. a namedtuple or an int subclass: cannot tell
            case (.int, .int), (.int, .bigInt), (.int, .bool), (.bool, .bool), (.tuple, .tuple),
                 (.str, .string), (.str, .placeholder), (.str, .secret): true
            default: false
            }
        }
    }

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        let packages = snapshot.collectfastPackages
        guard !packages.isEmpty else { return [] }
        var checked: [(String, PythonType)] = [("DEBUG", .bool), ("AWS_IS_GZIPPED", .bool), ("GZIP_CONTENT_TYPES", .tuple)]
        for package in packages {
            checked += [(package.setting("DEBUG"), .bool), (package.setting("CACHE_KEY_PREFIX"), .str),
                        (package.setting("CACHE"), .str), (package.setting("THREADS"), .int), (package.setting("ENABLED"), .bool)]
        }
        return checked.compactMap { name, type in
            guard let value = snapshot[name], !value.dependsOnUnsetEnvironment,
                  type.accepts(value) == false else { return nil }
            return Finding("The '\(name)' setting must be of type <class '\(type.rawValue)'>, found <class '\(value.pythonTypeName)'>",
                           setting: snapshot.isExplicit(name) ? name : "INSTALLED_APPS")
        }
    }
}

extension SettingValue {
    /// The qualified name Python prints for `type(value)`.
    var pythonTypeName: String {
        switch self {
        case .none: "NoneType"
        case .bool: "bool"
        case .int, .bigInt: "int"
        case .float: "float"
        case .string, .placeholder, .secret: "str"
        case .bytes: "bytes"
        case .path: "pathlib.PosixPath"
        case .list: "list"
        case .tuple: "tuple"
        case .set: "set"
        case .dict: "dict"
        case .opaque(let type, _): type.hasPrefix("builtins.") ? String(type.dropFirst("builtins.".count)) : type
        case .lazy: "django.utils.functional.lazy.<locals>.__proxy__"
        }
    }
}

public struct CollectfastCacheNotPersistentRule: Rule {
    public static let description = RuleDescription(
        code: "CF005", name: "collectfast-cache-not-persistent", severity: .warning,
        summary: "Collectfast's cache alias is missing from CACHES, or is a LocMem/Dummy cache.",
        rationale: """
            Collectfast remembers remote hashes in a Django cache. Django's default LocMemCache lives \
            only as long as the collectstatic process (a Dummy cache not at all), so every run starts \
            cold and asks the storage for each file: most of the speed-up is lost.
            """,
        bad: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy)],
        good: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy + "\n" + redisCache)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        return snapshot.collectfastPackages.compactMap { package in
            guard let (alias, config) = package.cache(in: snapshot) else { return nil }
            let backend = config?["BACKEND"]?.string
            let problem: String
            if config == nil {
                problem = "CACHES has no \(SettingValue.quote(alias)) alias"
            } else if let backend, backend == locMemCache || backend == dummyCache {
                problem = "CACHES[\(SettingValue.quote(alias))] is \(backend)"
                    + (snapshot.isExplicit("CACHES") ? "" : " (Django's default)")
            } else {
                return nil
            }
            return Finding("Collectfast's hash cache does not persist between runs; every run does a HEAD per file.",
                           setting: package.cacheSetting(in: snapshot),
                           hints: [problem + "; use Redis, Memcached, a database or file cache for \(package.setting("CACHE"))"])
        }
    }
}

public struct CollectfastCacheMaxEntriesRule: Rule {
    public static let description = RuleDescription(
        code: "CF006", name: "collectfast-cache-max-entries", severity: .warning,
        summary: "Collectfast's file/database/LocMem cache has no MAX_ENTRIES, or fewer than the static files.",
        rationale: """
            Django's file, database and local-memory caches cull entries beyond OPTIONS["MAX_ENTRIES"] \
            (300 by default). A project with more static files loses hashes on every run and \
            re-checks or re-uploads the culled files.
            """,
        bad: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy + "\n" + #"""
            CACHES = {
                "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                            "LOCATION": "/var/tmp/django_cache"},
            }
            """#)],
        good: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy + "\n" + #"""
            CACHES = {
                "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                            "LOCATION": "/var/tmp/django_cache", "OPTIONS": {"MAX_ENTRIES": 5000}},
            }
            """#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        return snapshot.collectfastPackages.compactMap { package in
            guard let (alias, config) = package.cache(in: snapshot), let config,
                  let backend = config["BACKEND"]?.string, cullingCaches.contains(backend) else { return nil }
            let problem: String
            switch config["OPTIONS"]?["MAX_ENTRIES"] {
            case nil:
                problem = "CACHES[\(SettingValue.quote(alias))] sets no OPTIONS['MAX_ENTRIES']: Django culls above 300 entries"
            case .int(let maxEntries)?:
                let count = snapshot.staticFileCount(projectRoot: context.projectRoot)
                guard count > maxEntries else { return nil }
                problem = "the project has \(count) static files; CACHES[\(SettingValue.quote(alias))] keeps \(maxEntries)"
            default:
                return nil
            }
            return Finding("Raise MAX_ENTRIES above the number of static files (default 300).",
                           setting: package.cacheSetting(in: snapshot), hints: [problem])
        }
    }
}

extension SettingsSnapshot {
    /// How many distinct paths the default finders (FileSystemFinder over STATICFILES_DIRS,
    /// AppDirectoriesFinder over each app's static/) would collect, with Django's default ignore
    /// patterns. Finders that are not configured are left out.
    func staticFileCount(projectRoot: String) -> Int {
        let finders = (self["STATICFILES_FINDERS"]?.sequence ?? []).compactMap(\.string)
        var described: [CollectDescription.Finder] = []
        if let path = finders.first(where: { entry($0, isSubclassOf: "django.contrib.staticfiles.finders.FileSystemFinder") }) {
            let roots = staticfilesDirsEntries.compactMap { entry -> CollectDescription.Root? in
                guard !entry.malformed, let text = entry.root.pathText else { return nil }
                return CollectDescription.Root(location: PyPath.abspath(text, cwd: projectRoot), prefix: entry.prefix?.string ?? "")
            }
            described.append(.init(path: path, kind: .filesystem, className: path, roots: roots))
        }
        if let path = finders.first(where: { entry($0, isSubclassOf: "django.contrib.staticfiles.finders.AppDirectoriesFinder") }) {
            let apps = (self["INSTALLED_APPS"]?.sequence ?? []).compactMap(\.string)
            let roots = apps.compactMap { app in appPaths[app].map { CollectDescription.Root(location: $0 + "/static", prefix: "", app: app) } }
            described.append(.init(path: path, kind: .appDirectories, className: path, roots: roots))
        }
        let finder = StaticFinders(CollectDescription(staticURL: nil, defaultIgnorePatterns: ["CVS", ".*", "*~"],
                                                      finders: described, storage: nil))
        var paths = Set<String>()
        try? finder.walk(ignoring: finder.ignorePatterns(extra: [], useDefaults: true)) { paths.insert($0.prefixedPath) }
        return paths.count
    }
}

public struct CollectfastThreadsWithLocMemRule: Rule {
    public static let description = RuleDescription(
        code: "CF007", name: "collectfast-threads-with-locmem-cache", severity: .warning,
        summary: "Collectfast uploads with threads while its cache is a LocMemCache.",
        rationale: """
            Collectfast's README requires a thread-safe, shared cache for parallel uploads; the \
            local-memory cache is per process and culls under concurrent writes, so threads race on \
            it and lose hashes.
            """,
        bad: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy + "\nCOLLECTFAST_THREADS = 8")],
        good: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy + "\nCOLLECTFAST_THREADS = 8\n" + redisCache)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        return snapshot.collectfastPackages.compactMap { package in
            let threads: Int
            switch snapshot[package.setting("THREADS")] {
            case .int(let count)?: threads = count
            case .bool(true)?: threads = 1
            default: return nil
            }
            guard threads > 0, let (alias, config) = package.cache(in: snapshot),
                  config?["BACKEND"]?.string == locMemCache else { return nil }
            return Finding("Parallel uploads need a thread-safe shared cache.", setting: package.setting("THREADS"),
                           hints: ["\(package.setting("THREADS")) = \(threads) but CACHES[\(SettingValue.quote(alias))] is LocMemCache"])
        }
    }
}

public struct CollectfastGzipRule: Rule {
    public static let description = RuleDescription(
        code: "CF008", name: "collectfast-gzip-hash-mismatch", severity: .warning,
        summary: "AWS_IS_GZIPPED is on with a Collectfast boto3 strategy.",
        rationale: """
            Collectfast hashes its own gzip of each file, which differs from django-storages' upload \
            in the gzip header's OS byte, so the hash never equals the S3 ETag: CSS, JS and SVG are \
            uploaded again on every run with a cold cache.
            """,
        bad: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy + "\nAWS_IS_GZIPPED = True")],
        good: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot["AWS_IS_GZIPPED"] == .bool(true) else { return [] }
        return snapshot.collectfastPackages.compactMap { package in
            guard let strategy = package.strategy(in: snapshot), package.strategies[strategy] == .s3 else { return nil }
            return Finding("Collectfast's gzip hash never equals the S3 ETag; gzip-eligible files are re-uploaded whenever the cache is cold.",
                           setting: "AWS_IS_GZIPPED",
                           hints: ["let the CDN compress instead (CloudFront can), or accept the re-uploads"])
        }
    }
}

public struct CollectfastManifestRule: Rule {
    public static let description = RuleDescription(
        code: "CF009", name: "collectfast-with-manifest-storage", severity: .info,
        summary: "Collectfast is used with a manifest (hashed-name) staticfiles storage.",
        rationale: """
            Collectfast only short-circuits the copy phase: Django's post-processing still deletes \
            and re-uploads every CSS/JS copy and staticfiles.json on each run, with a HEAD per hashed \
            file, so the deploy stays slow.
            """,
        bad: [Example(collectfastApps + "\n" + s3Manifest + "\n" + boto3Strategy)],
        good: [Example(collectfastaApps + "\n" + s3Manifest
                       + "\nCOLLECTFASTA_STRATEGY = \"collectfasta.strategies.boto3.Boto3ManifestMemoryStrategy\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.usesManifestStorage else { return [] }
        return snapshot.collectfastPackages.compactMap { package in
            let strategy = package.strategy(in: snapshot)
            guard !CollectfastPackage.manifestStrategies.contains(strategy ?? "") else { return nil }
            return Finding("Post-processing still re-uploads CSS/JS and the manifest each run; Collectfasta's Boto3ManifestMemoryStrategy handles manifests.",
                           setting: strategy != nil && snapshot.isExplicit(package.setting("STRATEGY"))
                               ? package.setting("STRATEGY") : "INSTALLED_APPS")
        }
    }
}

public struct CollectfastArchivedRule: Rule {
    public static let description = RuleDescription(
        code: "CF010", name: "collectfast-archived", severity: .info,
        summary: "collectfast is installed; the project is archived.",
        rationale: """
            Collectfast gets no fixes (reports of hangs with Django 4.2 stay open). Collectfasta is \
            the maintained fork: app "collectfasta", settings COLLECTFASTA_*, bulk listing instead of \
            a HEAD per file, and strategies for manifest storages.
            """,
        bad: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy)],
        good: [Example(collectfastaApps + "\n" + s3Static
                       + "\nCOLLECTFASTA_STRATEGY = \"collectfasta.strategies.boto3.Boto3Strategy\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.installedAppIndex(CollectfastPackage.collectfast.app) != nil
        else { return [] }
        return [Finding("Collectfast is archived; Collectfasta is the maintained drop-in (COLLECTFASTA_* settings).",
                        setting: "INSTALLED_APPS")]
    }
}

public struct CollectfastBothInstalledRule: Rule {
    public static let description = RuleDescription(
        code: "CF011", name: "collectfast-and-collectfasta", severity: .error,
        summary: "Both collectfast and collectfasta are in INSTALLED_APPS.",
        rationale: """
            Both replace collectstatic; only the first listed is used, with its own settings prefix, \
            so half of the configuration is silently ignored. Collectfasta's README forbids installing both.
            """,
        bad: [Example(#"INSTALLED_APPS = ["collectfast", "collectfasta", "django.contrib.staticfiles"]"#)],
        good: [Example(collectfastaApps)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.collectfastPackages.count == CollectfastPackage.all.count
        else { return [] }
        return [Finding("Install only one of collectfast / collectfasta.", setting: "INSTALLED_APPS")]
    }
}

public struct CollectfastaSettingsRule: Rule {
    public static let description = RuleDescription(
        code: "CF012", name: "collectfasta-settings", severity: .error,
        summary: "collectfasta is installed without COLLECTFASTA_STRATEGY, or with COLLECTFAST_* settings.",
        rationale: """
            Collectfasta renamed every setting to COLLECTFASTA_*: settings kept from Collectfast are \
            ignored, and without COLLECTFASTA_STRATEGY its collectstatic raises ImproperlyConfigured.
            """,
        mirrors: "ImproperlyConfigured",
        bad: [Example(collectfastaApps + "\n" + s3Static + "\n" + boto3Strategy)],
        good: [Example(collectfastaApps + "\n" + s3Static
                       + "\nCOLLECTFASTA_STRATEGY = \"collectfasta.strategies.boto3.Boto3Strategy\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        let package = CollectfastPackage.collectfasta
        guard let snapshot = context.snapshot, snapshot.installedAppIndex(package.app) != nil else { return [] }
        let message = "Collectfasta reads COLLECTFASTA_* settings (COLLECTFASTA_STRATEGY required)."
        var findings: [Finding] = []
        if package.strategyMissing(in: snapshot) {
            findings.append(Finding(message, setting: snapshot.isExplicit("COLLECTFASTA_STRATEGY") ? "COLLECTFASTA_STRATEGY" : "INSTALLED_APPS",
                                    hints: ["COLLECTFASTA_STRATEGY is not set; collectstatic raises ImproperlyConfigured"]))
        }
        // With collectfast installed too, its COLLECTFAST_* names are its own (CF011 reports the pair).
        if snapshot.installedAppIndex(CollectfastPackage.collectfast.app) == nil {
            for name in snapshot.raw.keys.sorted() where name.hasPrefix(CollectfastPackage.collectfast.settingPrefix) {
                let renamed = package.settingPrefix + name.dropFirst(CollectfastPackage.collectfast.settingPrefix.count)
                findings.append(Finding(message, setting: name, hints: ["\(name) is not read by collectfasta: rename it \(renamed)"]))
            }
        }
        return findings
    }
}
