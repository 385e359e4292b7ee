import PythonStdlib
import DJSettings

let whiteNoiseMiddleware = "whitenoise.middleware.WhiteNoiseMiddleware"

let securityMiddleware = "django.middleware.security.SecurityMiddleware"

let compressedStorage = "whitenoise.storage.CompressedStaticFilesStorage"

let compressedManifestStorage = "whitenoise.storage.CompressedManifestStaticFilesStorage"

/// The start of a settings file that serves static files with WhiteNoise, as its docs recommend.
let middleware = """
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
    ]
    """

/// A project's own WhiteNoiseMiddleware subclass (as pretalx has).
let siteMiddleware = "site_middleware.py"

let siteMiddlewareSource = """
    from whitenoise.middleware import WhiteNoiseMiddleware


    class SiteWhiteNoiseMiddleware(WhiteNoiseMiddleware):
        pass
    """

func storages(_ backend: String, options: String = "") -> String {
    """
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "\(backend)"\(options.isEmpty ? "" : ", \"OPTIONS\": " + options)},
    }
    """
}

extension SettingsSnapshot {
    /// MIDDLEWARE entries (nil for an entry that is not a string), in order.
    var middlewarePaths: [String?] { (self["MIDDLEWARE"]?.sequence ?? []).map(\.string) }

    /// Position of WhiteNoiseMiddleware (or a subclass) in MIDDLEWARE.
    var whiteNoiseMiddlewareIndex: Int? { middlewarePaths.firstIndex { entry($0, isSubclassOf: whiteNoiseMiddleware) } }

    var hasWhiteNoiseMiddleware: Bool { whiteNoiseMiddlewareIndex != nil }

    /// The staticfiles backend is one of WhiteNoise's storages (or a subclass).
    var usesWhiteNoiseStorage: Bool {
        storageClassNames("staticfiles").contains { $0 == compressedStorage || $0 == compressedManifestStorage }
    }

    var usesWhiteNoiseManifestStorage: Bool { storageClassNames("staticfiles").contains(compressedManifestStorage) }

    /// The setting that configured the staticfiles backend, for findings about it.
    var staticStorageSetting: String? {
        isExplicit("STORAGES") ? "STORAGES" : isExplicit("STATICFILES_STORAGE") ? "STATICFILES_STORAGE" : nil
    }

    /// A WhiteNoise setting as WhiteNoiseMiddleware reads it: its value if defined, else DEBUG
    /// (the default of WHITENOISE_AUTOREFRESH and WHITENOISE_USE_FINDERS).
    func whiteNoiseFlagDefaultingToDebug(_ name: String) -> Bool {
        (self[name] ?? self["DEBUG"])?.isTruthy ?? false
    }

    /// `urlparse(settings.STATIC_URL or "")`, unless STATIC_URL depends on an unset variable.
    var staticURLParts: PyURL.ParseResult? {
        guard let value = self["STATIC_URL"], !value.dependsOnUnsetEnvironment else { return nil }
        return try? PyURL.urlparse(value.string ?? "")
    }
}

/// Object-storage hosts (S3 and the common S3-compatible services, GCS, Azure Blob). CDN hosts such
/// as CloudFront's are not among them: a CDN can pull from WhiteNoise.
func isObjectStorageHost(_ host: String) -> Bool {
    let labels = host.split(separator: ".")
    if host.hasSuffix(".amazonaws.com") {
        return labels.dropLast(2).contains { $0 == "s3" || $0.hasPrefix("s3-") }
    }
    if host == "storage.googleapis.com" { return true }
    let suffixes = [".storage.googleapis.com", ".digitaloceanspaces.com", ".blob.core.windows.net",
                    ".r2.cloudflarestorage.com", ".r2.dev", ".backblazeb2.com", ".wasabisys.com", ".linodeobjects.com"]
    return suffixes.contains { host.hasSuffix($0) }
}

/// WN010/WN011: a development-only WhiteNoise switch turned on while DEBUG is off.
struct WhiteNoiseDevelopmentSwitch {
    var setting: String
    var message: String

    func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot[setting]?.isTruthy ?? false,
              !(snapshot["DEBUG"]?.isTruthy ?? false) else { return [] }
        return [Finding(message, setting: setting, hints: ["leave \(setting) unset: it follows DEBUG"])]
    }
}
