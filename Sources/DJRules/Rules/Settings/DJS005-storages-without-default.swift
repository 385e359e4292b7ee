import DJSettings

public struct StoragesWithoutDefaultRule: Rule {
    public static let description = RuleDescription(
        code: "DJS005", name: "storages-without-default", severity: .warning,
        summary: "STORAGES has no 'default' alias.",
        rationale: """
            Defining STORAGES replaces the whole dict: without 'default', the first FileField \
            upload (or default_storage use) raises InvalidStorageError at run time.
            """,
        mirrors: "InvalidStorageError",
        bad: [Example(#"↓STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}"#)],
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
