import DJSettings

public struct FileSystemFinderMissingRule: Rule {
    public static let description = RuleDescription(
        code: "DJS020", name: "staticfiles-dirs-without-filesystem-finder", severity: .warning,
        summary: "STATICFILES_DIRS is non-empty but FileSystemFinder is not in STATICFILES_FINDERS.",
        rationale: "Only FileSystemFinder reads STATICFILES_DIRS: those directories are never collected.",
        bad: [Example(#"""
            STATICFILES_DIRS = ["/srv/assets"]
            ↓STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.AppDirectoriesFinder"]
            """#)],
        good: [Example(#"STATICFILES_DIRS = ["/srv/assets"]"#)])

    public init() {}

    static func message(directories count: Int) -> String {
        "STATICFILES_DIRS lists \(count) director\(count == 1 ? "y" : "ies") but "
            + "STATICFILES_FINDERS has no FileSystemFinder: they are never collected"
    }
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let dirs = snapshot["STATICFILES_DIRS"]?.sequence, !dirs.isEmpty,
              let finders = snapshot["STATICFILES_FINDERS"]?.sequence else { return [] }
        let hasFileSystemFinder = finders.contains {
            snapshot.entry($0.string, isSubclassOf: "django.contrib.staticfiles.finders.FileSystemFinder")
        }
        guard !hasFileSystemFinder else { return [] }
        return [Finding(Self.message(directories: dirs.count),
                        setting: "STATICFILES_FINDERS",
                        hints: ["add \"django.contrib.staticfiles.finders.FileSystemFinder\""])]
    }
}
