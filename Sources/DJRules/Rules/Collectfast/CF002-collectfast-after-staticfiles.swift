import DJSettings

public struct CollectfastAppOrderRule: Rule {
    public static let description = RuleDescription(
        code: "CF002", name: "collectfast-after-staticfiles", severity: .warning,
        summary: "collectfast (or collectfasta) comes after django.contrib.staticfiles in INSTALLED_APPS.",
        rationale: """
            Django takes the collectstatic command from the first app that provides it: listed after \
            staticfiles, Collectfast's command is never used and every deploy uploads as slowly as \
            before, without any message.
            """,
        bad: [Example(#"INSTALLED_APPS = ["django.contrib.staticfiles", ↓"collectfast"]"#
                      + "\n" + s3Static + "\n" + boto3Strategy)],
        good: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        return snapshot.collectfastPackages.compactMap { package in
            guard let order = snapshot.listedAfterStaticfiles(package.app) else { return nil }
            return Finding("\(package.displayName) is inactive: it must precede django.contrib.staticfiles.",
                           setting: "INSTALLED_APPS", entry: package.app,
                           hints: ["\(package.app) is INSTALLED_APPS[\(order.app)], django.contrib.staticfiles INSTALLED_APPS[\(order.staticfiles)]"])
        }
    }
}
