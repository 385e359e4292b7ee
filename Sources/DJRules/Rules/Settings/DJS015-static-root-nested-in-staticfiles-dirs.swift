import PythonStdlib
import DJSettings

public struct StaticRootNestedInDirsRule: Rule {
    public static let description = RuleDescription(
        code: "DJS015", name: "static-root-nested-in-staticfiles-dirs", severity: .warning,
        summary: "STATIC_ROOT is inside a STATICFILES_DIRS directory, or contains one.",
        rationale: """
            Django only checks equality. With nesting, each collectstatic run finds the previous \
            run's output (hashed copies of hashed copies) or collects into its own sources.
            """,
        bad: [Example("STATIC_ROOT = \"/srv/assets/collected\"\n↓STATICFILES_DIRS = [\"/srv/assets\"]"),
              Example("STATIC_ROOT = \"/srv\"\n↓STATICFILES_DIRS = [(\"vendor\", \"/srv/assets\")]")],
        good: [Example("STATIC_ROOT = \"/srv/collected\"\nSTATICFILES_DIRS = [\"/srv/assets\"]")])

    public init() {}

    /// What the findings say, for absolute paths.
    enum Message {
        static func rootInsideDirectory(staticRoot: String, directory: String) -> String {
            "STATIC_ROOT \(staticRoot) is inside STATICFILES_DIRS entry \(directory): collectstatic will collect its own output"
        }

        static func directoryInsideRoot(directory: String, staticRoot: String) -> String {
            "STATICFILES_DIRS entry \(directory) is inside STATIC_ROOT \(staticRoot): "
                + "collectstatic writes over its own sources (and --clear deletes them)"
        }
    }
    public func check(_ context: RuleContext) -> [Finding] {
        guard let (snapshot, entries) = dirsEntries(context), let root = snapshot["STATIC_ROOT"], root.isTruthy,
              let rootText = root.pathText else { return [] }
        let staticRoot = PyPath.abspath(rootText, cwd: context.projectRoot)
        return entries.compactMap { entry in
            guard !entry.malformed, let text = entry.root.pathText else { return nil }
            let directory = PyPath.abspath(text, cwd: context.projectRoot)
            if PyPath.isStrictlyInside(staticRoot, directory) {
                return Finding(Message.rootInsideDirectory(staticRoot: staticRoot, directory: directory),
                               setting: snapshot.lastSet("STATIC_ROOT", "STATICFILES_DIRS"))
            }
            if PyPath.isStrictlyInside(directory, staticRoot) {
                return Finding(Message.directoryInsideRoot(directory: directory, staticRoot: staticRoot),
                               setting: snapshot.lastSet("STATICFILES_DIRS", "STATIC_ROOT"), entry: text)
            }
            return nil
        }
    }
}
