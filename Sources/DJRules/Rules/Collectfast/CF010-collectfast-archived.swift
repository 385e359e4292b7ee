import DJSettings

public struct CollectfastArchivedRule: Rule {
    public static let description = RuleDescription(
        code: "CF010", name: "collectfast-archived", severity: .info,
        summary: "collectfast is installed; the project is archived.",
        rationale: """
            Collectfast gets no fixes (reports of hangs with Django 4.2 stay open). Collectfasta is \
            the maintained fork: app "collectfasta", settings COLLECTFASTA_*, bulk listing instead of \
            a HEAD per file, and strategies for manifest storages.
            """,
        bad: [Example(#"INSTALLED_APPS = [↓"collectfast", "django.contrib.staticfiles"]"# + "\n" + s3Static + "\n" + boto3Strategy)],
        good: [Example(collectfastaApps + "\n" + s3Static
                       + "\nCOLLECTFASTA_STRATEGY = \"collectfasta.strategies.boto3.Boto3Strategy\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.installedAppIndex(CollectfastPackage.collectfast.app) != nil
        else { return [] }
        return [Finding("Collectfast is archived; Collectfasta is the maintained drop-in (COLLECTFASTA_* settings).",
                        setting: "INSTALLED_APPS", entry: CollectfastPackage.collectfast.app)]
    }
}
