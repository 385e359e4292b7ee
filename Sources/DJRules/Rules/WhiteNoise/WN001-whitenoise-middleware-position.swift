import DJSettings

public struct WhiteNoiseMiddlewareOrderRule: Rule {
    /// Middleware that may stand between SecurityMiddleware and WhiteNoise, because static responses
    /// need what it does and it touches neither the database nor the session: django-cors-headers
    /// documents CorsMiddleware "before any middleware that can generate responses such as ...
    /// WhiteNoiseMiddleware" (fonts and modules fetched cross-origin need its headers).
    static let mayPrecedeWhiteNoise = ["corsheaders.middleware.CorsMiddleware"]

    public static let description = RuleDescription(
        code: "WN001", name: "whitenoise-middleware-position", severity: .warning,
        summary: "WhiteNoiseMiddleware is not directly after SecurityMiddleware (or first, without it).",
        rationale: """
            WhiteNoise answers static requests itself; every middleware above it runs first for each \
            file (sessions, database, redirects, double compression). Above SecurityMiddleware, static \
            responses miss HSTS and the HTTPS redirect. Nothing warns: WhiteNoise registers no checks.
            """,
        bad: [
            Example("""
                MIDDLEWARE = [
                    "django.middleware.security.SecurityMiddleware",
                    "django.contrib.sessions.middleware.SessionMiddleware",
                    ↓"whitenoise.middleware.WhiteNoiseMiddleware",
                ]
                """),
            Example("""
                MIDDLEWARE = [
                    ↓"whitenoise.middleware.WhiteNoiseMiddleware",
                    "django.middleware.security.SecurityMiddleware",
                ]
                """),
        ],
        good: [
            Example(middleware),
            Example("""
                MIDDLEWARE = [
                    "whitenoise.middleware.WhiteNoiseMiddleware",
                    "django.contrib.sessions.middleware.SessionMiddleware",
                ]
                """),
            // django-cors-headers' documented placement: above WhiteNoise, so static files get CORS headers.
            Example("""
                MIDDLEWARE = [
                    "django.middleware.security.SecurityMiddleware",
                    "corsheaders.middleware.CorsMiddleware",
                    "whitenoise.middleware.WhiteNoiseMiddleware",
                    "django.contrib.sessions.middleware.SessionMiddleware",
                ]
                """),
            // Middleware above SecurityMiddleware (django-prometheus' timer) is not WhiteNoise's concern.
            Example("""
                MIDDLEWARE = [
                    "django_prometheus.middleware.PrometheusBeforeMiddleware",
                    "django.middleware.security.SecurityMiddleware",
                    "whitenoise.middleware.WhiteNoiseMiddleware",
                    "django.contrib.sessions.middleware.SessionMiddleware",
                ]
                """),
            // A project's subclass is recognised by its bases.
            Example("""
                MIDDLEWARE = [
                    "django.middleware.security.SecurityMiddleware",
                    "site_middleware.SiteWhiteNoiseMiddleware",
                    "django.contrib.sessions.middleware.SessionMiddleware",
                ]
                """, files: [siteMiddleware: siteMiddlewareSource]),
        ])

    public init() {}

    static func message(middleware: String) -> String {
        "Place \(middleware) directly after SecurityMiddleware and above all other middleware."
    }

    /// Where a misplaced WhiteNoiseMiddleware is.
    enum Position {
        case aboveSecurityMiddleware
        /// Below another entry (nil: an entry that is not a string).
        case below(String?)
    }

    static func hint(index: Int, _ position: Position) -> String {
        switch position {
        case .aboveSecurityMiddleware: "it is MIDDLEWARE[\(index)], above SecurityMiddleware"
        case .below(let entry): "it is MIDDLEWARE[\(index)], below \(entry.map(SettingValue.quote) ?? "a non-string entry")"
        }
    }
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        let paths = snapshot.middlewarePaths
        guard let index = snapshot.whiteNoiseMiddlewareIndex else { return [] }
        let security = paths.firstIndex { snapshot.entry($0, isSubclassOf: securityMiddleware) }
        // What runs between SecurityMiddleware (or the start) and WhiteNoise; middleware above
        // SecurityMiddleware (a metrics timer) runs first for every request anyway.
        let start = security.map { $0 < index ? $0 + 1 : 0 } ?? 0
        let above = paths[start..<index].enumerated().filter { _, path in
            !Self.mayPrecedeWhiteNoise.contains { snapshot.entry(path, isSubclassOf: $0) }
        }
        let securityBelow = security.map { $0 > index } ?? false
        let position: Position
        if securityBelow {
            position = .aboveSecurityMiddleware
        } else if let misplaced = above.first {
            position = .below(misplaced.element)
        } else {
            return []
        }
        return [Finding(Self.message(middleware: paths[index] ?? whiteNoiseMiddleware),
                        setting: "MIDDLEWARE", entry: paths[index], hints: [Self.hint(index: index, position)])]
    }
}
