import DJSettings

public struct WhiteNoiseCORSRule: Rule {
    public static let description = RuleDescription(
        code: "WN015", name: "whitenoise-cdn-without-cors", severity: .info,
        summary: "WHITENOISE_ALLOW_ALL_ORIGINS is False while STATIC_URL is absolute (a CDN).",
        rationale: """
            Browsers load web fonts (and module scripts) from another origin only with an \
            Access-Control-Allow-Origin header; WhiteNoise adds "*" unless this is turned off, so \
            fonts served through the CDN break.
            """,
        bad: [Example("STATIC_URL = \"https://cdn.example.com/static/\"\n↓WHITENOISE_ALLOW_ALL_ORIGINS = False")],
        good: [Example("STATIC_URL = \"/static/\"\nWHITENOISE_ALLOW_ALL_ORIGINS = False"),
               Example("STATIC_URL = \"https://cdn.example.com/static/\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let allow = snapshot["WHITENOISE_ALLOW_ALL_ORIGINS"], !allow.isTruthy,
              let url = snapshot.staticURLParts, !url.netloc.isEmpty else { return [] }
        return [Finding("Web fonts from a CDN origin need Access-Control-Allow-Origin.", setting: "WHITENOISE_ALLOW_ALL_ORIGINS",
                        hints: ["static files are served from \(url.netloc); keep the default WHITENOISE_ALLOW_ALL_ORIGINS = True "
                                + "or add the header with WHITENOISE_ADD_HEADERS_FUNCTION"])]
    }
}
