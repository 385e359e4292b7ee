import DJSettings

public struct CollectfastStrategyMismatchRule: Rule {
    public static let description = RuleDescription(
        code: "CF003", name: "collectfast-strategy-backend-mismatch", severity: .error,
        summary: "The Collectfast strategy is for another kind of storage than the staticfiles backend.",
        rationale: """
            Each strategy reads remote hashes through its own storage API (boto3 ETags, GCS md5Hash, \
            local files): with another backend, collectstatic fails on the first file or compares \
            against nothing and uploads everything.
            """,
        bad: [Example(collectfastApps + "\n↓" + boto3Strategy + "\n"
                      + "STATIC_ROOT = \"/srv/static\"\n"
                      + #"STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}"#)],
        good: [Example(collectfastApps + "\n" + boto3Strategy + "\n" + s3Static)])

    public init() {}

    static func message(strategySetting: String, strategy: String, backend: String?) -> String {
        "\(strategySetting) \(strategy) does not match staticfiles backend \(backend ?? "?")."
    }
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        let family = snapshot.storageFamily("staticfiles")
        guard family != .unknown else { return [] }
        return snapshot.collectfastPackages.compactMap { package in
            guard let strategy = package.strategy(in: snapshot), let expected = package.strategies[strategy],
                  expected != family else { return nil }
            return Finding(Self.message(strategySetting: package.setting("STRATEGY"), strategy: strategy,
                                        backend: snapshot.storageBackend("staticfiles")),
                           setting: package.setting("STRATEGY"))
        }
    }
}
