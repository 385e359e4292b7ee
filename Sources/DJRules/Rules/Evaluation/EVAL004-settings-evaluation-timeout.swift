import DJSettings

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
            ↓while True:
                pass
            """)],
        good: [Example("STATIC_URL = \"/static/\"\n")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let failure = context.failure, failure.kind == .timeout else { return [] }
        return [Finding("evaluating the settings exceeded the time limit", at: failure.location)]
    }
}
