import DJSettings

/// ASSET003: a reference (or a file) collectstatic's post-processing refuses.
public struct UnresolvableStaticReferenceRule: Rule {
    public static let description = RuleDescription(
        code: "ASSET003", name: "unresolvable-static-reference", severity: .error,
        summary: "A static reference climbs above the root it resolves against, or collectstatic refuses it or its file.",
        rationale: """
            `url(../../../x.png)` in a file two levels deep resolves above STATIC_ROOT: Django's \
            storage raises SuspiciousFileOperation and collectstatic stops. So does a reference \
            urllib cannot parse (an invalid IPv6 host), a CSS/JS file that is not UTF-8 (the \
            post-processor decodes every file it rewrites) and a file that cannot be read. Error \
            when the storage post-processes; a URL above the root is a warning (a 404) otherwise. \
            Opt-in with the other ASSET rules.
            """,
        optIn: true, requires: .assets,
        bad: [
            Example(AssetExamples.settings(storage: AssetExamples.manifest),
                    files: ["assets/css/site.css": "body { background: url(↓../../../outside.png); }\n"]),
        ],
        good: [
            Example(AssetExamples.settings(storage: AssetExamples.manifest),
                    files: ["assets/css/site.css": "body { background: url(../logo.png); }\n", "assets/logo.png": "png"]),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let scan = AssetScan.of(context), scan.unavailable == nil else { return [] }
        return scan.problems.filter { $0.kind == .refused }.map { Finding($0.message, at: $0.location, severity: $0.severity) }
    }
}
