import DJSettings

/// SEC001: storage/cloud credentials written as literals.
public struct LiteralCredentialRule: Rule {
    public static let description = RuleDescription(
        code: "SEC001", name: "hardcoded-storage-credential", severity: .error,
        summary: "A storage or cloud credential is written as a literal in the settings source.",
        rationale: """
            Settings files are committed, copied into images and shown in tracebacks. A key in the \
            source (or as the default of an environment read) leaks with them and cannot be rotated \
            per environment. Django's own SECRET_KEY is out of scope (check --deploy covers it). The \
            value is never printed, only a redacted form.
            """,
        bad: [
            Example(#"AWS_SECRET_ACCESS_KEY = ↓"wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY""#),
            Example(#"""
                STORAGES = {
                    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    "staticfiles": {
                        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
                        "OPTIONS": {"secret_key": ↓"wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"},
                    },
                }
                """#),
            Example(#"""
                import os
                AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY", ↓"wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY")
                """#),
        ],
        good: [
            Example(#"""
                import os
                AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY")
                SECRET_KEY = "django-insecure-dev-only"
                """#),
        ])

    public init() {}

    /// What the finding says: where the literal is written, and its redacted form (never the value).
    static func message(_ literal: CredentialLiteral) -> String {
        let what: String
        switch literal.context {
        case .assignment: what = "\(literal.name) is assigned a literal credential"
        case .option: what = "storage option '\(literal.name)' is given a literal credential"
        case .default: what = "\(literal.name) falls back to a literal credential when the variable is unset"
        case .keyID: what = "an AWS access key id is written in the source"
        }
        return "\(what) (\(literal.redacted))"
    }

    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        return snapshot.literalCredentials.map { literal in
            Finding(Self.message(literal), at: literal.location,
                           hints: ["read it from the environment or a secrets manager, and rotate the exposed key"])
        }
    }
}
