import DJSettings

public struct RunserverNostaticOrderRule: Rule {
    public static let description = RuleDescription(
        code: "WN014", name: "whitenoise-runserver-nostatic-order", severity: .warning,
        summary: "whitenoise.runserver_nostatic comes after django.contrib.staticfiles in INSTALLED_APPS.",
        rationale: """
            Django takes each management command from the first app that provides it: listed after \
            staticfiles, its runserver wins and keeps serving static files itself, so development \
            does not exercise WhiteNoise.
            """,
        bad: [Example(#"INSTALLED_APPS = ["django.contrib.staticfiles", ↓"whitenoise.runserver_nostatic"]"#)],
        good: [Example(#"INSTALLED_APPS = ["whitenoise.runserver_nostatic", "django.contrib.staticfiles"]"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let order = context.snapshot?.listedAfterStaticfiles("whitenoise.runserver_nostatic") else { return [] }
        return [Finding("Must come before django.contrib.staticfiles to take effect.",
                        setting: "INSTALLED_APPS", entry: "whitenoise.runserver_nostatic",
                        hints: ["whitenoise.runserver_nostatic is INSTALLED_APPS[\(order.app)], django.contrib.staticfiles INSTALLED_APPS[\(order.staticfiles)]"])]
    }
}
