import DJSettings

public struct WhiteNoiseNothingToServeRule: Rule {
    public static let description = RuleDescription(
        code: "WN003", name: "whitenoise-without-static-root", severity: .error,
        summary: "WhiteNoiseMiddleware has no directory to serve: no STATIC_ROOT, no finders, no WHITENOISE_ROOT.",
        rationale: """
            WhiteNoise indexes STATIC_ROOT at start-up (and the finders only when WHITENOISE_USE_FINDERS, \
            which defaults to DEBUG). With STATIC_ROOT unset it silently serves nothing: every static \
            URL falls through to Django and 404s. A storage OPTIONS location does not count: WhiteNoise \
            reads STATIC_ROOT itself.
            """,
        bad: [Example("↓" + middleware + "\nSTATIC_URL = \"/static/\"")],
        good: [
            Example(middleware + "\nSTATIC_URL = \"/static/\"\nSTATIC_ROOT = \"/srv/static\""),
            Example(middleware + "\nDEBUG = True\nSTATIC_URL = \"/static/\""),
        ])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.hasWhiteNoiseMiddleware,
              !(snapshot["STATIC_ROOT"]?.isTruthy ?? false),
              !snapshot.whiteNoiseFlagDefaultingToDebug("WHITENOISE_USE_FINDERS"),
              !(snapshot["WHITENOISE_ROOT"]?.isTruthy ?? false) else { return [] }
        let finders = snapshot.isExplicit("WHITENOISE_USE_FINDERS") ? "WHITENOISE_USE_FINDERS is off"
            : "WHITENOISE_USE_FINDERS follows DEBUG, which is off"
        var hints = [finders + ", so only STATIC_ROOT would be served"]
        if snapshot.storageOptions("staticfiles")?["location"]?.isTruthy ?? false {
            hints.append("STORAGES['staticfiles'] OPTIONS set a location, but WhiteNoise serves settings.STATIC_ROOT only")
        }
        return [Finding("WhiteNoise has no directory to serve (set STATIC_ROOT and run collectstatic).",
                        setting: snapshot.isExplicit("STATIC_ROOT") ? "STATIC_ROOT" : "MIDDLEWARE", hints: hints)]
    }
}
