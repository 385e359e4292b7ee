import DJSettings

public struct InstalledAppImportRule: Rule {
    public static let description = RuleDescription(
        code: "DJS024", name: "installed-app-unimportable", severity: .error,
        summary: "An INSTALLED_APPS entry cannot be imported.",
        rationale: """
            django.setup() imports every app first; AppDirectoriesFinder and collectstatic need each \
            app's directory. A missing package (not in the image's requirements) stops everything.
            """,
        mirrors: "ImportError",
        bad: [Example(#"INSTALLED_APPS = ["django.contrib.staticfiles", ↓"djstatic_example_missing_app"]"#)],
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
