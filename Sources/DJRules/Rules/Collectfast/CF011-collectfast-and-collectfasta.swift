import DJSettings

public struct CollectfastBothInstalledRule: Rule {
    public static let description = RuleDescription(
        code: "CF011", name: "collectfast-and-collectfasta", severity: .error,
        summary: "Both collectfast and collectfasta are in INSTALLED_APPS.",
        rationale: """
            Both replace collectstatic; only the first listed is used, with its own settings prefix, \
            so half of the configuration is silently ignored. Collectfasta's README forbids installing both.
            """,
        bad: [Example(#"INSTALLED_APPS = [↓"collectfast", "collectfasta", "django.contrib.staticfiles"]"#)],
        good: [Example(collectfastaApps)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.collectfastPackages.count == CollectfastPackage.all.count
        else { return [] }
        // On collectfast, the archived one to remove (CF010).
        return [Finding("Install only one of collectfast / collectfasta.", setting: "INSTALLED_APPS",
                        entry: CollectfastPackage.collectfast.app)]
    }
}
