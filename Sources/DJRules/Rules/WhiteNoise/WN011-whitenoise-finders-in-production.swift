import DJSettings

public struct WhiteNoiseUseFindersRule: Rule {
    public static let description = RuleDescription(
        code: "WN011", name: "whitenoise-finders-in-production", severity: .info,
        summary: "WHITENOISE_USE_FINDERS is on while DEBUG is off.",
        rationale: """
            Files found in the apps and STATICFILES_DIRS replace the collected ones under their \
            original names: no compressed variants, and changes that never went through collectstatic \
            go live.
            """,
        bad: [Example("DEBUG = False\n↓WHITENOISE_USE_FINDERS = True")],
        good: [Example("DEBUG = False\nWHITENOISE_USE_FINDERS = DEBUG")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        WhiteNoiseDevelopmentSwitch(setting: "WHITENOISE_USE_FINDERS",
                                    message: "Serving via finders skips compression and hashed caching.").check(context)
    }
}
