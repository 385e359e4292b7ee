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

    /// Where a finding about a missing strategy lands: the `<PREFIX>STRATEGY` statement that sets
    /// None, else the package's INSTALLED_APPS entry (what installs the command that raises).
    func strategyPlace(in snapshot: SettingsSnapshot) -> (setting: String, entry: String?) {
        snapshot.isExplicit(setting("STRATEGY")) ? (setting("STRATEGY"), nil) : ("INSTALLED_APPS", app)
    }

    /// Where a finding about this package's cache lands: the alias's entry in CACHES (the CACHES
    /// statement when the alias is missing), else `<PREFIX>CACHE`, else the package's
    /// INSTALLED_APPS entry.
    func cachePlace(in snapshot: SettingsSnapshot, alias: String) -> (setting: String, entry: String?) {
        if snapshot.isExplicit("CACHES") { return ("CACHES", alias) }
        return snapshot.isExplicit(setting("CACHE")) ? (setting("CACHE"), nil) : ("INSTALLED_APPS", app)
    }
}

extension SettingsSnapshot {
    /// The Collectfast packages in INSTALLED_APPS.
    var collectfastPackages: [CollectfastPackage] {
        CollectfastPackage.all.filter { installedAppIndex($0.app) != nil }
    }
}

let locMemCache = "django.core.cache.backends.locmem.LocMemCache"

let dummyCache = "django.core.cache.backends.dummy.DummyCache"

/// Django's caches that cull at OPTIONS["MAX_ENTRIES"] (default 300).
let cullingCaches: Set<String> = [
    locMemCache, "django.core.cache.backends.filebased.FileBasedCache", "django.core.cache.backends.db.DatabaseCache",
]

let s3Static = """
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "storages.backends.s3.S3StaticStorage",
                        "OPTIONS": {"bucket_name": "example-static", "location": "static"}},
    }
    """

let s3Manifest = s3Static.replacingOccurrences(of: "S3StaticStorage", with: "S3ManifestStaticStorage")

let collectfastApps = #"INSTALLED_APPS = ["collectfast", "django.contrib.staticfiles"]"#

let collectfastaApps = #"INSTALLED_APPS = ["collectfasta", "django.contrib.staticfiles"]"#

let boto3Strategy = #"COLLECTFAST_STRATEGY = "collectfast.strategies.boto3.Boto3Strategy""#

let redisCache = #"""
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://cache:6379/1"},
    }
    """#

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
