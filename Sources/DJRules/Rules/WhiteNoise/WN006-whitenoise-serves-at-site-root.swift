import DJSettings

public struct WhiteNoiseRootPrefixRule: Rule {
    public static let description = RuleDescription(
        code: "WN006", name: "whitenoise-serves-at-site-root", severity: .warning,
        summary: "WhiteNoiseMiddleware derives the prefix '/' from an absolute STATIC_URL with an empty path.",
        rationale: """
            WhiteNoise serves STATIC_ROOT under the path of STATIC_URL. For \
            "https://static.example.com/" that path is empty, so every collected file is served at the \
            site root of the application too, where it can shadow real URLs. Set \
            WHITENOISE_STATIC_PREFIX or give STATIC_URL a path.
            """,
        bad: [Example(middleware + "\nSTATIC_ROOT = \"/srv/static\"\n↓STATIC_URL = \"https://static.example.com/\"")],
        good: [
            Example(middleware + "\nSTATIC_ROOT = \"/srv/static\"\nSTATIC_URL = \"https://static.example.com/static/\""),
            Example(middleware + "\nSTATIC_ROOT = \"/srv/static\"\nSTATIC_URL = \"https://static.example.com/\"\n"
                    + "WHITENOISE_STATIC_PREFIX = \"/static/\""),
        ])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.hasWhiteNoiseMiddleware, snapshot["WHITENOISE_STATIC_PREFIX"] == nil,
              let url = snapshot.staticURLParts, !url.netloc.isEmpty else { return [] }
        // WhiteNoiseMiddleware: the URL path, minus FORCE_SCRIPT_NAME, with leading and trailing slashes.
        var path = Substring(url.path)
        if let script = snapshot["FORCE_SCRIPT_NAME"]?.string, !script.isEmpty {
            var name = Substring(script)
            while name.hasSuffix("/") { name = name.dropLast() }
            if path.hasPrefix(name) { path = path.dropFirst(name.count) }
        }
        guard path.allSatisfy({ $0 == "/" }) else { return [] }
        return [Finding("WhiteNoise will serve static files at the site root \"/\".", setting: "STATIC_URL",
                        hints: ["set WHITENOISE_STATIC_PREFIX = \"/static/\" (the path your CDN requests from the site)"])]
    }
}
