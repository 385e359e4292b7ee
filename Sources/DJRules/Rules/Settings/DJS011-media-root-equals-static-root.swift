import PythonStdlib
import DJSettings

public struct MediaRootEqualsStaticRootRule: Rule {
    public static let description = RuleDescription(
        code: "DJS011", name: "media-root-equals-static-root", severity: .error,
        summary: "MEDIA_ROOT and STATIC_ROOT name the same directory.",
        rationale: """
            collectstatic --clear would delete user uploads, and uploads could overwrite collected \
            assets. Django only catches identical strings; paths that differ only in spelling \
            ('/srv/files' and '/srv/files/', a str and a Path, '..' segments) pass its check.
            """,
        mirrors: "ImproperlyConfigured",
        bad: [Example("STATIC_ROOT = \"/srv/files\"\n↓MEDIA_ROOT = \"/srv/files\""),
              Example("from pathlib import Path\nSTATIC_ROOT = \"/srv/files/\"\n↓MEDIA_ROOT = Path(\"/srv/files\")")],
        good: [Example("STATIC_ROOT = \"/srv/static\"\nMEDIA_ROOT = \"/srv/media\"")])

    public init() {}

    /// `path`: the directory both resolve to; `how`: whether Django notices.
    static func message(path: String, how: String) -> String {
        "The MEDIA_ROOT and STATIC_ROOT settings must have different values: both are \(path); \(how)"
    }
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let media = snapshot["MEDIA_ROOT"], let root = snapshot["STATIC_ROOT"],
              media.isTruthy, root.isTruthy, !media.dependsOnUnsetEnvironment, !root.dependsOnUnsetEnvironment,
              let mediaText = media.pathText, let rootText = root.pathText else { return [] }
        let a = PyPath.abspath(mediaText, cwd: context.projectRoot)
        let b = PyPath.abspath(rootText, cwd: context.projectRoot)
        guard a == b else { return [] }
        let how = media == root  // Django compares the values as they are: equal strs, or equal Paths
            ? "Django raises ImproperlyConfigured"
            : "they are spelled differently (\(media.pythonRepr) and \(root.pythonRepr)), so Django does not notice"
        let setting = snapshot.lastSet("STATIC_ROOT", "MEDIA_ROOT")
        return [Finding(Self.message(path: a, how: how),
                        setting: setting, hints: snapshot.otherSettingHint(setting == "STATIC_ROOT" ? "MEDIA_ROOT" : "STATIC_ROOT",
                                                           projectRoot: context.projectRoot))]
    }
}
