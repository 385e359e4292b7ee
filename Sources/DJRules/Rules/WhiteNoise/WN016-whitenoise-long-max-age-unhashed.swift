import DJSettings

public struct WhiteNoiseLongMaxAgeRule: Rule {
    public static let description = RuleDescription(
        code: "WN016", name: "whitenoise-long-max-age-unhashed", severity: .info,
        summary: "WHITENOISE_MAX_AGE is above an hour with a WhiteNoise storage that does not hash names.",
        rationale: """
            Without hashed names a changed file keeps its URL, so browsers and CDNs serve the old \
            copy for up to WHITENOISE_MAX_AGE after a deploy. CompressedManifestStaticFilesStorage \
            gives changed files new names (cached forever) and keeps max-age for the rest.
            """,
        bad: [Example(storages(compressedStorage) + "\nSTATIC_ROOT = \"/srv/static\"\n↓WHITENOISE_MAX_AGE = 86400")],
        good: [Example(storages(compressedManifestStorage) + "\nSTATIC_ROOT = \"/srv/static\"\nWHITENOISE_MAX_AGE = 86400"),
               Example(storages(compressedStorage) + "\nSTATIC_ROOT = \"/srv/static\"\nWHITENOISE_MAX_AGE = 600")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.usesWhiteNoiseStorage, !snapshot.usesManifestStorage,
              let maxAge = snapshot["WHITENOISE_MAX_AGE"] else { return [] }
        let seconds: Double
        switch maxAge {
        case .int(let value): seconds = Double(value)
        case .float(let value): seconds = value
        default: return []
        }
        guard seconds > 3600 else { return [] }
        return [Finding("Unhashed files cached long; consider CompressedManifestStaticFilesStorage.", setting: "WHITENOISE_MAX_AGE",
                        hints: ["WHITENOISE_MAX_AGE = \(maxAge.pythonRepr) s: a changed file may stay stale that long after a deploy"])]
    }
}
