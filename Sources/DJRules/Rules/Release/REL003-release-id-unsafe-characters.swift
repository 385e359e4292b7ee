import DJSettings

/// REL003: the release id is unsafe in a path or object key.
public struct ReleaseIdUnsafeRule: Rule {
    public static let description = RuleDescription(
        code: "REL003", name: "release-id-unsafe-characters", severity: .warning,
        summary: "The release id contains '/', '..' or characters unsafe in a path or object key.",
        rationale: """
            The id becomes a directory or key prefix: a '/' nests it, '..' escapes the location, and \
            spaces or other characters need escaping in URLs and S3 keys.
            """,
        bad: [ReleaseExamples.example(#""release_id": "feature/login""#, marked: true),
              ReleaseExamples.example(#""release_id": "../v1""#, marked: true)],
        good: [ReleaseExamples.example(#""release_id": "v1.4.2-3f9c2ab""#)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        ReleaseExamples.releases(context).compactMap { alias, info in
            guard info.error == nil, let id = info.releaseID?.string, !(info.releaseID?.dependsOnUnsetEnvironment ?? true),
                  !ReleaseIdFallbackRule.isFallback(id) else { return nil }
            let safe = id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
            guard !safe || id.contains("..") else { return nil }
            return Finding("STORAGES['\(alias)']: release id \(SettingValue.quote(id)) is unsafe in a path or object key",
                           setting: "STORAGES", entry: alias, hints: ["use letters, digits, '.', '_' and '-' only"])
        }
    }
}
