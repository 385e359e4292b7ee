import DJCollect
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
    public var staticfilesInstalled: Bool {
        (self["INSTALLED_APPS"]?.sequence ?? []).contains {
            guard let app = $0.string else { return false }
            return app == "django.contrib.staticfiles" || app.hasPrefix("django.contrib.staticfiles.")
        }
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

    static let localStorageClasses: Set<String> = [
        "django.core.files.storage.filesystem.FileSystemStorage",
        "django.core.files.storage.FileSystemStorage",
        "django.contrib.staticfiles.storage.StaticFilesStorage",
        "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
        "whitenoise.storage.CompressedStaticFilesStorage",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]
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
