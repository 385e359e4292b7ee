import DJSettings

public struct StoragesWithoutStaticfilesRule: Rule {
    public static let description = RuleDescription(
        code: "DJS004", name: "storages-without-staticfiles", severity: .error,
        summary: "STORAGES has no 'staticfiles' alias while django.contrib.staticfiles is installed.",
        rationale: """
            A user-defined STORAGES replaces Django's default wholesale; without a 'staticfiles' \
            alias collectstatic and {% static %} fail with InvalidStorageError.
            """,
        mirrors: "staticfiles.E005",
        bad: [Example(staticfilesApps + "\n" + #"↓STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}"#)],
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
