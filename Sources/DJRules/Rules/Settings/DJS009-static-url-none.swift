import DJSettings

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
        bad: [Example("↓" + staticfilesApps), Example(staticfilesApps + "\n↓STATIC_URL = None")],
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
