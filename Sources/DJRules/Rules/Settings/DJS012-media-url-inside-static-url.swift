import DJSettings

public struct MediaURLInsideStaticURLRule: Rule {
    public static let description = RuleDescription(
        code: "DJS012", name: "media-url-inside-static-url", severity: .warning,
        summary: "DEBUG is on and MEDIA_URL starts with STATIC_URL.",
        rationale: "runserver's static handler would shadow media files; Django refuses to serve them.",
        mirrors: "ImproperlyConfigured",
        bad: [Example("DEBUG = True\nSTATIC_URL = \"/static/\"\n↓MEDIA_URL = \"/static/media/\"")],
        good: [Example("DEBUG = False\nSTATIC_URL = \"/static/\"\nMEDIA_URL = \"/static/media/\""),
               Example("DEBUG = True\nSTATIC_URL = \"/static/\"\nMEDIA_URL = \"/media/\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot["DEBUG"]?.isTruthy ?? false,
              let staticURL = judgedURL(snapshot, "STATIC_URL"), let mediaURL = judgedURL(snapshot, "MEDIA_URL"),
              !staticURL.isEmpty, !mediaURL.isEmpty, mediaURL != staticURL, mediaURL.hasPrefix(staticURL) else { return [] }
        return [Finding("runserver can't serve media if MEDIA_URL is within STATIC_URL.",
                        setting: snapshot.lastSet("MEDIA_URL", "STATIC_URL"))]
    }
}
