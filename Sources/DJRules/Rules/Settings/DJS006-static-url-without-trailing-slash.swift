import DJSettings

public struct StaticURLTrailingSlashRule: Rule {
    public static let description = RuleDescription(
        code: "DJS006", name: "static-url-without-trailing-slash", severity: .error,
        summary: "The effective STATIC_URL does not end with '/'.",
        rationale: """
            Static URLs are built by joining STATIC_URL and the file name: without the slash, \
            'https://cdn.example.com/static' + 'app.css' points at the wrong object. Django's check \
            framework reports it, but collectstatic does not run that check.
            """,
        mirrors: "urls.E006",
        bad: [Example(#"↓STATIC_URL = "https://cdn.example.com/static""#), Example(#"↓STATIC_URL = "static""#),
              Example(#"↓STATIC_URL = "https://cdn.example.com/static/?token=abc123def456""#)],
        good: [Example(#"STATIC_URL = "https://cdn.example.com/static/""#), Example(#"STATIC_URL = "static/""#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] { TrailingSlash(setting: "STATIC_URL").check(context) }
}
