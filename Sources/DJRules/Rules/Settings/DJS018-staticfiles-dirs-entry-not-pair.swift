import DJSettings

public struct StaticfilesDirsEntryShapeRule: Rule {
    public static let description = RuleDescription(
        code: "DJS018", name: "staticfiles-dirs-entry-not-pair", severity: .error,
        summary: "A list/tuple STATICFILES_DIRS entry does not have exactly two items.",
        rationale: """
            FileSystemFinder unpacks list/tuple entries as (prefix, path); any other length raises \
            ValueError while the finder is built, crashing check and collectstatic.
            """,
        bad: [Example(#"↓STATICFILES_DIRS = [("vendor", "/srv/vendor", "extra")]"#), Example(#"↓STATICFILES_DIRS = [["/srv/a"]]"#)],
        good: [Example(#"STATICFILES_DIRS = [("vendor", "/srv/vendor"), "/srv/assets"]"#)])

    public init() {}

    static func message(index: Int, entry: String, count: Int) -> String {
        "STATICFILES_DIRS[\(index)] \(entry) has \(count) item\(count == 1 ? "" : "s"): "
            + "Django unpacks it as (prefix, path) and raises ValueError"
    }
    public func check(_ context: RuleContext) -> [Finding] {
        guard let (_, entries) = dirsEntries(context) else { return [] }
        return entries.filter(\.malformed).map { entry in
            Finding(Self.message(index: entry.index, entry: entry.root.pythonRepr, count: entry.root.sequence?.count ?? 0),
                    setting: "STATICFILES_DIRS")
        }
    }
}
