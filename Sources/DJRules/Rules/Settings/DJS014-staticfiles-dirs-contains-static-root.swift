import PythonStdlib
import DJSettings

public struct StaticfilesDirsContainsStaticRootRule: Rule {
    public static let description = RuleDescription(
        code: "DJS014", name: "staticfiles-dirs-contains-static-root", severity: .error,
        summary: "STATICFILES_DIRS contains STATIC_ROOT.",
        rationale: "collectstatic would read its own output as input, copying files onto themselves.",
        mirrors: "staticfiles.E002",
        bad: [Example("STATIC_ROOT = \"/srv/static\"\nSTATICFILES_DIRS = [↓\"/srv/static/\"]")],
        good: [Example("STATIC_ROOT = \"/srv/static\"\nSTATICFILES_DIRS = [\"/srv/assets\"]")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let (snapshot, entries) = dirsEntries(context), let root = snapshot["STATIC_ROOT"], root.isTruthy,
              let rootText = root.pathText else { return [] }
        let staticRoot = PyPath.abspath(rootText, cwd: context.projectRoot)
        return entries.compactMap { entry in
            guard !entry.malformed, let text = entry.root.pathText,
                  PyPath.abspath(text, cwd: context.projectRoot) == staticRoot else { return nil }
            let setting = snapshot.lastSet("STATICFILES_DIRS", "STATIC_ROOT")
            return Finding("The STATICFILES_DIRS setting should not contain the STATIC_ROOT setting. (staticfiles.E002)",
                           setting: setting, entry: setting == "STATICFILES_DIRS" ? text : nil)
        }
    }
}
