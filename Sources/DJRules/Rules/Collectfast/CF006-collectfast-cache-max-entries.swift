import DJSettings

public struct CollectfastCacheMaxEntriesRule: Rule {
    public static let description = RuleDescription(
        code: "CF006", name: "collectfast-cache-max-entries", severity: .warning,
        summary: "Collectfast's file/database/LocMem cache has no MAX_ENTRIES, or fewer than the static files.",
        rationale: """
            Django's file, database and local-memory caches cull entries beyond OPTIONS["MAX_ENTRIES"] \
            (300 by default). A project with more static files loses hashes on every run and \
            re-checks or re-uploads the culled files.
            """,
        bad: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy + "\n" + #"""
            CACHES = {
                ↓"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                            "LOCATION": "/var/tmp/django_cache"},
            }
            """#)],
        good: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy + "\n" + #"""
            CACHES = {
                "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                            "LOCATION": "/var/tmp/django_cache", "OPTIONS": {"MAX_ENTRIES": 5000}},
            }
            """#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        return snapshot.collectfastPackages.compactMap { package in
            guard let (alias, config) = package.cache(in: snapshot), let config,
                  let backend = config["BACKEND"]?.string, cullingCaches.contains(backend) else { return nil }
            let problem: String
            switch config["OPTIONS"]?["MAX_ENTRIES"] {
            case nil:
                problem = "CACHES[\(SettingValue.quote(alias))] sets no OPTIONS['MAX_ENTRIES']: Django culls above 300 entries"
            case .int(let maxEntries)?:
                let count = snapshot.staticFileCount(projectRoot: context.projectRoot)
                guard count > maxEntries else { return nil }
                problem = "the project has \(count) static files; CACHES[\(SettingValue.quote(alias))] keeps \(maxEntries)"
            default:
                return nil
            }
            let place = package.cachePlace(in: snapshot, alias: alias)
            return Finding("Raise MAX_ENTRIES above the number of static files (default 300).",
                           setting: place.setting, entry: place.entry, hints: [problem])
        }
    }
}
