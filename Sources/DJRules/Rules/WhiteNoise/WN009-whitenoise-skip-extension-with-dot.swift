import DJSettings

public struct WhiteNoiseDottedExtensionRule: Rule {
    public static let description = RuleDescription(
        code: "WN009", name: "whitenoise-skip-extension-with-dot", severity: .warning,
        summary: "An entry of WHITENOISE_SKIP_COMPRESS_EXTENSIONS starts with '.'.",
        rationale: """
            WhiteNoise matches a file name against "\\.(<entries>)$", so ".jpg" only matches names \
            ending in "..jpg": the images it was meant to skip are compressed on every collectstatic \
            (and the list replaces WhiteNoise's defaults).
            """,
        bad: [Example(#"↓WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [".jpg", ".png", "woff2"]"#)],
        good: [Example(#"WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ["jpg", "png", "woff2"]"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let value = snapshot["WHITENOISE_SKIP_COMPRESS_EXTENSIONS"] else { return [] }
        let entries: [SettingValue]
        switch value {
        case .list(let items), .tuple(let items), .set(let items): entries = items
        default: return []
        }
        let dotted = entries.compactMap(\.string).filter { $0.hasPrefix(".") }
        guard let first = dotted.first else { return [] }
        return [Finding("Extensions are matched without the dot; \"\(first)\" never matches.",
                        setting: "WHITENOISE_SKIP_COMPRESS_EXTENSIONS",
                        hints: ["write " + dotted.map { SettingValue.quote(String($0.drop { $0 == "." })) }.joined(separator: ", ")])]
    }
}
