import DJSettings

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
        bad: [Example(#"↓DEFAULT_FILE_STORAGE = "storages.backends.s3.S3Storage""#, djangoVersion: "5.2")],
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
