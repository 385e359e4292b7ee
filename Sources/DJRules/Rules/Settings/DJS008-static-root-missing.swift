import DJSettings

public struct StaticRootMissingRule: Rule {
    public static let description = RuleDescription(
        code: "DJS008", name: "static-root-missing", severity: .error,
        summary: "The staticfiles storage writes to the local filesystem but STATIC_ROOT is unset or empty.",
        rationale: """
            A filesystem staticfiles storage without a location cannot collect: collectstatic fails \
            with ImproperlyConfigured after it has started (and after any prompt).
            """,
        mirrors: "ImproperlyConfigured",
        bad: [Example("↓" + staticfilesApps + "\nSTATIC_URL = \"/static/\"\n")],
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
