import DJSettings
import Foundation

let staticfilesApps = #"INSTALLED_APPS = ["django.contrib.staticfiles"]"#

/// STATICFILES_DIRS, when it is a list or tuple (DJS013 reports the other case; Django then
/// skips every per-entry check, and so do these rules).
func dirsEntries(_ context: RuleContext) -> (SettingsSnapshot, [StaticfilesDirsEntry])? {
    guard let snapshot = context.snapshot, snapshot["STATICFILES_DIRS"]?.sequence != nil,
          !(snapshot["STATICFILES_DIRS"]?.dependsOnUnsetEnvironment ?? false) else { return nil }
    return (snapshot, snapshot.staticfilesDirsEntries)
}

/// DJS001/DJS002: a legacy storage setting that Django ≥ 5.1 ignores.
struct LegacyStorageSetting {
    var setting: String
    var alias: String

    func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, context.djangoVersion >= DjangoVersion(5, 1),
              let legacy = snapshot.raw[setting] else { return [] }
        let backend = snapshot.storageBackend(alias)
        let consequence = backend.map { SettingValue.string($0) } == legacy
            ? "it names the backend STORAGES['\(alias)'] already uses, so it only misleads: remove it"
            : "STORAGES['\(alias)'] is used instead, which is \(backend.map { "'\($0)'" } ?? "no backend"), "
                + "not \(legacy.pythonRepr)"
        return [Finding(
            "\(setting) is ignored since Django 5.1 (target \(context.djangoVersion)): " + consequence,
            setting: setting,
            hints: ["move it into STORAGES = {\"\(alias)\": {\"BACKEND\": \(legacy.pythonRepr)}, ...}; "
                    + "`djstatic migrate` rewrites the settings file so, proven equivalent"])]
    }
}

/// The effective URL value to judge, unless it was derived from an unset environment variable.
func judgedURL(_ snapshot: SettingsSnapshot, _ name: String) -> String? {
    guard let value = snapshot[name], !value.dependsOnUnsetEnvironment else { return nil }
    return value.string
}

/// "(the raw setting 'static' becomes '/static' with the script prefix)" when they differ.
func effectiveNote(_ snapshot: SettingsSnapshot, _ name: String, _ effective: String) -> [String] {
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
