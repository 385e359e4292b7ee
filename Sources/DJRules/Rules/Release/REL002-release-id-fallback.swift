import DJSettings

/// REL002: the release id is empty or a fallback.
public struct ReleaseIdFallbackRule: Rule {
    public static let description = RuleDescription(
        code: "REL002", name: "release-id-fallback", severity: .error,
        summary: "The release id resolves to empty, None, or a fallback such as 'unknown-release'.",
        rationale: """
            When the strategy falls back (e.g. git is not available in the build container, or the \
            checkout has no .git), every deploy writes its manifest to the same place and the \
            release-specific layout silently stops protecting running releases.
            """,
        bad: [ReleaseExamples.example(#""release_id_strategy": "releasestorage.fallback_release_id""#, marked: true),
              ReleaseExamples.example(#""release_id": "unknown""#, marked: true)],
        good: [ReleaseExamples.example(#""release_id_strategy": "releasestorage.fixed_release_id""#),
               ReleaseExamples.example(#""release_id": "3f9c2ab""#)])

    public init() {}

    /// `source` says where the id came from ("release_id is", "release_id_strategy f() returned").
    static func message(alias: String, source: String, id: String) -> String {
        "STORAGES['\(alias)']: \(source) \(id): every deploy would share one manifest"
    }

    static func isFallback(_ id: String) -> Bool {
        let lowered = id.trimmingCharacters(in: .whitespaces).lowercased()
        return lowered.isEmpty || lowered == "none" || lowered == "null" || lowered == "unknown"
            || lowered.hasPrefix("unknown-") || lowered.hasPrefix("unknown_")
    }

    public func check(_ context: RuleContext) -> [Finding] {
        ReleaseExamples.releases(context).compactMap { alias, info in
            guard info.error == nil, let id = info.releaseID, !id.dependsOnUnsetEnvironment else { return nil }
            let source = info.strategy.flatMap(\.string).map { "release_id_strategy \($0)() returned" } ?? "release_id is"
            switch id {
            case .none:
                return Finding(Self.message(alias: alias, source: source, id: "None"), setting: "STORAGES", entry: alias)
            case .string(let text) where Self.isFallback(text):
                return Finding(Self.message(alias: alias, source: source, id: id.pythonRepr),
                               setting: "STORAGES", entry: alias,
                               hints: ["make the strategy fail loudly (or pass release_id from the build) instead of falling back"])
            default:
                return nil
            }
        }
    }
}
