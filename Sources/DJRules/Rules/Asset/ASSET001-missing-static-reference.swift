import DJSettings

/// ASSET001: a CSS/JS reference that names a file no finder provides.
public struct MissingStaticReferenceRule: Rule {
    public static let description = RuleDescription(
        code: "ASSET001", name: "missing-static-reference", severity: .error,
        summary: "A url(), @import, sourceMappingURL or JS import in a static file names a file no finder provides.",
        rationale: """
            With a manifest storage, collectstatic's post-processing resolves every reference its \
            patterns find and dies on the first one that names a missing file (a font or .map a \
            package forgot to ship), one file per deploy attempt; `collectstatic --dry-run` skips \
            post-processing, so nothing catches it earlier. This rule runs the storage's own patterns \
            with the installed Django's rules over every collected file and reports every such \
            reference at once. Error when the storage post-processes (collectstatic fails); warning \
            when it only copies (the browser gets a 404). Opt-in (`--select ASSET`): it runs \
            django.setup() and reads every CSS/JS file.
            """,
        mirrors: "ValueError: The file '…' could not be found with <storage>.",
        optIn: true, requires: .assets,
        bad: [
            Example(AssetExamples.settings(storage: AssetExamples.manifest),
                    files: ["assets/css/site.css": "body { background: url(\"↓../img/missing.png\"); }\n"]),
            Example(AssetExamples.settings(storage: AssetExamples.plain),
                    files: ["assets/css/site.css": "@import url('↓theme.css');\n"]),
        ],
        good: [
            Example(AssetExamples.settings(storage: AssetExamples.manifest),
                    files: ["assets/css/site.css": "body { background: url(\"../img/logo.png\") } a { b: url(data:x) }\n",
                            "assets/img/logo.png": "png"]),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let scan = AssetScan.of(context) else { return [] }
        if let reason = scan.unavailable {
            return [Finding("the asset audit cannot run: \(reason)", setting: "STATICFILES_FINDERS")]
        }
        return scan.problems.filter { $0.kind == .missing }.map {
            Finding("\($0.message): \($0.severity == .error ? "collectstatic fails on it" : "the browser gets a 404")",
                    at: $0.location,
                    hints: ["ship the file, fix the reference, or ignore the path with [tool.djstatic] per-path-ignores"],
                    severity: $0.severity)
        }
    }
}
