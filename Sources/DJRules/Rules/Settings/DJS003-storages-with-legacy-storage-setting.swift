import DJSettings

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
            ↓STATICFILES_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
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
