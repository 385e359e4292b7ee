import PythonStdlib
import DJStaticFiles
import DJSettings

extension PyPath {
    /// Whether `inner` is strictly below `outer` (both already normalised, absolute).
    static func isStrictlyInside(_ inner: String, _ outer: String) -> Bool {
        inner != outer && inner.hasPrefix(outer == "/" ? "/" : outer + "/")
    }
}

/// One `STATICFILES_DIRS` entry, as FileSystemFinder reads it.
public struct StaticfilesDirsEntry: Sendable {
    public var index: Int
    /// `(prefix, root)` entries; nil for a plain root.
    public var prefix: SettingValue?
    public var root: SettingValue
    /// A list/tuple entry whose length is not 2 (Django crashes unpacking it).
    public var malformed: Bool
}

extension SettingsSnapshot {
    /// `django.contrib.staticfiles` (or its AppConfig) is in INSTALLED_APPS.
    public var staticfilesInstalled: Bool { installedAppIndex("django.contrib.staticfiles") != nil }

    /// Positions of `app` and django.contrib.staticfiles when `app` comes after it: apps that
    /// override staticfiles' management commands must precede it, since Django takes each command
    /// from the first app that provides it.
    public func listedAfterStaticfiles(_ app: String) -> (app: Int, staticfiles: Int)? {
        guard let index = installedAppIndex(app), let staticfiles = installedAppIndex("django.contrib.staticfiles"),
              index > staticfiles else { return nil }
        return (index, staticfiles)
    }

    /// Position of `app` (its module, an AppConfig path inside it, or an AppConfig class anywhere
    /// whose `name` is `app`) in INSTALLED_APPS.
    public func installedAppIndex(_ app: String) -> Int? {
        (self["INSTALLED_APPS"]?.sequence ?? []).firstIndex {
            guard let entry = $0.string else { return false }
            return entry == app || entry.hasPrefix(app + ".") || appNames[entry] == app
        }
    }

    /// For a finding placed at the later of two settings: where the other one was set (the file
    /// relative to the project root when inside it).
    public func otherSettingHint(_ other: String, projectRoot: String) -> [String] {
        guard let source = sources[other] else { return [] }
        let prefix = projectRoot.hasSuffix("/") ? projectRoot : projectRoot + "/"
        let file = source.file.hasPrefix(prefix) ? String(source.file.dropFirst(prefix.count)) : source.file
        return ["\(other) was set at \(file):\(source.line)"]
    }

    public var staticfilesDirsEntries: [StaticfilesDirsEntry] {
        (self["STATICFILES_DIRS"]?.sequence ?? []).enumerated().map { index, entry in
            if let pair = entry.sequence {
                if pair.count == 2 {
                    return StaticfilesDirsEntry(index: index, prefix: pair[0], root: pair[1], malformed: false)
                }
                return StaticfilesDirsEntry(index: index, prefix: nil, root: entry, malformed: true)
            }
            return StaticfilesDirsEntry(index: index, prefix: nil, root: entry, malformed: false)
        }
    }

    /// `STORAGES[alias]["BACKEND"]`.
    public func storageBackend(_ alias: String) -> String? {
        self["STORAGES"]?[alias]?["BACKEND"]?.string
    }

    /// `STORAGES[alias]["OPTIONS"]`.
    public func storageOptions(_ alias: String) -> SettingValue? {
        self["STORAGES"]?[alias]?["OPTIONS"]
    }

    /// The STORAGES aliases, in order.
    public var storageAliases: [String] {
        (self["STORAGES"]?.entries ?? []).compactMap(\.key.string)
    }

    /// Dotted class names of the alias's backend and its bases (from `__mro__` when the backend
    /// imported; otherwise just the configured name).
    public func storageClassNames(_ alias: String) -> [String] {
        if let names = storageClasses[alias] { return names }
        return storageBackend(alias).map { [$0] } ?? []
    }

    /// The backend writes to the local filesystem (a FileSystemStorage).
    public func storageIsLocal(_ alias: String) -> Bool {
        storageClassNames(alias).contains { Self.localStorageClasses.contains($0) }
    }

    /// What kind of place the alias's backend stores files in, from its class and bases (a backend
    /// that did not import is judged by its configured dotted path only).
    public func storageFamily(_ alias: String) -> StorageFamily {
        let names = storageClassNames(alias)
        if names.isEmpty { return .unknown }
        if storageIsLocal(alias) { return .filesystem }
        func under(_ module: String) -> Bool { names.contains { $0.hasPrefix(module + ".") } }
        if under("storages.backends.s3") || under("storages.backends.s3boto3") { return .s3 }
        if under("storages.backends.gcloud") { return .googleCloud }
        if under("storages.backends.azure_storage") { return .azure }
        if names.contains(where: { name in Self.remoteStorageModules.contains { name.hasPrefix($0 + ".") } }) {
            return .otherRemote
        }
        return .unknown
    }

    /// Packages whose storages keep files on another machine (django-storages' backends: S3, GCS,
    /// Azure, SFTP, FTP, Dropbox, libcloud; django-s3-storage; django-minio-backend).
    static let remoteStorageModules = ["storages.backends", "storages.base", "django_s3_storage", "django_minio_backend"]

    static let localStorageClasses: Set<String> = [
        "django.core.files.storage.filesystem.FileSystemStorage",
        "django.core.files.storage.FileSystemStorage",
        "django.contrib.staticfiles.storage.StaticFilesStorage",
        "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
        "whitenoise.storage.CompressedStaticFilesStorage",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]
}

/// Where a storage backend keeps its files (see `SettingsSnapshot.storageFamily`).
public enum StorageFamily: Sendable, Equatable {
    case filesystem, s3, googleCloud, azure
    /// Another remote backend (SFTP, FTP, Dropbox, libcloud, other S3 packages).
    case otherRemote
    /// A project's own class that did not import, or nothing configured.
    case unknown

    public var isRemote: Bool { self != .filesystem && self != .unknown }
}

extension SettingValue {
    /// The text Django's path checks see: `str(root)` for str and Path values.
    public var pathText: String? {
        switch self {
        case .string(let s), .path(let s): s
        default: nil
        }
    }
}
