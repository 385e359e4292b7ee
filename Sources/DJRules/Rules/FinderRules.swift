import PythonStdlib
import DJStaticFiles
import DJSettings
import Foundation

/// STATICFILES_DIRS, when it is a list or tuple (DJS013 reports the other case; Django then
/// skips every per-entry check, and so do these rules).
private func dirsEntries(_ context: RuleContext) -> (SettingsSnapshot, [StaticfilesDirsEntry])? {
    guard let snapshot = context.snapshot, snapshot["STATICFILES_DIRS"]?.sequence != nil,
          !(snapshot["STATICFILES_DIRS"]?.dependsOnUnsetEnvironment ?? false) else { return nil }
    return (snapshot, snapshot.staticfilesDirsEntries)
}

public struct StaticfilesDirsNotListRule: Rule {
    public static let description = RuleDescription(
        code: "DJS013", name: "staticfiles-dirs-not-list", severity: .error,
        summary: "STATICFILES_DIRS is not a list or tuple.",
        rationale: "A bare string is iterated character by character; Django's check refuses it.",
        mirrors: "staticfiles.E001",
        bad: [Example(#"STATICFILES_DIRS = ("/srv/assets")"#)],
        good: [Example(#"STATICFILES_DIRS = ("/srv/assets",)"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let value = snapshot["STATICFILES_DIRS"], value.sequence == nil else { return [] }
        return [Finding("The STATICFILES_DIRS setting is not a tuple or list. (staticfiles.E001)",
                        setting: "STATICFILES_DIRS", hints: ["Perhaps you forgot a trailing comma?"])]
    }
}

public struct StaticfilesDirsContainsStaticRootRule: Rule {
    public static let description = RuleDescription(
        code: "DJS014", name: "staticfiles-dirs-contains-static-root", severity: .error,
        summary: "STATICFILES_DIRS contains STATIC_ROOT.",
        rationale: "collectstatic would read its own output as input, copying files onto themselves.",
        mirrors: "staticfiles.E002",
        bad: [Example("STATIC_ROOT = \"/srv/static\"\nSTATICFILES_DIRS = [\"/srv/static/\"]")],
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

public struct StaticRootNestedInDirsRule: Rule {
    public static let description = RuleDescription(
        code: "DJS015", name: "static-root-nested-in-staticfiles-dirs", severity: .warning,
        summary: "STATIC_ROOT is inside a STATICFILES_DIRS directory, or contains one.",
        rationale: """
            Django only checks equality. With nesting, each collectstatic run finds the previous \
            run's output (hashed copies of hashed copies) or collects into its own sources.
            """,
        bad: [Example("STATIC_ROOT = \"/srv/assets/collected\"\nSTATICFILES_DIRS = [\"/srv/assets\"]"),
              Example("STATIC_ROOT = \"/srv\"\nSTATICFILES_DIRS = [(\"vendor\", \"/srv/assets\")]")],
        good: [Example("STATIC_ROOT = \"/srv/collected\"\nSTATICFILES_DIRS = [\"/srv/assets\"]")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let (snapshot, entries) = dirsEntries(context), let root = snapshot["STATIC_ROOT"], root.isTruthy,
              let rootText = root.pathText else { return [] }
        let staticRoot = PyPath.abspath(rootText, cwd: context.projectRoot)
        return entries.compactMap { entry in
            guard !entry.malformed, let text = entry.root.pathText else { return nil }
            let directory = PyPath.abspath(text, cwd: context.projectRoot)
            if PyPath.isStrictlyInside(staticRoot, directory) {
                return Finding("STATIC_ROOT \(staticRoot) is inside STATICFILES_DIRS entry \(directory): "
                               + "collectstatic will collect its own output", setting: snapshot.lastSet("STATIC_ROOT", "STATICFILES_DIRS"))
            }
            if PyPath.isStrictlyInside(directory, staticRoot) {
                return Finding("STATICFILES_DIRS entry \(directory) is inside STATIC_ROOT \(staticRoot): "
                               + "collectstatic writes over its own sources (and --clear deletes them)",
                               setting: snapshot.lastSet("STATICFILES_DIRS", "STATIC_ROOT"), entry: text)
            }
            return nil
        }
    }
}

public struct PrefixTrailingSlashRule: Rule {
    public static let description = RuleDescription(
        code: "DJS016", name: "staticfiles-dirs-prefix-trailing-slash", severity: .error,
        summary: "A (prefix, path) STATICFILES_DIRS entry has a prefix ending with '/'.",
        rationale: "The prefix is joined with '/', so 'vendor/' produces 'vendor//file.js' paths.",
        mirrors: "staticfiles.E003",
        bad: [Example(#"STATICFILES_DIRS = [("vendor/", "/srv/vendor")]"#)],
        good: [Example(#"STATICFILES_DIRS = [("vendor", "/srv/vendor")]"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let (_, entries) = dirsEntries(context) else { return [] }
        return entries.compactMap { entry in
            guard let prefix = entry.prefix?.string, prefix.hasSuffix("/") else { return nil }
            return Finding("The prefix \(SettingValue.quote(prefix)) in the STATICFILES_DIRS setting must not end with a slash. (staticfiles.E003)",
                           setting: "STATICFILES_DIRS")
        }
    }
}

public struct StaticfilesDirMissingRule: Rule {
    public static let description = RuleDescription(
        code: "DJS017", name: "staticfiles-dir-missing", severity: .warning,
        summary: "A STATICFILES_DIRS directory does not exist.",
        rationale: """
            The finder skips it silently, so a front-end build output that was not produced (or a \
            path computed from the wrong BASE_DIR) just disappears from the deploy.
            """,
        mirrors: "staticfiles.W004",
        bad: [Example(#"STATICFILES_DIRS = ["/nonexistent/djstatic-example/assets"]"#)],
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

public struct StaticfilesDirsEntryShapeRule: Rule {
    public static let description = RuleDescription(
        code: "DJS018", name: "staticfiles-dirs-entry-not-pair", severity: .error,
        summary: "A list/tuple STATICFILES_DIRS entry does not have exactly two items.",
        rationale: """
            FileSystemFinder unpacks list/tuple entries as (prefix, path); any other length raises \
            ValueError while the finder is built, crashing check and collectstatic.
            """,
        bad: [Example(#"STATICFILES_DIRS = [("vendor", "/srv/vendor", "extra")]"#), Example(#"STATICFILES_DIRS = [["/srv/a"]]"#)],
        good: [Example(#"STATICFILES_DIRS = [("vendor", "/srv/vendor"), "/srv/assets"]"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let (_, entries) = dirsEntries(context) else { return [] }
        return entries.filter(\.malformed).map { entry in
            let count = entry.root.sequence?.count ?? 0
            return Finding("STATICFILES_DIRS[\(entry.index)] \(entry.root.pythonRepr) has \(count) item\(count == 1 ? "" : "s"): "
                           + "Django unpacks it as (prefix, path) and raises ValueError",
                           setting: "STATICFILES_DIRS")
        }
    }
}

public struct FileSystemFinderMissingRule: Rule {
    public static let description = RuleDescription(
        code: "DJS020", name: "staticfiles-dirs-without-filesystem-finder", severity: .warning,
        summary: "STATICFILES_DIRS is non-empty but FileSystemFinder is not in STATICFILES_FINDERS.",
        rationale: "Only FileSystemFinder reads STATICFILES_DIRS: those directories are never collected.",
        bad: [Example(#"""
            STATICFILES_DIRS = ["/srv/assets"]
            STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.AppDirectoriesFinder"]
            """#)],
        good: [Example(#"STATICFILES_DIRS = ["/srv/assets"]"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let dirs = snapshot["STATICFILES_DIRS"]?.sequence, !dirs.isEmpty,
              let finders = snapshot["STATICFILES_FINDERS"]?.sequence else { return [] }
        let hasFileSystemFinder = finders.contains {
            snapshot.entry($0.string, isSubclassOf: "django.contrib.staticfiles.finders.FileSystemFinder")
        }
        guard !hasFileSystemFinder else { return [] }
        return [Finding("STATICFILES_DIRS lists \(dirs.count) director\(dirs.count == 1 ? "y" : "ies") but "
                        + "STATICFILES_FINDERS has no FileSystemFinder: they are never collected",
                        setting: "STATICFILES_FINDERS",
                        hints: ["add \"django.contrib.staticfiles.finders.FileSystemFinder\""])]
    }
}

public struct FinderImportRule: Rule {
    public static let description = RuleDescription(
        code: "DJS021", name: "staticfiles-finder-unimportable", severity: .error,
        summary: "A STATICFILES_FINDERS entry cannot be imported or is not a finder.",
        rationale: "Django imports every finder when checks run and when collecting; one bad entry stops both.",
        mirrors: "ImportError / ImproperlyConfigured",
        bad: [Example(#"STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FilesystemFinder"]"#),
              Example(#"STATICFILES_FINDERS = ["django.core.files.storage.FileSystemStorage"]"#)],
        good: [Example(#"STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        return (snapshot["STATICFILES_FINDERS"]?.sequence ?? []).compactMap(\.string).compactMap { finder in
            guard case .some(.some(let problem)) = snapshot.finderProblems[finder] else { return nil }
            return Finding("STATICFILES_FINDERS entry '\(finder)': \(problem)", setting: "STATICFILES_FINDERS", entry: finder)
        }
    }
}

public struct InstalledAppImportRule: Rule {
    public static let description = RuleDescription(
        code: "DJS024", name: "installed-app-unimportable", severity: .error,
        summary: "An INSTALLED_APPS entry cannot be imported.",
        rationale: """
            django.setup() imports every app first; AppDirectoriesFinder and collectstatic need each \
            app's directory. A missing package (not in the image's requirements) stops everything.
            """,
        mirrors: "ImportError",
        bad: [Example(#"INSTALLED_APPS = ["django.contrib.staticfiles", "djstatic_example_missing_app"]"#)],
        good: [Example(#"INSTALLED_APPS = ["django.contrib.staticfiles", "django.contrib.admin.apps.SimpleAdminConfig"]"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        return (snapshot["INSTALLED_APPS"]?.sequence ?? []).compactMap(\.string).compactMap { app in
            guard case .some(.some(let problem)) = snapshot.appProblems[app] else { return nil }
            return Finding("INSTALLED_APPS entry '\(app)': \(problem)", setting: "INSTALLED_APPS", entry: app)
        }
    }
}
