import DJSettings

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
        bad: [Example(#"↓STATICFILES_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage""#,
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
