import DJSettings

public struct FinderImportRule: Rule {
    public static let description = RuleDescription(
        code: "DJS021", name: "staticfiles-finder-unimportable", severity: .error,
        summary: "A STATICFILES_FINDERS entry cannot be imported or is not a finder.",
        rationale: "Django imports every finder when checks run and when collecting; one bad entry stops both.",
        mirrors: "ImportError / ImproperlyConfigured",
        bad: [Example(#"STATICFILES_FINDERS = [↓"django.contrib.staticfiles.finders.FilesystemFinder"]"#),
              Example(#"STATICFILES_FINDERS = [↓"django.core.files.storage.FileSystemStorage"]"#)],
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
