import DJSettings

public struct WhiteNoiseGzipExcludeRule: Rule {
    public static let description = RuleDescription(
        code: "WN008", name: "whitenoise-gzip-exclude-extensions", severity: .warning,
        summary: "WHITENOISE_GZIP_EXCLUDE_EXTENSIONS is defined; WhiteNoise 3.0 renamed it.",
        rationale: "The old name is not read: the extensions it lists are compressed anyway.",
        bad: [Example(#"↓WHITENOISE_GZIP_EXCLUDE_EXTENSIONS = ["jpg", "png"]"#)],
        good: [Example(#"WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ["jpg", "png"]"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.isExplicit("WHITENOISE_GZIP_EXCLUDE_EXTENSIONS") else { return [] }
        return [Finding("Renamed to WHITENOISE_SKIP_COMPRESS_EXTENSIONS.", setting: "WHITENOISE_GZIP_EXCLUDE_EXTENSIONS")]
    }
}
