import DJSettings

public struct CollectfastThreadsWithLocMemRule: Rule {
    public static let description = RuleDescription(
        code: "CF007", name: "collectfast-threads-with-locmem-cache", severity: .warning,
        summary: "Collectfast uploads with threads while its cache is a LocMemCache.",
        rationale: """
            Collectfast's README requires a thread-safe, shared cache for parallel uploads; the \
            local-memory cache is per process and culls under concurrent writes, so threads race on \
            it and lose hashes.
            """,
        bad: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy + "\n↓COLLECTFAST_THREADS = 8")],
        good: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy + "\nCOLLECTFAST_THREADS = 8\n" + redisCache)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        return snapshot.collectfastPackages.compactMap { package in
            let threads: Int
            switch snapshot[package.setting("THREADS")] {
            case .int(let count)?: threads = count
            case .bool(true)?: threads = 1
            default: return nil
            }
            guard threads > 0, let (alias, config) = package.cache(in: snapshot),
                  config?["BACKEND"]?.string == locMemCache else { return nil }
            return Finding("Parallel uploads need a thread-safe shared cache.", setting: package.setting("THREADS"),
                           hints: ["\(package.setting("THREADS")) = \(threads) but CACHES[\(SettingValue.quote(alias))] is LocMemCache"])
        }
    }
}
