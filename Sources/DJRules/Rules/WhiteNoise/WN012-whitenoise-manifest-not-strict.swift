import DJSettings

public struct WhiteNoiseManifestNotStrictRule: Rule {
    public static let description = RuleDescription(
        code: "WN012", name: "whitenoise-manifest-not-strict", severity: .info,
        summary: "WHITENOISE_MANIFEST_STRICT is False with CompressedManifestStaticFilesStorage.",
        rationale: """
            A name missing from staticfiles.json (a typo, a stale manifest) no longer fails loudly: \
            the page links to an unhashed name, which is cached only briefly or is a 404.
            """,
        bad: [Example(storages(compressedManifestStorage) + "\nSTATIC_ROOT = \"/srv/static\"\n↓WHITENOISE_MANIFEST_STRICT = False")],
        good: [Example(storages(compressedManifestStorage) + "\nSTATIC_ROOT = \"/srv/static\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        // CompressedManifestStaticFilesStorage applies any value other than None.
        guard let snapshot = context.snapshot, snapshot.usesWhiteNoiseManifestStorage,
              let strict = snapshot["WHITENOISE_MANIFEST_STRICT"], !strict.isNone, !strict.isTruthy else { return [] }
        return [Finding("Missing manifest entries will be served unhashed instead of raising.",
                        setting: "WHITENOISE_MANIFEST_STRICT")]
    }
}
