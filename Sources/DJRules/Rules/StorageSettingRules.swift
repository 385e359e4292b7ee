import DJSettings

private let staticfilesApps = #"INSTALLED_APPS = ["django.contrib.staticfiles"]"#

/// DJS001/DJS002: a legacy storage setting that Django ≥ 5.1 ignores.
struct LegacyStorageSetting {
    var setting: String
    var alias: String

    func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, context.djangoVersion >= DjangoVersion(5, 1),
              let legacy = snapshot.raw[setting] else { return [] }
        let backend = snapshot.storageBackend(alias)
        let consequence = backend.map { SettingValue.string($0) } == legacy
            ? "it names the backend STORAGES['\(alias)'] already uses, so it only misleads: remove it"
            : "STORAGES['\(alias)'] is used instead, which is \(backend.map { "'\($0)'" } ?? "no backend"), "
                + "not \(legacy.pythonRepr)"
        return [Finding(
            "\(setting) is ignored since Django 5.1 (target \(context.djangoVersion)): " + consequence,
            setting: setting,
            hints: ["move it into STORAGES = {\"\(alias)\": {\"BACKEND\": \(legacy.pythonRepr)}, ...}; "
                    + "`djstatic migrate` rewrites the settings file so, proven equivalent"])]
    }
}

public struct LegacyStaticfilesStorageRule: Rule {
    public static let description = RuleDescription(
        code: "DJS001", name: "staticfiles-storage-setting-ignored", severity: .error,
        summary: "STATICFILES_STORAGE is defined but Django 5.1+ ignores it.",
        rationale: """
            Django 5.1 removed STATICFILES_STORAGE without a warning or error: a project that still \
            sets it to ManifestStaticFilesStorage or an S3 backend silently collects with the plain \
            default StaticFilesStorage, losing hashed names or remote upload.
            """,
        versionAware: true,
        bad: [Example(#"STATICFILES_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage""#,
                      djangoVersion: "5.1")],
        good: [
            Example(#"""
                STORAGES = {
                    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
                }
                """#, djangoVersion: "5.1"),
            Example(#"STATICFILES_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage""#,
                    djangoVersion: "5.0"),
        ])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        LegacyStorageSetting(setting: "STATICFILES_STORAGE", alias: "staticfiles").check(context)
    }
}

public struct LegacyDefaultFileStorageRule: Rule {
    public static let description = RuleDescription(
        code: "DJS002", name: "default-file-storage-setting-ignored", severity: .error,
        summary: "DEFAULT_FILE_STORAGE is defined but Django 5.1+ ignores it.",
        rationale: """
            Django 5.1 removed DEFAULT_FILE_STORAGE silently: uploads go to the local \
            FileSystemStorage instead of the configured backend (often S3), and are lost with the \
            container.
            """,
        versionAware: true,
        bad: [Example(#"DEFAULT_FILE_STORAGE = "storages.backends.s3.S3Storage""#, djangoVersion: "5.2")],
        good: [Example(#"""
            STORAGES = {
                "default": {"BACKEND": "storages.backends.s3.S3Storage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
            """#, djangoVersion: "5.2")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        LegacyStorageSetting(setting: "DEFAULT_FILE_STORAGE", alias: "default").check(context)
    }
}

public struct StoragesMutuallyExclusiveRule: Rule {
    public static let description = RuleDescription(
        code: "DJS003", name: "storages-with-legacy-storage-setting", severity: .error,
        summary: "Django 4.2–5.0: STORAGES together with STATICFILES_STORAGE or DEFAULT_FILE_STORAGE.",
        rationale: """
            Django 4.2 and 5.0 raise ImproperlyConfigured when the settings load ("STATICFILES_STORAGE/\
            STORAGES are mutually exclusive."), so no command, worker or web process starts.
            """,
        mirrors: "ImproperlyConfigured",
        versionAware: true,
        bad: [Example(#"""
            STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
            STATICFILES_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            """#, djangoVersion: "4.2")],
        good: [Example(#"""
            STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
            """#, djangoVersion: "4.2")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, context.djangoVersion >= DjangoVersion(4, 2),
              context.djangoVersion < DjangoVersion(5, 1), snapshot.isExplicit("STORAGES") else { return [] }
        return ["DEFAULT_FILE_STORAGE", "STATICFILES_STORAGE"].filter(snapshot.isExplicit).map { (name: String) in
            Finding("\(name)/STORAGES are mutually exclusive. (Django \(context.djangoVersion) raises ImproperlyConfigured at start-up)",
                    setting: name)
        }
    }
}

public struct StoragesWithoutStaticfilesRule: Rule {
    public static let description = RuleDescription(
        code: "DJS004", name: "storages-without-staticfiles", severity: .error,
        summary: "STORAGES has no 'staticfiles' alias while django.contrib.staticfiles is installed.",
        rationale: """
            A user-defined STORAGES replaces Django's default wholesale; without a 'staticfiles' \
            alias collectstatic and {% static %} fail with InvalidStorageError.
            """,
        mirrors: "staticfiles.E005",
        bad: [Example(staticfilesApps + "\n" + #"STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}"#)],
        good: [Example(staticfilesApps + "\n" + #"""
            STORAGES = {
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
            """#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.staticfilesInstalled,
              let storages = snapshot["STORAGES"], storages.entries != nil, storages["staticfiles"] == nil else { return [] }
        return [Finding("The STORAGES setting must define a 'staticfiles' storage. (staticfiles.E005)", setting: "STORAGES")]
    }
}

public struct StoragesWithoutDefaultRule: Rule {
    public static let description = RuleDescription(
        code: "DJS005", name: "storages-without-default", severity: .warning,
        summary: "STORAGES has no 'default' alias.",
        rationale: """
            Defining STORAGES replaces the whole dict: without 'default', the first FileField \
            upload (or default_storage use) raises InvalidStorageError at run time.
            """,
        mirrors: "InvalidStorageError",
        bad: [Example(#"STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}"#)],
        good: [Example(#"""
            STORAGES = {
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
            """#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let storages = snapshot["STORAGES"], storages.entries != nil,
              storages["default"] == nil else { return [] }
        return [Finding("STORAGES defines no 'default' storage: uploads and default_storage will raise InvalidStorageError",
                        setting: "STORAGES")]
    }
}

public struct StaticRootMissingRule: Rule {
    public static let description = RuleDescription(
        code: "DJS008", name: "static-root-missing", severity: .error,
        summary: "The staticfiles storage writes to the local filesystem but STATIC_ROOT is unset or empty.",
        rationale: """
            A filesystem staticfiles storage without a location cannot collect: collectstatic fails \
            with ImproperlyConfigured after it has started (and after any prompt).
            """,
        mirrors: "ImproperlyConfigured",
        bad: [Example(staticfilesApps + "\nSTATIC_URL = \"/static/\"\n")],
        good: [
            Example(staticfilesApps + "\nSTATIC_URL = \"/static/\"\nSTATIC_ROOT = \"/srv/static\"\n"),
            Example(staticfilesApps + "\n" + #"""
                STATIC_URL = "/static/"
                STORAGES = {
                    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
                                    "OPTIONS": {"location": "/srv/static"}},
                }
                """#),
        ])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.staticfilesInstalled,
              snapshot.storageIsLocal("staticfiles"),
              !(snapshot.storageOptions("staticfiles")?["location"]?.isTruthy ?? false),
              !(snapshot["STATIC_ROOT"]?.isTruthy ?? false) else { return [] }
        return [Finding("You're using the staticfiles app without having set the STATIC_ROOT setting to a filesystem path.",
                        setting: snapshot.isExplicit("STATIC_ROOT") ? "STATIC_ROOT" : nil,
                        hints: ["set STATIC_ROOT to the absolute directory your web server serves /static/ from"])]
    }
}

public struct StorageBackendImportRule: Rule {
    public static let description = RuleDescription(
        code: "DJS022", name: "storage-backend-unimportable", severity: .error,
        summary: "A STORAGES backend cannot be imported (or, for a project's own local storage, cannot be created).",
        rationale: """
            Django imports the backend on first use: a typo or a missing package (e.g. django-storages \
            without boto3) fails collectstatic and every upload with InvalidStorageError.
            """,
        mirrors: "InvalidStorageError",
        bad: [
            Example(#"""
                STORAGES = {
                    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFileStorage"},
                }
                """#),
            Example(#"""
                STATIC_URL = "/static/"
                STATIC_ROOT = "/srv/static"
                STORAGES = {
                    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    "staticfiles": {"BACKEND": "mystorage.BrokenStorage"},
                }
                """#, files: ["mystorage.py": """
                    from django.contrib.staticfiles.storage import ManifestStaticFilesStorage

                    class BrokenStorage(ManifestStaticFilesStorage):
                        def __init__(self, *args, **kwargs):
                            subdirectory = self.location  # read before the storage is initialised
                            super().__init__(*args, **kwargs)
                    """]),
        ],
        good: [Example(#"""
            STORAGES = {
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
            }
            """#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        var findings: [Finding] = []
        for alias in snapshot.storageAliases {
            if case .some(.some(let problem)) = snapshot.storageProblems[alias] {
                findings.append(Finding("STORAGES['\(alias)']: \(problem)", setting: "STORAGES", entry: alias))
            } else if let failure = snapshot.storageFailures[alias] {
                findings.append(Finding(
                    "STORAGES['\(alias)'] backend \(snapshot.storageBackend(alias) ?? "?") raised while being created: \(failure.message)",
                    at: failure.location, hints: ["collectstatic creates this storage first; it fails the same way"]))
            }
        }
        return findings
    }
}
