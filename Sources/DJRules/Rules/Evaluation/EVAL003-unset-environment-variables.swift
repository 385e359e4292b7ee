import DJSettings

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
            ↓import os
            AWS_STORAGE_BUCKET_NAME = os.environ["DJSTATIC_EXAMPLE_UNSET_BUCKET"]
            """)],
        good: [Example("""
            import os
            AWS_STORAGE_BUCKET_NAME = os.environ["DJSTATIC_EXAMPLE_BUCKET"]
            """, environment: ["DJSTATIC_EXAMPLE_BUCKET": "assets"])])

    public init() {}

    static func message(unset names: [String]) -> String {
        "settings read \(names.count) unset environment \(names.count == 1 ? "variable" : "variables"), "
            + "evaluated with placeholders: " + names.joined(separator: ", ")
    }

    /// Names the first ten variables that were unset but had a default.
    static func defaultsHint(_ defaulted: [String]) -> String {
        "also unset, their defaults were used: " + defaulted.prefix(10).joined(separator: ", ")
            + (defaulted.count > 10 ? " and \(defaulted.count - 10) more" : "")
    }

    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, !snapshot.placeholderEnvironment.isEmpty else { return [] }
        var hints = ["set them with --env NAME=VALUE or --env-file FILE, or fail on them with --strict-env"]
        let defaulted = snapshot.defaultedEnvironment
        if !defaulted.isEmpty { hints.append(Self.defaultsHint(defaulted)) }
        return [Finding(Self.message(unset: snapshot.placeholderEnvironment),
                        at: SourceLocation(file: snapshot.settingsFile, line: 1, column: 1), hints: hints)]
    }
}
