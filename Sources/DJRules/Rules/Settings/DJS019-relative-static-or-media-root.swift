import PythonStdlib
import DJSettings

public struct RelativeRootRule: Rule {
    public static let description = RuleDescription(
        code: "DJS019", name: "relative-static-or-media-root", severity: .warning,
        summary: "STATIC_ROOT or MEDIA_ROOT is a relative path.",
        rationale: """
            Django resolves it against the process's working directory, so collectstatic run from \
            another directory (a cron job, a container with a different WORKDIR) writes elsewhere. \
            Build it from BASE_DIR instead.
            """,
        bad: [Example("↓STATIC_ROOT = \"staticfiles\""), Example("↓MEDIA_ROOT = \"media/\"")],
        good: [Example("from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent\nSTATIC_ROOT = BASE_DIR / \"staticfiles\"")])

    public init() {}

    /// `value`: the setting's repr; `resolved`: where it points from the working directory.
    static func message(setting: String, value: String, workingDirectory: String, resolved: String) -> String {
        "\(setting) \(value) is relative: it resolves against the working directory "
            + "(from \(workingDirectory) it is \(resolved))"
    }
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        return ["STATIC_ROOT", "MEDIA_ROOT"].compactMap { name in
            guard let value = snapshot[name], value.isTruthy, !value.dependsOnUnsetEnvironment,
                  let text = value.pathText, !text.hasPrefix("/") else { return nil }
            return Finding(Self.message(setting: name, value: value.pythonRepr, workingDirectory: context.projectRoot,
                                        resolved: PyPath.abspath(text, cwd: context.projectRoot)),
                           setting: name, hints: ["use an absolute path, e.g. BASE_DIR / \(SettingValue.quote(text))"])
        }
    }
}
