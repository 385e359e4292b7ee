import DJSettings

/// REL001: the release id cannot be determined.
public struct ReleaseStrategyBrokenRule: Rule {
    public static let description = RuleDescription(
        code: "REL001", name: "release-id-unresolvable", severity: .error,
        summary: "A release-specific storage has no release_id, or its release_id_strategy cannot be imported or called.",
        rationale: """
            A storage that keeps each deploy's manifest under <location>/<release_id>/ must be able to \
            compute the id when collectstatic and every web process start; otherwise the storage \
            cannot be created at all.
            """,
        bad: [
            ReleaseExamples.example(#""release_id_strategy": "releasestorage.no_such_function""#, marked: true),
            ReleaseExamples.example(#""release_id": None"#, marked: true),
        ],
        good: [ReleaseExamples.example(#""release_id_strategy": "releasestorage.fixed_release_id""#)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        ReleaseExamples.releases(context).compactMap { alias, info in
            info.error.map { Finding("STORAGES['\(alias)']: \($0)", setting: "STORAGES", entry: alias) }
        }
    }
}
