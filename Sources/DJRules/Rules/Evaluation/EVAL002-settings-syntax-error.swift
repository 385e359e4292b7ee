import DJSettings

/// EVAL002: a settings file does not parse.
public struct SettingsSyntaxErrorRule: Rule {
    public static let description = RuleDescription(
        code: "EVAL002", name: "settings-syntax-error", severity: .error,
        summary: "A settings file (or a project module it imports) has a syntax error.",
        rationale: "Python cannot compile the file, so Django cannot start.",
        bad: [Example("STATIC_URL = ↓'/static/\nDEBUG = True\n")],
        good: [Example("STATIC_URL = '/static/'\nDEBUG = True\n")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let failure = context.failure, failure.kind == .syntax else { return [] }
        return [Finding(failure.message, at: failure.location)]
    }
}
