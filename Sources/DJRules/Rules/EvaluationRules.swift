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
                CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN", None)
                """),
            Example("""
                STATIC_URL = "/static/"
                raise RuntimeError("refusing to start")
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

/// EVAL002: a settings file does not parse.
public struct SettingsSyntaxErrorRule: Rule {
    public static let description = RuleDescription(
        code: "EVAL002", name: "settings-syntax-error", severity: .error,
        summary: "A settings file (or a project module it imports) has a syntax error.",
        rationale: "Python cannot compile the file, so Django cannot start.",
        bad: [Example("STATIC_URL = '/static/\nDEBUG = True\n")],
        good: [Example("STATIC_URL = '/static/'\nDEBUG = True\n")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let failure = context.failure, failure.kind == .syntax else { return [] }
        return [Finding(failure.message, at: failure.location)]
    }
}

/// EVAL003: environment variables read but not set.
public struct UnsetEnvironmentRule: Rule {
    public static let description = RuleDescription(
        code: "EVAL003", name: "unset-environment-variables", severity: .info,
        summary: "The settings read environment variables that are not set; evaluation went on with placeholders.",
        rationale: """
            CI rarely has production secrets, so djstatic stands in a placeholder for each variable \
            that would otherwise stop the import (os.environ[...], django-environ env(...), \
            python-decouple config(...)) and checks the rest. Values derived from a placeholder are \
            not judged by other rules. Use --env/--env-file to supply real values or --strict-env \
            to make a missing variable an error.
            """,
        bad: [Example("""
            import os
            AWS_STORAGE_BUCKET_NAME = os.environ["DJSTATIC_EXAMPLE_UNSET_BUCKET"]
            """)],
        good: [Example("""
            import os
            AWS_STORAGE_BUCKET_NAME = os.environ["DJSTATIC_EXAMPLE_BUCKET"]
            """, environment: ["DJSTATIC_EXAMPLE_BUCKET": "assets"])])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, !snapshot.placeholderEnvironment.isEmpty else { return [] }
        let names = snapshot.placeholderEnvironment
        var hints = ["set them with --env NAME=VALUE or --env-file FILE, or fail on them with --strict-env"]
        let defaulted = snapshot.defaultedEnvironment
        if !defaulted.isEmpty {
            let shown = defaulted.prefix(10).joined(separator: ", ")
            hints.append("also unset, their defaults were used: " + shown
                         + (defaulted.count > 10 ? " and \(defaulted.count - 10) more" : ""))
        }
        let noun = names.count == 1 ? "variable" : "variables"
        return [Finding("settings read \(names.count) unset environment \(noun), evaluated with placeholders: "
                        + names.joined(separator: ", "),
                        at: SourceLocation(file: snapshot.settingsFile, line: 1, column: 1), hints: hints)]
    }
}

/// EVAL004: evaluation exceeded the time limit.
public struct EvaluationTimeoutRule: Rule {
    public static let description = RuleDescription(
        code: "EVAL004", name: "settings-evaluation-timeout", severity: .error,
        summary: "Evaluating the settings exceeded the time limit (--timeout, default 30 s).",
        rationale: """
            Settings that block (a network call, a subprocess waiting for input, an endless loop) \
            delay every process start. The location is where the code was running when stopped.
            """,
        bad: [Example("""
            STATIC_URL = "/static/"
            while True:
                pass
            """)],
        good: [Example("STATIC_URL = \"/static/\"\n")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let failure = context.failure, failure.kind == .timeout else { return [] }
        return [Finding("evaluating the settings exceeded the time limit", at: failure.location)]
    }
}
