import DJSettings

public struct CollectfastCacheNotPersistentRule: Rule {
    public static let description = RuleDescription(
        code: "CF005", name: "collectfast-cache-not-persistent", severity: .warning,
        summary: "Collectfast's cache alias is missing from CACHES, or is a LocMem/Dummy cache.",
        rationale: """
            Collectfast remembers remote hashes in a Django cache. Django's default LocMemCache lives \
            only as long as the collectstatic process (a Dummy cache not at all), so every run starts \
            cold and asks the storage for each file: most of the speed-up is lost.
            """,
        bad: [Example(#"INSTALLED_APPS = [↓"collectfast", "django.contrib.staticfiles"]"# + "\n" + s3Static + "\n" + boto3Strategy),
              Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy
                      + "\n" + #"CACHES = {↓"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}"#)],
        good: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy + "\n" + redisCache)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        return snapshot.collectfastPackages.compactMap { package in
            guard let (alias, config) = package.cache(in: snapshot) else { return nil }
            let backend = config?["BACKEND"]?.string
            let problem: String
            if config == nil {
                problem = "CACHES has no \(SettingValue.quote(alias)) alias"
            } else if let backend, backend == locMemCache || backend == dummyCache {
                problem = "CACHES[\(SettingValue.quote(alias))] is \(backend)"
                    + (snapshot.isExplicit("CACHES") ? "" : " (Django's default)")
            } else {
                return nil
            }
            let place = package.cachePlace(in: snapshot, alias: alias)
            return Finding("Collectfast's hash cache does not persist between runs; every run does a HEAD per file.",
                           setting: place.setting, entry: place.entry,
                           hints: [problem + "; use Redis, Memcached, a database or file cache for \(package.setting("CACHE"))"])
        }
    }
}
