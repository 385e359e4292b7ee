import DJSettings

public struct MediaURLEqualsStaticURLRule: Rule {
    public static let description = RuleDescription(
        code: "DJS010", name: "media-url-equals-static-url", severity: .error,
        summary: "The effective MEDIA_URL equals the effective STATIC_URL.",
        rationale: """
            Static and user-uploaded files would share one URL space. Django refuses when the static \
            storage is created. Trap: STATIC_URL = "" with the default MEDIA_URL = "" makes both '/'.
            """,
        mirrors: "ImproperlyConfigured",
        bad: [Example("STATIC_URL = \"/files/\"\n↓MEDIA_URL = \"/files/\""), Example("↓STATIC_URL = \"\"")],
        good: [Example("STATIC_URL = \"/static/\"\nMEDIA_URL = \"/media/\"")])

    public init() {}

    static func message(url: String) -> String {
        "The MEDIA_URL and STATIC_URL settings must have different values (both are \(SettingValue.quote(url)))"
    }
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let staticURL = judgedURL(snapshot, "STATIC_URL"),
              let mediaURL = judgedURL(snapshot, "MEDIA_URL"), staticURL == mediaURL else { return [] }
        var hints: [String] = []
        if snapshot.raw["MEDIA_URL"] == nil {
            hints.append("MEDIA_URL is not set: its default \"\" becomes \(SettingValue.quote(mediaURL))")
        }
        return [Finding(Self.message(url: staticURL),
                        setting: snapshot.lastSet("STATIC_URL", "MEDIA_URL"),
                        hints: hints + snapshot.otherSettingHint(snapshot.lastSet("STATIC_URL", "MEDIA_URL") == "STATIC_URL" ? "MEDIA_URL" : "STATIC_URL",
                                                                   projectRoot: context.projectRoot))]
    }
}
