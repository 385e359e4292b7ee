import DJSettings

public struct CollectfastaSettingsRule: Rule {
    public static let description = RuleDescription(
        code: "CF012", name: "collectfasta-settings", severity: .error,
        summary: "collectfasta is installed without COLLECTFASTA_STRATEGY, or with COLLECTFAST_* settings.",
        rationale: """
            Collectfasta renamed every setting to COLLECTFASTA_*: settings kept from Collectfast are \
            ignored, and without COLLECTFASTA_STRATEGY its collectstatic raises ImproperlyConfigured.
            """,
        mirrors: "ImproperlyConfigured",
        bad: [Example(#"INSTALLED_APPS = [↓"collectfasta", "django.contrib.staticfiles"]"# + "\n" + s3Static + "\n↓" + boto3Strategy)],
        good: [Example(collectfastaApps + "\n" + s3Static
                       + "\nCOLLECTFASTA_STRATEGY = \"collectfasta.strategies.boto3.Boto3Strategy\"")])

    public init() {}

    /// The message of every finding; the hints say what is wrong.
    static let message = "Collectfasta reads COLLECTFASTA_* settings (COLLECTFASTA_STRATEGY required)."

    static func renameHint(_ name: String, to renamed: String) -> String {
        "\(name) is not read by collectfasta: rename it \(renamed)"
    }
    public func check(_ context: RuleContext) -> [Finding] {
        let package = CollectfastPackage.collectfasta
        guard let snapshot = context.snapshot, snapshot.installedAppIndex(package.app) != nil else { return [] }
        var findings: [Finding] = []
        if package.strategyMissing(in: snapshot) {
            let place = package.strategyPlace(in: snapshot)
            findings.append(Finding(Self.message, setting: place.setting, entry: place.entry,
                                    hints: ["COLLECTFASTA_STRATEGY is not set; collectstatic raises ImproperlyConfigured"]))
        }
        // With collectfast installed too, its COLLECTFAST_* names are its own (CF011 reports the pair).
        if snapshot.installedAppIndex(CollectfastPackage.collectfast.app) == nil {
            for name in snapshot.raw.keys.sorted() where name.hasPrefix(CollectfastPackage.collectfast.settingPrefix) {
                let renamed = package.settingPrefix + name.dropFirst(CollectfastPackage.collectfast.settingPrefix.count)
                findings.append(Finding(Self.message, setting: name, hints: [Self.renameHint(name, to: renamed)]))
            }
        }
        return findings
    }
}
