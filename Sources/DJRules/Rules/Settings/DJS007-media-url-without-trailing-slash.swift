import DJSettings

public struct MediaURLTrailingSlashRule: Rule {
    public static let description = RuleDescription(
        code: "DJS007", name: "media-url-without-trailing-slash", severity: .error,
        summary: "The effective MEDIA_URL does not end with '/'.",
        rationale: "Media URLs are built by concatenation, exactly like static ones.",
        mirrors: "urls.E006",
        bad: [Example(#"↓MEDIA_URL = "/media""#)],
        good: [Example(#"MEDIA_URL = "/media/""#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] { TrailingSlash(setting: "MEDIA_URL").check(context) }
}
