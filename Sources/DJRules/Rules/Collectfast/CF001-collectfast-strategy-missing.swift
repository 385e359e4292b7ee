import DJSettings

public struct CollectfastStrategyMissingRule: Rule {
    public static let description = RuleDescription(
        code: "CF001", name: "collectfast-strategy-missing", severity: .error,
        summary: "collectfast is installed but COLLECTFAST_STRATEGY is not set.",
        rationale: """
            Collectfast's collectstatic raises ImproperlyConfigured before copying anything, so the \
            deploy step fails.
            """,
        mirrors: "ImproperlyConfigured",
        bad: [Example(#"INSTALLED_APPS = [↓"collectfast", "django.contrib.staticfiles"]"# + "\n" + s3Static),
              Example(collectfastApps + "\n" + s3Static + "\n↓COLLECTFAST_STRATEGY = None")],
        good: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        let package = CollectfastPackage.collectfast
        guard let snapshot = context.snapshot, snapshot.installedAppIndex(package.app) != nil,
              package.strategyMissing(in: snapshot) else { return [] }
        let place = package.strategyPlace(in: snapshot)
        return [Finding("No strategy configured, please make sure COLLECTFAST_STRATEGY is set.",
                        setting: place.setting, entry: place.entry,
                        hints: ["for S3: COLLECTFAST_STRATEGY = \"collectfast.strategies.boto3.Boto3Strategy\""])]
    }
}
