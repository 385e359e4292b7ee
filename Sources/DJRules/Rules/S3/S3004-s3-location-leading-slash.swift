import DJSettings

public struct S3LocationLeadingSlashRule: Rule {
    public static let description = RuleDescription(
        code: "S3004", name: "s3-location-leading-slash", severity: .error,
        summary: "The effective location of an S3 storage starts with '/'.",
        rationale: """
            django-storages refuses a key prefix starting with '/' when the storage is created \
            (ImproperlyConfigured), so collectstatic and {% static %} fail. Global AWS_LOCATION applies \
            to every S3 alias.
            """,
        mirrors: "ImproperlyConfigured",
        bad: [BackendExamples.example(#""bucket_name": "assets", ↓"location": "/static""#),
              BackendExamples.example(#""bucket_name": "assets""#, before: #"↓AWS_LOCATION = "/static/""#)],
        good: [BackendExamples.example()])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] { LeadingSlashLocation(family: .s3).check(context) }
}
