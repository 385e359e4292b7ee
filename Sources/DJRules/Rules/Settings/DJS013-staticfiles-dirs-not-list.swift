import DJSettings

public struct StaticfilesDirsNotListRule: Rule {
    public static let description = RuleDescription(
        code: "DJS013", name: "staticfiles-dirs-not-list", severity: .error,
        summary: "STATICFILES_DIRS is not a list or tuple.",
        rationale: "A bare string is iterated character by character; Django's check refuses it.",
        mirrors: "staticfiles.E001",
        bad: [Example(#"↓STATICFILES_DIRS = ("/srv/assets")"#)],
        good: [Example(#"STATICFILES_DIRS = ("/srv/assets",)"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let value = snapshot["STATICFILES_DIRS"], value.sequence == nil else { return [] }
        return [Finding("The STATICFILES_DIRS setting is not a tuple or list. (staticfiles.E001)",
                        setting: "STATICFILES_DIRS", hints: ["Perhaps you forgot a trailing comma?"])]
    }
}
