import DJSettings

public struct CollectfastManifestRule: Rule {
    public static let description = RuleDescription(
        code: "CF009", name: "collectfast-with-manifest-storage", severity: .info,
        summary: "Collectfast is used with a manifest (hashed-name) staticfiles storage.",
        rationale: """
            Collectfast only short-circuits the copy phase: Django's post-processing still deletes \
            and re-uploads every CSS/JS copy and staticfiles.json on each run, with a HEAD per hashed \
            file, so the deploy stays slow.
            """,
        bad: [Example(collectfastApps + "\n" + s3Manifest + "\n↓" + boto3Strategy)],
        good: [Example(collectfastaApps + "\n" + s3Manifest
                       + "\nCOLLECTFASTA_STRATEGY = \"collectfasta.strategies.boto3.Boto3ManifestMemoryStrategy\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.usesManifestStorage else { return [] }
        return snapshot.collectfastPackages.compactMap { package in
            let strategy = package.strategy(in: snapshot)
            guard !CollectfastPackage.manifestStrategies.contains(strategy ?? "") else { return nil }
            return Finding("Post-processing still re-uploads CSS/JS and the manifest each run; Collectfasta's Boto3ManifestMemoryStrategy handles manifests.",
                           setting: strategy != nil && snapshot.isExplicit(package.setting("STRATEGY"))
                               ? package.setting("STRATEGY") : "INSTALLED_APPS")
        }
    }
}
