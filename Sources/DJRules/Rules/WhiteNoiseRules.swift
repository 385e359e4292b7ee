import PythonStdlib
import DJStaticFiles
import DJSettings

private let whiteNoiseMiddleware = "whitenoise.middleware.WhiteNoiseMiddleware"
private let securityMiddleware = "django.middleware.security.SecurityMiddleware"
private let compressedStorage = "whitenoise.storage.CompressedStaticFilesStorage"
private let compressedManifestStorage = "whitenoise.storage.CompressedManifestStaticFilesStorage"

/// The start of a settings file that serves static files with WhiteNoise, as its docs recommend.
private let middleware = """
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
    ]
    """

/// A project's own WhiteNoiseMiddleware subclass (as pretalx has).
private let siteMiddleware = "site_middleware.py"
private let siteMiddlewareSource = """
    from whitenoise.middleware import WhiteNoiseMiddleware


    class SiteWhiteNoiseMiddleware(WhiteNoiseMiddleware):
        pass
    """

private func storages(_ backend: String, options: String = "") -> String {
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

    /// The staticfiles backend hashes names into a manifest (Django's ManifestFilesMixin).
    var usesManifestStorage: Bool {
        storageClassNames("staticfiles").contains("django.contrib.staticfiles.storage.ManifestFilesMixin")
    }

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

/// The host of a netloc (`user@host:port`), lower-cased.
private func hostname(_ netloc: String) -> String {
    let afterUser = netloc.split(separator: "@", omittingEmptySubsequences: false).last.map(String.init) ?? netloc
    let host = afterUser.hasPrefix("[") ? afterUser : String(afterUser.prefix { $0 != ":" })
    return host.lowercased()
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

public struct WhiteNoiseMiddlewareOrderRule: Rule {
    /// Middleware that may stand between SecurityMiddleware and WhiteNoise, because static responses
    /// need what it does and it touches neither the database nor the session: django-cors-headers
    /// documents CorsMiddleware "before any middleware that can generate responses such as ...
    /// WhiteNoiseMiddleware" (fonts and modules fetched cross-origin need its headers).
    static let mayPrecedeWhiteNoise = ["corsheaders.middleware.CorsMiddleware"]

    public static let description = RuleDescription(
        code: "WN001", name: "whitenoise-middleware-position", severity: .warning,
        summary: "WhiteNoiseMiddleware is not directly after SecurityMiddleware (or first, without it).",
        rationale: """
            WhiteNoise answers static requests itself; every middleware above it runs first for each \
            file (sessions, database, redirects, double compression). Above SecurityMiddleware, static \
            responses miss HSTS and the HTTPS redirect. Nothing warns: WhiteNoise registers no checks.
            """,
        bad: [
            Example("""
                MIDDLEWARE = [
                    "django.middleware.security.SecurityMiddleware",
                    "django.contrib.sessions.middleware.SessionMiddleware",
                    "whitenoise.middleware.WhiteNoiseMiddleware",
                ]
                """),
            Example("""
                MIDDLEWARE = [
                    "whitenoise.middleware.WhiteNoiseMiddleware",
                    "django.middleware.security.SecurityMiddleware",
                ]
                """),
        ],
        good: [
            Example(middleware),
            Example("""
                MIDDLEWARE = [
                    "whitenoise.middleware.WhiteNoiseMiddleware",
                    "django.contrib.sessions.middleware.SessionMiddleware",
                ]
                """),
            // django-cors-headers' documented placement: above WhiteNoise, so static files get CORS headers.
            Example("""
                MIDDLEWARE = [
                    "django.middleware.security.SecurityMiddleware",
                    "corsheaders.middleware.CorsMiddleware",
                    "whitenoise.middleware.WhiteNoiseMiddleware",
                    "django.contrib.sessions.middleware.SessionMiddleware",
                ]
                """),
            // Middleware above SecurityMiddleware (django-prometheus' timer) is not WhiteNoise's concern.
            Example("""
                MIDDLEWARE = [
                    "django_prometheus.middleware.PrometheusBeforeMiddleware",
                    "django.middleware.security.SecurityMiddleware",
                    "whitenoise.middleware.WhiteNoiseMiddleware",
                    "django.contrib.sessions.middleware.SessionMiddleware",
                ]
                """),
            // A project's subclass is recognised by its bases.
            Example("""
                MIDDLEWARE = [
                    "django.middleware.security.SecurityMiddleware",
                    "site_middleware.SiteWhiteNoiseMiddleware",
                    "django.contrib.sessions.middleware.SessionMiddleware",
                ]
                """, files: [siteMiddleware: siteMiddlewareSource]),
        ])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        let paths = snapshot.middlewarePaths
        guard let index = snapshot.whiteNoiseMiddlewareIndex else { return [] }
        let security = paths.firstIndex { snapshot.entry($0, isSubclassOf: securityMiddleware) }
        // What runs between SecurityMiddleware (or the start) and WhiteNoise; middleware above
        // SecurityMiddleware (a metrics timer) runs first for every request anyway.
        let start = security.map { $0 < index ? $0 + 1 : 0 } ?? 0
        let above = paths[start..<index].enumerated().filter { _, path in
            !Self.mayPrecedeWhiteNoise.contains { snapshot.entry(path, isSubclassOf: $0) }
        }
        let securityBelow = security.map { $0 > index } ?? false
        let position: String
        if securityBelow {
            position = "it is MIDDLEWARE[\(index)], above SecurityMiddleware"
        } else if let misplaced = above.first {
            position = "it is MIDDLEWARE[\(index)], below \(misplaced.element.map(SettingValue.quote) ?? "a non-string entry")"
        } else {
            return []
        }
        return [Finding(
            "Place \(paths[index] ?? whiteNoiseMiddleware) directly after SecurityMiddleware and above all other middleware.",
            setting: "MIDDLEWARE", entry: paths[index], hints: [position])]
    }
}

public struct WhiteNoiseStorageWithoutMiddlewareRule: Rule {
    public static let description = RuleDescription(
        code: "WN002", name: "whitenoise-storage-without-middleware", severity: .warning,
        summary: "A WhiteNoise storage is the staticfiles backend but WhiteNoiseMiddleware is not in MIDDLEWARE.",
        rationale: """
            WhiteNoise's storages only write compressed (and hashed) copies into STATIC_ROOT; the \
            middleware serves them. Without it, and without a web server configured for STATIC_ROOT, \
            every static URL is a 404 in production.
            """,
        bad: [Example(storages(compressedManifestStorage) + "\nSTATIC_ROOT = \"/srv/static\"")],
        good: [Example(middleware + "\n" + storages(compressedManifestStorage) + "\nSTATIC_ROOT = \"/srv/static\""),
               Example("MIDDLEWARE = [\"site_middleware.SiteWhiteNoiseMiddleware\"]\n" + storages(compressedManifestStorage)
                       + "\nSTATIC_ROOT = \"/srv/static\"", files: [siteMiddleware: siteMiddlewareSource])])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.usesWhiteNoiseStorage, !snapshot.hasWhiteNoiseMiddleware
        else { return [] }
        return [Finding("WhiteNoise storage only prepares files; add WhiteNoiseMiddleware (or another server) to serve them.",
                        setting: snapshot.staticStorageSetting,
                        hints: ["add \"\(whiteNoiseMiddleware)\" to MIDDLEWARE directly after SecurityMiddleware"])]
    }
}

public struct WhiteNoiseNothingToServeRule: Rule {
    public static let description = RuleDescription(
        code: "WN003", name: "whitenoise-without-static-root", severity: .error,
        summary: "WhiteNoiseMiddleware has no directory to serve: no STATIC_ROOT, no finders, no WHITENOISE_ROOT.",
        rationale: """
            WhiteNoise indexes STATIC_ROOT at start-up (and the finders only when WHITENOISE_USE_FINDERS, \
            which defaults to DEBUG). With STATIC_ROOT unset it silently serves nothing: every static \
            URL falls through to Django and 404s. A storage OPTIONS location does not count: WhiteNoise \
            reads STATIC_ROOT itself.
            """,
        bad: [Example(middleware + "\nSTATIC_URL = \"/static/\"")],
        good: [
            Example(middleware + "\nSTATIC_URL = \"/static/\"\nSTATIC_ROOT = \"/srv/static\""),
            Example(middleware + "\nDEBUG = True\nSTATIC_URL = \"/static/\""),
        ])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.hasWhiteNoiseMiddleware,
              !(snapshot["STATIC_ROOT"]?.isTruthy ?? false),
              !snapshot.whiteNoiseFlagDefaultingToDebug("WHITENOISE_USE_FINDERS"),
              !(snapshot["WHITENOISE_ROOT"]?.isTruthy ?? false) else { return [] }
        let finders = snapshot.isExplicit("WHITENOISE_USE_FINDERS") ? "WHITENOISE_USE_FINDERS is off"
            : "WHITENOISE_USE_FINDERS follows DEBUG, which is off"
        var hints = [finders + ", so only STATIC_ROOT would be served"]
        if snapshot.storageOptions("staticfiles")?["location"]?.isTruthy ?? false {
            hints.append("STORAGES['staticfiles'] OPTIONS set a location, but WhiteNoise serves settings.STATIC_ROOT only")
        }
        return [Finding("WhiteNoise has no directory to serve (set STATIC_ROOT and run collectstatic).",
                        setting: snapshot.isExplicit("STATIC_ROOT") ? "STATIC_ROOT" : "MIDDLEWARE", hints: hints)]
    }
}

public struct WhiteNoiseWithRemoteStorageRule: Rule {
    public static let description = RuleDescription(
        code: "WN004", name: "whitenoise-with-remote-storage", severity: .warning,
        summary: "WhiteNoiseMiddleware is installed while the staticfiles storage is remote (S3, GCS, Azure, …).",
        rationale: """
            collectstatic uploads to the remote storage and {% static %} points there; WhiteNoise only \
            serves the local STATIC_ROOT, which then holds nothing current. It costs a start-up scan \
            and can serve stale files that happen to be on disk.
            """,
        bad: [Example(middleware + "\n" + storages("storages.backends.s3.S3StaticStorage",
                                                     options: #"{"bucket_name": "example-static"}"#))],
        good: [Example(middleware + "\n" + storages(compressedManifestStorage) + "\nSTATIC_ROOT = \"/srv/static\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.hasWhiteNoiseMiddleware,
              snapshot.storageFamily("staticfiles").isRemote else { return [] }
        return [Finding("WhiteNoise only serves files from STATIC_ROOT; with a remote staticfiles storage it serves nothing useful.",
                        setting: "MIDDLEWARE",
                        hints: ["STORAGES['staticfiles'] is \(snapshot.storageBackend("staticfiles") ?? "?"); "
                                + "remove WhiteNoiseMiddleware, or collect locally with a WhiteNoise storage"])]
    }
}

public struct WhiteNoiseObjectStorageURLRule: Rule {
    public static let description = RuleDescription(
        code: "WN005", name: "whitenoise-storage-with-object-storage-url", severity: .warning,
        summary: "A WhiteNoise storage is used while STATIC_URL points at an object-storage host.",
        rationale: """
            WhiteNoise's storages write to STATIC_ROOT only; they never upload. With STATIC_URL on S3, \
            Spaces, GCS or Azure Blob, every page links to files that are not in the bucket. (A CDN \
            that pulls from the site, e.g. CloudFront in front of WhiteNoise, is fine.)
            """,
        bad: [Example(storages(compressedManifestStorage)
                      + "\nSTATIC_ROOT = \"/srv/static\"\nSTATIC_URL = \"https://example-static.s3.amazonaws.com/static/\"")],
        good: [Example(storages(compressedManifestStorage)
                       + "\nSTATIC_ROOT = \"/srv/static\"\nSTATIC_URL = \"https://d111111abcdef8.cloudfront.net/static/\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.usesWhiteNoiseStorage, let url = snapshot.staticURLParts,
              isObjectStorageHost(hostname(url.netloc)) else { return [] }
        return [Finding("WhiteNoise storages do not upload; STATIC_URL points at object storage that will not contain the files.",
                        setting: "STATIC_URL",
                        hints: ["use a django-storages backend to upload, or point STATIC_URL at the site (or a CDN pulling from it)"])]
    }
}

public struct WhiteNoiseRootPrefixRule: Rule {
    public static let description = RuleDescription(
        code: "WN006", name: "whitenoise-serves-at-site-root", severity: .warning,
        summary: "WhiteNoiseMiddleware derives the prefix '/' from an absolute STATIC_URL with an empty path.",
        rationale: """
            WhiteNoise serves STATIC_ROOT under the path of STATIC_URL. For \
            "https://static.example.com/" that path is empty, so every collected file is served at the \
            site root of the application too, where it can shadow real URLs. Set \
            WHITENOISE_STATIC_PREFIX or give STATIC_URL a path.
            """,
        bad: [Example(middleware + "\nSTATIC_ROOT = \"/srv/static\"\nSTATIC_URL = \"https://static.example.com/\"")],
        good: [
            Example(middleware + "\nSTATIC_ROOT = \"/srv/static\"\nSTATIC_URL = \"https://static.example.com/static/\""),
            Example(middleware + "\nSTATIC_ROOT = \"/srv/static\"\nSTATIC_URL = \"https://static.example.com/\"\n"
                    + "WHITENOISE_STATIC_PREFIX = \"/static/\""),
        ])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.hasWhiteNoiseMiddleware, snapshot["WHITENOISE_STATIC_PREFIX"] == nil,
              let url = snapshot.staticURLParts, !url.netloc.isEmpty else { return [] }
        // WhiteNoiseMiddleware: the URL path, minus FORCE_SCRIPT_NAME, with leading and trailing slashes.
        var path = Substring(url.path)
        if let script = snapshot["FORCE_SCRIPT_NAME"]?.string, !script.isEmpty {
            var name = Substring(script)
            while name.hasSuffix("/") { name = name.dropLast() }
            if path.hasPrefix(name) { path = path.dropFirst(name.count) }
        }
        guard path.allSatisfy({ $0 == "/" }) else { return [] }
        return [Finding("WhiteNoise will serve static files at the site root \"/\".", setting: "STATIC_URL",
                        hints: ["set WHITENOISE_STATIC_PREFIX = \"/static/\" (the path your CDN requests from the site)"])]
    }
}

public struct WhiteNoiseRemovedPathRule: Rule {
    public static let description = RuleDescription(
        code: "WN007", name: "whitenoise-removed-django-module", severity: .error,
        summary: "A storage backend or middleware path under whitenoise.django, removed in WhiteNoise 4.0.",
        rationale: """
            whitenoise.django (GzipManifestStaticFilesStorage, DjangoWhiteNoise) no longer exists: the \
            import fails when collectstatic or the first request needs it.
            """,
        bad: [Example(storages("whitenoise.django.GzipManifestStaticFilesStorage") + "\nSTATIC_ROOT = \"/srv/static\"")],
        good: [Example(storages(compressedManifestStorage) + "\nSTATIC_ROOT = \"/srv/static\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        var used: [(setting: String, path: String)] = []
        for entry in snapshot.raw["STORAGES"]?.entries ?? [] {
            if let backend = entry.value["BACKEND"]?.string { used.append(("STORAGES", backend)) }
        }
        if let legacy = snapshot.raw["STATICFILES_STORAGE"]?.string { used.append(("STATICFILES_STORAGE", legacy)) }
        used += snapshot.middlewarePaths.compactMap { $0 }.map { ("MIDDLEWARE", $0) }
        return used.filter { $0.path.hasPrefix("whitenoise.django.") }.map {
            Finding("Removed in WhiteNoise 4.0; use whitenoise.storage.CompressedManifestStaticFilesStorage and WhiteNoiseMiddleware.",
                    setting: $0.setting, hints: ["\($0.setting) names \($0.path)"])
        }
    }
}

public struct WhiteNoiseGzipExcludeRule: Rule {
    public static let description = RuleDescription(
        code: "WN008", name: "whitenoise-gzip-exclude-extensions", severity: .warning,
        summary: "WHITENOISE_GZIP_EXCLUDE_EXTENSIONS is defined; WhiteNoise 3.0 renamed it.",
        rationale: "The old name is not read: the extensions it lists are compressed anyway.",
        bad: [Example(#"WHITENOISE_GZIP_EXCLUDE_EXTENSIONS = ["jpg", "png"]"#)],
        good: [Example(#"WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ["jpg", "png"]"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.isExplicit("WHITENOISE_GZIP_EXCLUDE_EXTENSIONS") else { return [] }
        return [Finding("Renamed to WHITENOISE_SKIP_COMPRESS_EXTENSIONS.", setting: "WHITENOISE_GZIP_EXCLUDE_EXTENSIONS")]
    }
}

public struct WhiteNoiseDottedExtensionRule: Rule {
    public static let description = RuleDescription(
        code: "WN009", name: "whitenoise-skip-extension-with-dot", severity: .warning,
        summary: "An entry of WHITENOISE_SKIP_COMPRESS_EXTENSIONS starts with '.'.",
        rationale: """
            WhiteNoise matches a file name against "\\.(<entries>)$", so ".jpg" only matches names \
            ending in "..jpg": the images it was meant to skip are compressed on every collectstatic \
            (and the list replaces WhiteNoise's defaults).
            """,
        bad: [Example(#"WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [".jpg", ".png", "woff2"]"#)],
        good: [Example(#"WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ["jpg", "png", "woff2"]"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let value = snapshot["WHITENOISE_SKIP_COMPRESS_EXTENSIONS"] else { return [] }
        let entries: [SettingValue]
        switch value {
        case .list(let items), .tuple(let items), .set(let items): entries = items
        default: return []
        }
        let dotted = entries.compactMap(\.string).filter { $0.hasPrefix(".") }
        guard let first = dotted.first else { return [] }
        return [Finding("Extensions are matched without the dot; \"\(first)\" never matches.",
                        setting: "WHITENOISE_SKIP_COMPRESS_EXTENSIONS",
                        hints: ["write " + dotted.map { SettingValue.quote(String($0.drop { $0 == "." })) }.joined(separator: ", ")])]
    }
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

public struct WhiteNoiseAutorefreshRule: Rule {
    public static let description = RuleDescription(
        code: "WN010", name: "whitenoise-autorefresh-in-production", severity: .warning,
        summary: "WHITENOISE_AUTOREFRESH is on while DEBUG is off.",
        rationale: """
            Autorefresh searches the filesystem on every request instead of using the index built at \
            start-up: slow, and the code path WhiteNoise supports for development only (6.12 fixed a \
            file-access vulnerability in it).
            """,
        bad: [Example("DEBUG = False\nWHITENOISE_AUTOREFRESH = True")],
        good: [Example("DEBUG = True\nWHITENOISE_AUTOREFRESH = True"), Example("DEBUG = False\nWHITENOISE_AUTOREFRESH = DEBUG")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        WhiteNoiseDevelopmentSwitch(setting: "WHITENOISE_AUTOREFRESH",
                                    message: "Autorefresh is for development only (performance and security).").check(context)
    }
}

public struct WhiteNoiseUseFindersRule: Rule {
    public static let description = RuleDescription(
        code: "WN011", name: "whitenoise-finders-in-production", severity: .info,
        summary: "WHITENOISE_USE_FINDERS is on while DEBUG is off.",
        rationale: """
            Files found in the apps and STATICFILES_DIRS replace the collected ones under their \
            original names: no compressed variants, and changes that never went through collectstatic \
            go live.
            """,
        bad: [Example("DEBUG = False\nWHITENOISE_USE_FINDERS = True")],
        good: [Example("DEBUG = False\nWHITENOISE_USE_FINDERS = DEBUG")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        WhiteNoiseDevelopmentSwitch(setting: "WHITENOISE_USE_FINDERS",
                                    message: "Serving via finders skips compression and hashed caching.").check(context)
    }
}

public struct WhiteNoiseManifestNotStrictRule: Rule {
    public static let description = RuleDescription(
        code: "WN012", name: "whitenoise-manifest-not-strict", severity: .info,
        summary: "WHITENOISE_MANIFEST_STRICT is False with CompressedManifestStaticFilesStorage.",
        rationale: """
            A name missing from staticfiles.json (a typo, a stale manifest) no longer fails loudly: \
            the page links to an unhashed name, which is cached only briefly or is a 404.
            """,
        bad: [Example(storages(compressedManifestStorage) + "\nSTATIC_ROOT = \"/srv/static\"\nWHITENOISE_MANIFEST_STRICT = False")],
        good: [Example(storages(compressedManifestStorage) + "\nSTATIC_ROOT = \"/srv/static\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        // CompressedManifestStaticFilesStorage applies any value other than None.
        guard let snapshot = context.snapshot, snapshot.usesWhiteNoiseManifestStorage,
              let strict = snapshot["WHITENOISE_MANIFEST_STRICT"], !strict.isNone, !strict.isTruthy else { return [] }
        return [Finding("Missing manifest entries will be served unhashed instead of raising.",
                        setting: "WHITENOISE_MANIFEST_STRICT")]
    }
}

public struct WhiteNoiseManifestSettingIneffectiveRule: Rule {
    public static let description = RuleDescription(
        code: "WN013", name: "whitenoise-manifest-setting-without-effect", severity: .info,
        summary: "WHITENOISE_KEEP_ONLY_HASHED_FILES or WHITENOISE_MANIFEST_STRICT is set, but the storage is not CompressedManifestStaticFilesStorage.",
        rationale: """
            Only CompressedManifestStaticFilesStorage reads these settings; with any other storage \
            they suggest a behaviour the project does not have.
            """,
        bad: [Example(storages("whitenoise.storage.CompressedStaticFilesStorage")
                      + "\nSTATIC_ROOT = \"/srv/static\"\nWHITENOISE_KEEP_ONLY_HASHED_FILES = True")],
        good: [Example(storages(compressedManifestStorage)
                       + "\nSTATIC_ROOT = \"/srv/static\"\nWHITENOISE_KEEP_ONLY_HASHED_FILES = True")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, !snapshot.usesWhiteNoiseManifestStorage else { return [] }
        let names: [String] = ["WHITENOISE_KEEP_ONLY_HASHED_FILES", "WHITENOISE_MANIFEST_STRICT"]
        return names.filter(snapshot.isExplicit).map { (name: String) in
            Finding("Setting has no effect with this storage.", setting: name,
                    hints: ["\(name) is read only by \(compressedManifestStorage); STORAGES['staticfiles'] is "
                            + (snapshot.storageBackend("staticfiles") ?? "not configured")])
        }
    }
}

public struct RunserverNostaticOrderRule: Rule {
    public static let description = RuleDescription(
        code: "WN014", name: "whitenoise-runserver-nostatic-order", severity: .warning,
        summary: "whitenoise.runserver_nostatic comes after django.contrib.staticfiles in INSTALLED_APPS.",
        rationale: """
            Django takes each management command from the first app that provides it: listed after \
            staticfiles, its runserver wins and keeps serving static files itself, so development \
            does not exercise WhiteNoise.
            """,
        bad: [Example(#"INSTALLED_APPS = ["django.contrib.staticfiles", "whitenoise.runserver_nostatic"]"#)],
        good: [Example(#"INSTALLED_APPS = ["whitenoise.runserver_nostatic", "django.contrib.staticfiles"]"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let order = context.snapshot?.listedAfterStaticfiles("whitenoise.runserver_nostatic") else { return [] }
        return [Finding("Must come before django.contrib.staticfiles to take effect.", setting: "INSTALLED_APPS",
                        hints: ["whitenoise.runserver_nostatic is INSTALLED_APPS[\(order.app)], django.contrib.staticfiles INSTALLED_APPS[\(order.staticfiles)]"])]
    }
}

public struct WhiteNoiseCORSRule: Rule {
    public static let description = RuleDescription(
        code: "WN015", name: "whitenoise-cdn-without-cors", severity: .info,
        summary: "WHITENOISE_ALLOW_ALL_ORIGINS is False while STATIC_URL is absolute (a CDN).",
        rationale: """
            Browsers load web fonts (and module scripts) from another origin only with an \
            Access-Control-Allow-Origin header; WhiteNoise adds "*" unless this is turned off, so \
            fonts served through the CDN break.
            """,
        bad: [Example("STATIC_URL = \"https://cdn.example.com/static/\"\nWHITENOISE_ALLOW_ALL_ORIGINS = False")],
        good: [Example("STATIC_URL = \"/static/\"\nWHITENOISE_ALLOW_ALL_ORIGINS = False"),
               Example("STATIC_URL = \"https://cdn.example.com/static/\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let allow = snapshot["WHITENOISE_ALLOW_ALL_ORIGINS"], !allow.isTruthy,
              let url = snapshot.staticURLParts, !url.netloc.isEmpty else { return [] }
        return [Finding("Web fonts from a CDN origin need Access-Control-Allow-Origin.", setting: "WHITENOISE_ALLOW_ALL_ORIGINS",
                        hints: ["static files are served from \(url.netloc); keep the default WHITENOISE_ALLOW_ALL_ORIGINS = True "
                                + "or add the header with WHITENOISE_ADD_HEADERS_FUNCTION"])]
    }
}

public struct WhiteNoiseLongMaxAgeRule: Rule {
    public static let description = RuleDescription(
        code: "WN016", name: "whitenoise-long-max-age-unhashed", severity: .info,
        summary: "WHITENOISE_MAX_AGE is above an hour with a WhiteNoise storage that does not hash names.",
        rationale: """
            Without hashed names a changed file keeps its URL, so browsers and CDNs serve the old \
            copy for up to WHITENOISE_MAX_AGE after a deploy. CompressedManifestStaticFilesStorage \
            gives changed files new names (cached forever) and keeps max-age for the rest.
            """,
        bad: [Example(storages(compressedStorage) + "\nSTATIC_ROOT = \"/srv/static\"\nWHITENOISE_MAX_AGE = 86400")],
        good: [Example(storages(compressedManifestStorage) + "\nSTATIC_ROOT = \"/srv/static\"\nWHITENOISE_MAX_AGE = 86400"),
               Example(storages(compressedStorage) + "\nSTATIC_ROOT = \"/srv/static\"\nWHITENOISE_MAX_AGE = 600")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.usesWhiteNoiseStorage, !snapshot.usesManifestStorage,
              let maxAge = snapshot["WHITENOISE_MAX_AGE"] else { return [] }
        let seconds: Double
        switch maxAge {
        case .int(let value): seconds = Double(value)
        case .float(let value): seconds = value
        default: return []
        }
        guard seconds > 3600 else { return [] }
        return [Finding("Unhashed files cached long; consider CompressedManifestStaticFilesStorage.", setting: "WHITENOISE_MAX_AGE",
                        hints: ["WHITENOISE_MAX_AGE = \(maxAge.pythonRepr) s: a changed file may stay stale that long after a deploy"])]
    }
}
