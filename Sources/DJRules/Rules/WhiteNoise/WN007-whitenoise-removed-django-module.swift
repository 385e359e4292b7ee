import DJSettings

public struct WhiteNoiseRemovedPathRule: Rule {
    public static let description = RuleDescription(
        code: "WN007", name: "whitenoise-removed-django-module", severity: .error,
        summary: "A storage backend or middleware path under whitenoise.django, removed in WhiteNoise 4.0.",
        rationale: """
            whitenoise.django (GzipManifestStaticFilesStorage, DjangoWhiteNoise) no longer exists: the \
            import fails when collectstatic or the first request needs it.
            """,
        bad: [Example("""
            STORAGES = {
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                ↓"staticfiles": {"BACKEND": "whitenoise.django.GzipManifestStaticFilesStorage"},
            }
            STATIC_ROOT = "/srv/static"
            """)],
        good: [Example(storages(compressedManifestStorage) + "\nSTATIC_ROOT = \"/srv/static\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        // Each lands on the entry naming the path: the alias's BACKEND, the MIDDLEWARE element.
        var used: [(setting: String, path: String, entry: String?, location: SourceLocation?)] = []
        for entry in snapshot.raw["STORAGES"]?.entries ?? [] {
            if let alias = entry.key.string, let backend = entry.value["BACKEND"]?.string {
                used.append(("STORAGES", backend, alias, snapshot.backends[alias]?.location))
            }
        }
        if let legacy = snapshot.raw["STATICFILES_STORAGE"]?.string { used.append(("STATICFILES_STORAGE", legacy, nil, nil)) }
        used += snapshot.middlewarePaths.compactMap { $0 }.map { ("MIDDLEWARE", $0, $0, nil) }
        return used.filter { $0.path.hasPrefix("whitenoise.django.") }.map {
            Finding("Removed in WhiteNoise 4.0; use whitenoise.storage.CompressedManifestStaticFilesStorage and WhiteNoiseMiddleware.",
                    setting: $0.setting, entry: $0.entry, at: $0.location, hints: ["\($0.setting) names \($0.path)"])
        }
    }
}
