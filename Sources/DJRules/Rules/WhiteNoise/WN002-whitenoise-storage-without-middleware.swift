import DJSettings

public struct WhiteNoiseStorageWithoutMiddlewareRule: Rule {
    public static let description = RuleDescription(
        code: "WN002", name: "whitenoise-storage-without-middleware", severity: .warning,
        summary: "A WhiteNoise storage is the staticfiles backend but WhiteNoiseMiddleware is not in MIDDLEWARE.",
        rationale: """
            WhiteNoise's storages only write compressed (and hashed) copies into STATIC_ROOT; the \
            middleware serves them. Without it, and without a web server configured for STATIC_ROOT, \
            every static URL is a 404 in production.
            """,
        bad: [Example("↓" + storages(compressedManifestStorage) + "\nSTATIC_ROOT = \"/srv/static\"")],
        good: [Example(middleware + "\n" + storages(compressedManifestStorage) + "\nSTATIC_ROOT = \"/srv/static\""),
               Example("MIDDLEWARE = [\"site_middleware.SiteWhiteNoiseMiddleware\"]\n" + storages(compressedManifestStorage)
                       + "\nSTATIC_ROOT = \"/srv/static\"", files: [siteMiddleware: siteMiddlewareSource])])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.usesWhiteNoiseStorage, !snapshot.hasWhiteNoiseMiddleware
        else { return [] }
        return [Finding("WhiteNoise storage only prepares files; add WhiteNoiseMiddleware (or another server) to serve them.",
                        setting: snapshot.staticStorageSetting,
                        hints: ["add \"\(whiteNoiseMiddleware)\" to MIDDLEWARE directly after SecurityMiddleware"])]
    }
}
