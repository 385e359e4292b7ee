import DJSettings

public struct WhiteNoiseManifestSettingIneffectiveRule: Rule {
    public static let description = RuleDescription(
        code: "WN013", name: "whitenoise-manifest-setting-without-effect", severity: .info,
        summary: "WHITENOISE_KEEP_ONLY_HASHED_FILES or WHITENOISE_MANIFEST_STRICT is set, but the storage is not CompressedManifestStaticFilesStorage.",
        rationale: """
            Only CompressedManifestStaticFilesStorage reads these settings; with any other storage \
            they suggest a behaviour the project does not have.
            """,
        bad: [Example(storages("whitenoise.storage.CompressedStaticFilesStorage")
                      + "\nSTATIC_ROOT = \"/srv/static\"\n↓WHITENOISE_KEEP_ONLY_HASHED_FILES = True")],
        good: [Example(storages(compressedManifestStorage)
                       + "\nSTATIC_ROOT = \"/srv/static\"\nWHITENOISE_KEEP_ONLY_HASHED_FILES = True")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, !snapshot.usesWhiteNoiseManifestStorage else { return [] }
        let names: [String] = ["WHITENOISE_KEEP_ONLY_HASHED_FILES", "WHITENOISE_MANIFEST_STRICT"]
        return names.filter(snapshot.isExplicit).map { (name: String) in
            Finding("Setting has no effect with this storage.", setting: name,
                    hints: ["\(name) is read only by \(compressedManifestStorage); STORAGES['staticfiles'] is "
                            + (snapshot.storageBackend("staticfiles") ?? "not configured")])
        }
    }
}
