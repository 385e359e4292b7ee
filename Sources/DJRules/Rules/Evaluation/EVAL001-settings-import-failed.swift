import DJSettings

/// EVAL001: importing the settings raised.
public struct SettingsImportFailedRule: Rule {
    public static let description = RuleDescription(
        code: "EVAL001", name: "settings-import-failed", severity: .error,
        summary: "Importing the settings module raised an exception.",
        rationale: """
            Every manage.py command, every worker and every web process imports the settings first; \
            an exception there means nothing starts. The location is the innermost frame inside the \
            project's own files, so a NameError or KeyError points at the line that caused it.
            """,
        bad: [
            Example("""
                from os import environ
                CUSTOM_DOMAIN = ↓os.environ.get("AWS_S3_CUSTOM_DOMAIN", None)
                """),
            Example("""
                STATIC_URL = "/static/"
                ↓raise RuntimeError("refusing to start")
                """),
        ],
        good: [
            Example("""
                import os
                CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN", None)
                """),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let failure = context.failure, failure.kind == .exception || failure.kind == .interrupted else { return [] }
        return [Finding(failure.message, at: failure.location)]
    }
}
