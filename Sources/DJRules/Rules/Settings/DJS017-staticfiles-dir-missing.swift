import PythonStdlib
import DJSettings
import Foundation

public struct StaticfilesDirMissingRule: Rule {
    public static let description = RuleDescription(
        code: "DJS017", name: "staticfiles-dir-missing", severity: .warning,
        summary: "A STATICFILES_DIRS directory does not exist.",
        rationale: """
            The finder skips it silently, so a front-end build output that was not produced (or a \
            path computed from the wrong BASE_DIR) just disappears from the deploy.
            """,
        mirrors: "staticfiles.W004",
        bad: [Example(#"STATICFILES_DIRS = [↓"/nonexistent/djstatic-example/assets"]"#)],
        good: [Example("import tempfile\nSTATICFILES_DIRS = [tempfile.gettempdir()]")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let (_, entries) = dirsEntries(context) else { return [] }
        return entries.compactMap { entry in
            guard !entry.malformed, let text = entry.root.pathText, !entry.root.dependsOnUnsetEnvironment else { return nil }
            var isDirectory: ObjCBool = false
            let path = PyPath.abspath(text, cwd: context.projectRoot)
            guard !(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
            else { return nil }
            return Finding("The directory '\(text)' in the STATICFILES_DIRS setting does not exist. (staticfiles.W004)",
                           setting: "STATICFILES_DIRS", entry: text)
        }
    }
}
