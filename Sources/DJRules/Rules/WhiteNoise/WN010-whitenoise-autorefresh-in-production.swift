import DJSettings

public struct WhiteNoiseAutorefreshRule: Rule {
    public static let description = RuleDescription(
        code: "WN010", name: "whitenoise-autorefresh-in-production", severity: .warning,
        summary: "WHITENOISE_AUTOREFRESH is on while DEBUG is off.",
        rationale: """
            Autorefresh searches the filesystem on every request instead of using the index built at \
            start-up: slow, and the code path WhiteNoise supports for development only (6.12 fixed a \
            file-access vulnerability in it).
            """,
        bad: [Example("DEBUG = False\n↓WHITENOISE_AUTOREFRESH = True")],
        good: [Example("DEBUG = True\nWHITENOISE_AUTOREFRESH = True"), Example("DEBUG = False\nWHITENOISE_AUTOREFRESH = DEBUG")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        WhiteNoiseDevelopmentSwitch(setting: "WHITENOISE_AUTOREFRESH",
                                    message: "Autorefresh is for development only (performance and security).").check(context)
    }
}
