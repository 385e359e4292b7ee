import PythonStdlib
import DJStaticFiles
import DJSettings

private let staticfilesApps = #"INSTALLED_APPS = ["django.contrib.staticfiles"]"#

/// The effective URL value to judge, unless it was derived from an unset environment variable.
private func judgedURL(_ snapshot: SettingsSnapshot, _ name: String) -> String? {
    guard let value = snapshot[name], !value.dependsOnUnsetEnvironment else { return nil }
    return value.string
}

/// "(the raw setting 'static' becomes '/static' with the script prefix)" when they differ.
private func effectiveNote(_ snapshot: SettingsSnapshot, _ name: String, _ effective: String) -> [String] {
    guard let raw = snapshot.raw[name]?.string, raw != effective else { return [] }
    return ["the setting is \(SettingValue.quote(raw)); Django adds the script prefix and uses \(SettingValue.quote(effective))"]
}

struct TrailingSlash {
    var setting: String

    func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let url = judgedURL(snapshot, setting), !url.isEmpty,
              !url.hasSuffix("/") else { return [] }
        // File names are appended to the URL: a query string or fragment (a CDN token) cannot stay in it.
        let base = String(url.prefix { $0 != "?" && $0 != "#" })
        let fix = base.hasSuffix("/") ? base : base + "/"
        let advice = base == url ? "use \(SettingValue.quote(fix))"
            : "file names are appended to it, so a query string or fragment cannot stay: use \(SettingValue.quote(fix))"
        return [Finding("The \(setting) setting must end with a slash. (urls.E006)", setting: setting,
                        hints: effectiveNote(snapshot, setting, url) + [advice])]
    }
}

public struct StaticURLTrailingSlashRule: Rule {
    public static let description = RuleDescription(
        code: "DJS006", name: "static-url-without-trailing-slash", severity: .error,
        summary: "The effective STATIC_URL does not end with '/'.",
        rationale: """
            Static URLs are built by joining STATIC_URL and the file name: without the slash, \
            'https://cdn.example.com/static' + 'app.css' points at the wrong object. Django's check \
            framework reports it, but collectstatic does not run that check.
            """,
        mirrors: "urls.E006",
        bad: [Example(#"STATIC_URL = "https://cdn.example.com/static""#), Example(#"STATIC_URL = "static""#),
              Example(#"STATIC_URL = "https://cdn.example.com/static/?token=abc123def456""#)],
        good: [Example(#"STATIC_URL = "https://cdn.example.com/static/""#), Example(#"STATIC_URL = "static/""#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] { TrailingSlash(setting: "STATIC_URL").check(context) }
}

public struct MediaURLTrailingSlashRule: Rule {
    public static let description = RuleDescription(
        code: "DJS007", name: "media-url-without-trailing-slash", severity: .error,
        summary: "The effective MEDIA_URL does not end with '/'.",
        rationale: "Media URLs are built by concatenation, exactly like static ones.",
        mirrors: "urls.E006",
        bad: [Example(#"MEDIA_URL = "/media""#)],
        good: [Example(#"MEDIA_URL = "/media/""#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] { TrailingSlash(setting: "MEDIA_URL").check(context) }
}

public struct StaticURLNoneRule: Rule {
    public static let description = RuleDescription(
        code: "DJS009", name: "static-url-none", severity: .error,
        summary: "STATIC_URL is None while django.contrib.staticfiles is installed.",
        rationale: """
            Every staticfiles storage checks STATIC_URL when it is created: collectstatic, \
            {% static %} and runserver raise ImproperlyConfigured. (An empty string is different: it \
            becomes '/'.)
            """,
        mirrors: "ImproperlyConfigured",
        bad: [Example(staticfilesApps), Example(staticfilesApps + "\nSTATIC_URL = None")],
        good: [Example(staticfilesApps + "\nSTATIC_URL = \"/static/\""), Example("STATIC_URL = None")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.staticfilesInstalled, snapshot["STATIC_URL"]?.isNone ?? true
        else { return [] }
        return [Finding("You're using the staticfiles app without having set the required STATIC_URL setting.",
                        setting: snapshot.isExplicit("STATIC_URL") ? "STATIC_URL" : nil,
                        hints: ["Django's project template uses STATIC_URL = \"static/\""])]
    }
}

public struct MediaURLEqualsStaticURLRule: Rule {
    public static let description = RuleDescription(
        code: "DJS010", name: "media-url-equals-static-url", severity: .error,
        summary: "The effective MEDIA_URL equals the effective STATIC_URL.",
        rationale: """
            Static and user-uploaded files would share one URL space. Django refuses when the static \
            storage is created. Trap: STATIC_URL = "" with the default MEDIA_URL = "" makes both '/'.
            """,
        mirrors: "ImproperlyConfigured",
        bad: [Example("STATIC_URL = \"/files/\"\nMEDIA_URL = \"/files/\""), Example("STATIC_URL = \"\"")],
        good: [Example("STATIC_URL = \"/static/\"\nMEDIA_URL = \"/media/\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let staticURL = judgedURL(snapshot, "STATIC_URL"),
              let mediaURL = judgedURL(snapshot, "MEDIA_URL"), staticURL == mediaURL else { return [] }
        var hints: [String] = []
        if snapshot.raw["MEDIA_URL"] == nil {
            hints.append("MEDIA_URL is not set: its default \"\" becomes \(SettingValue.quote(mediaURL))")
        }
        return [Finding("The MEDIA_URL and STATIC_URL settings must have different values (both are \(SettingValue.quote(staticURL)))",
                        setting: snapshot.lastSet("STATIC_URL", "MEDIA_URL"),
                        hints: hints + snapshot.otherSettingHint(snapshot.lastSet("STATIC_URL", "MEDIA_URL") == "STATIC_URL" ? "MEDIA_URL" : "STATIC_URL",
                                                                   projectRoot: context.projectRoot))]
    }
}

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
        bad: [Example("STATIC_ROOT = \"/srv/files\"\nMEDIA_ROOT = \"/srv/files\""),
              Example("from pathlib import Path\nSTATIC_ROOT = \"/srv/files/\"\nMEDIA_ROOT = Path(\"/srv/files\")")],
        good: [Example("STATIC_ROOT = \"/srv/static\"\nMEDIA_ROOT = \"/srv/media\"")])

    public init() {}
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
        return [Finding("The MEDIA_ROOT and STATIC_ROOT settings must have different values: both are \(a); \(how)",
                        setting: setting, hints: snapshot.otherSettingHint(setting == "STATIC_ROOT" ? "MEDIA_ROOT" : "STATIC_ROOT",
                                                           projectRoot: context.projectRoot))]
    }
}

public struct MediaURLInsideStaticURLRule: Rule {
    public static let description = RuleDescription(
        code: "DJS012", name: "media-url-inside-static-url", severity: .warning,
        summary: "DEBUG is on and MEDIA_URL starts with STATIC_URL.",
        rationale: "runserver's static handler would shadow media files; Django refuses to serve them.",
        mirrors: "ImproperlyConfigured",
        bad: [Example("DEBUG = True\nSTATIC_URL = \"/static/\"\nMEDIA_URL = \"/static/media/\"")],
        good: [Example("DEBUG = False\nSTATIC_URL = \"/static/\"\nMEDIA_URL = \"/static/media/\""),
               Example("DEBUG = True\nSTATIC_URL = \"/static/\"\nMEDIA_URL = \"/media/\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot["DEBUG"]?.isTruthy ?? false,
              let staticURL = judgedURL(snapshot, "STATIC_URL"), let mediaURL = judgedURL(snapshot, "MEDIA_URL"),
              !staticURL.isEmpty, !mediaURL.isEmpty, mediaURL != staticURL, mediaURL.hasPrefix(staticURL) else { return [] }
        return [Finding("runserver can't serve media if MEDIA_URL is within STATIC_URL.",
                        setting: snapshot.lastSet("MEDIA_URL", "STATIC_URL"))]
    }
}

public struct RelativeRootRule: Rule {
    public static let description = RuleDescription(
        code: "DJS019", name: "relative-static-or-media-root", severity: .warning,
        summary: "STATIC_ROOT or MEDIA_ROOT is a relative path.",
        rationale: """
            Django resolves it against the process's working directory, so collectstatic run from \
            another directory (a cron job, a container with a different WORKDIR) writes elsewhere. \
            Build it from BASE_DIR instead.
            """,
        bad: [Example("STATIC_ROOT = \"staticfiles\""), Example("MEDIA_ROOT = \"media/\"")],
        good: [Example("from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent\nSTATIC_ROOT = BASE_DIR / \"staticfiles\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        return ["STATIC_ROOT", "MEDIA_ROOT"].compactMap { name in
            guard let value = snapshot[name], value.isTruthy, !value.dependsOnUnsetEnvironment,
                  let text = value.pathText, !text.hasPrefix("/") else { return nil }
            return Finding("\(name) \(value.pythonRepr) is relative: it resolves against the working directory "
                           + "(from \(context.projectRoot) it is \(PyPath.abspath(text, cwd: context.projectRoot)))",
                           setting: name, hints: ["use an absolute path, e.g. BASE_DIR / \(SettingValue.quote(text))"])
        }
    }
}

public struct StaticURLMalformedRule: Rule {
    public static let description = RuleDescription(
        code: "DJS023", name: "static-url-double-slash-or-space", severity: .warning,
        summary: "The STATIC_URL path contains '//' or whitespace.",
        rationale: """
            Usually a template mistake such as f"https://{DOMAIN}/{PREFIX}/static/" with an empty \
            PREFIX or a DOMAIN ending in '/'. Object stores treat '//' as a different key.
            """,
        bad: [Example(#"STATIC_URL = "https://cdn.example.com//static/""#), Example(#"STATIC_URL = "/static /""#)],
        good: [Example(#"STATIC_URL = "https://cdn.example.com/static/""#), Example(#"STATIC_URL = "//cdn.example.com/static/""#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let url = judgedURL(snapshot, "STATIC_URL") else { return [] }
        var path = Substring(url)
        if let scheme = url.range(of: "://") {
            path = url[scheme.upperBound...].drop { $0 != "/" }
        } else if url.hasPrefix("//") {  // scheme-relative: //host/path
            path = url.dropFirst(2).drop { $0 != "/" }
        }
        let doubled = path.contains("//")
        let spaced = url.contains { $0.isWhitespace }
        guard doubled || spaced else { return [] }
        return [Finding("STATIC_URL \(SettingValue.quote(url)) contains " + (doubled ? "'//' in its path" : "whitespace"),
                        setting: "STATIC_URL")]
    }
}
