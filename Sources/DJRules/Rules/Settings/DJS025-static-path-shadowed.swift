import DJStaticFiles
import DJSettings
import PythonStdlib

/// DJS025: a static path provided twice; the later copy is never collected.
public struct DuplicateStaticPathRule: Rule {
    public static let description = RuleDescription(
        code: "DJS025", name: "static-path-shadowed", severity: .warning,
        summary: "Two finders (or two roots) provide the same static path; the later one is silently shadowed.",
        rationale: """
            collectstatic keeps the first file for each destination path and only mentions the others \
            at verbosity 1 (2 from Django 6.0), so an edited file that never reaches production, or an \
            app's asset replaced by an unrelated file of the same name, goes unnoticed. Overriding on \
            purpose (e.g. admin CSS) is fine: ignore the finding on that line. Opt-in: it walks every \
            static root after django.setup().
            """,
        optIn: true, requires: .finders,
        bad: [Example("""
            from pathlib import Path
            BASE_DIR = Path(__file__).resolve().parent
            INSTALLED_APPS = ["django.contrib.staticfiles"]
            STATIC_URL = "/static/"
            ↓STATICFILES_DIRS = [BASE_DIR / "theme", BASE_DIR / "assets"]
            """, files: ["theme/css/site.css": "body{}\n", "assets/css/site.css": "p{}\n"])],
        good: [Example("""
            from pathlib import Path
            BASE_DIR = Path(__file__).resolve().parent
            INSTALLED_APPS = ["django.contrib.staticfiles"]
            STATIC_URL = "/static/"
            STATICFILES_DIRS = [BASE_DIR / "theme", ("vendor", BASE_DIR / "assets")]
            """, files: ["theme/css/site.css": "body{}\n", "assets/css/site.css": "p{}\n"])])

    public init() {}

    /// `winner` is collected, `shadowed` is not.
    static func message(path: String, winner: FoundFile, shadowed: FoundFile) -> String {
        "static path '\(path)' is provided by \(winner.source.location)/\(winner.sourcePath) and "
            + "again by \(shadowed.source.location)/\(shadowed.sourcePath); the second is never collected"
    }

    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, case .success(let description)? = snapshot.collect else { return [] }
        let finders = StaticFinders(description)
        var first: [PyStrKey: FoundFile] = [:]
        var findings: [Finding] = []
        try? finders.walk(ignoring: finders.ignorePatterns(extra: [], useDefaults: true)) { file in
            let key = PyStrKey(file.prefixedPath)
            guard let winner = first[key] else {
                first[key] = file
                return
            }
            let shadowedRoot = description.finders.first { $0.roots.contains { $0.location == file.source.location } }
            findings.append(Finding(
                Self.message(path: file.prefixedPath, winner: winner, shadowed: file),
                setting: shadowedRoot?.kind == .appDirectories ? "INSTALLED_APPS" : "STATICFILES_DIRS",
                hints: ["rename one of them, or give one STATICFILES_DIRS entry a (prefix, path) form"]))
        }
        return findings
    }
}
