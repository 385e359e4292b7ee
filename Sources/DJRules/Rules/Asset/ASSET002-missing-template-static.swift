import DJSettings

/// ASSET002: a template's literal `{% static %}` path that no finder provides.
public struct MissingTemplateStaticRule: Rule {
    public static let description = RuleDescription(
        code: "ASSET002", name: "missing-template-static", severity: .error,
        summary: "A literal path in a template's {% static %} (or Jinja2's static()) names a file no finder provides.",
        rationale: """
            With a manifest storage, `{% static "img/logo.png" %}` looks the path up in \
            staticfiles.json when the page renders: a path collectstatic never collected raises \
            ValueError, a 500 in production on that page only. The templates are read with Django's \
            own template lexer (every engine's DIRS and, with APP_DIRS, every app's templates/; \
            Jinja2 environments that define `static`); paths given as variables are skipped. Error \
            with a manifest storage (strict: the exact manifest key), warning otherwise (a 404). \
            Opt-in with the other ASSET rules.
            """,
        mirrors: "ValueError: Missing staticfiles manifest entry for '…'",
        optIn: true, requires: .assets,
        bad: [
            Example(AssetExamples.settings(storage: AssetExamples.manifest, templates: true),
                    files: ["templates/base.html": "{% load static %}\n<img src=\"{% static ↓'img/missing.png' %}\">\n"]),
        ],
        good: [
            Example(AssetExamples.settings(storage: AssetExamples.manifest, templates: true),
                    files: ["templates/base.html": "{% load static %}\n<img src=\"{% static 'img/logo.png' %}\">{% static name %}\n",
                            "assets/img/logo.png": "png"]),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let scan = AssetScan.of(context) else { return [] }
        if let reason = scan.unavailable {
            return [Finding("the asset audit cannot run: \(reason)", setting: "STATICFILES_FINDERS")]
        }
        return scan.problems.filter { $0.kind == .template }.map {
            Finding($0.message, at: $0.location, hints: ["collect the file, or fix the path in the template"],
                    severity: $0.severity)
        }
    }
}
