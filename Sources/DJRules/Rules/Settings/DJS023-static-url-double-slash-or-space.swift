import DJSettings

public struct StaticURLMalformedRule: Rule {
    public static let description = RuleDescription(
        code: "DJS023", name: "static-url-double-slash-or-space", severity: .warning,
        summary: "The STATIC_URL path contains '//' or whitespace.",
        rationale: """
            Usually a template mistake such as f"https://{DOMAIN}/{PREFIX}/static/" with an empty \
            PREFIX or a DOMAIN ending in '/'. Object stores treat '//' as a different key.
            """,
        bad: [Example(#"↓STATIC_URL = "https://cdn.example.com//static/""#), Example(#"↓STATIC_URL = "/static /""#)],
        good: [Example(#"STATIC_URL = "https://cdn.example.com/static/""#), Example(#"STATIC_URL = "//cdn.example.com/static/""#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let url = judgedURL(snapshot, "STATIC_URL") else { return [] }
        var path = Substring(url)
        if let scheme = url.range(of: "://") {
            path = url[scheme.upperBound...].drop { $0 != "/" }
        } else if url.hasPrefix("//") {  // scheme-relative: //host/path
            path = url.dropFirst(2).drop { $0 != "/" }
        }
        let doubled = path.contains("//")
        let spaced = url.contains { $0.isWhitespace }
        guard doubled || spaced else { return [] }
        return [Finding("STATIC_URL \(SettingValue.quote(url)) contains " + (doubled ? "'//' in its path" : "whitespace"),
                        setting: "STATIC_URL")]
    }
}
