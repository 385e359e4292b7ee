import DJSettings

public struct GCSLocationLeadingSlashRule: Rule {
    public static let description = RuleDescription(
        code: "GCS003", name: "gcs-location-leading-slash", severity: .error,
        summary: "The effective location of a GoogleCloudStorage starts with '/'.",
        rationale: "GoogleCloudStorage refuses a location starting with '/' when it is created (ImproperlyConfigured), like the S3 backend.",
        mirrors: "ImproperlyConfigured",
        bad: [BackendExamples.example(#""bucket_name": "assets", ↓"location": "/static""#, backend: gcs, staticURL: gcsURL)],
        good: [BackendExamples.example(#""bucket_name": "assets", "location": "static""#, backend: gcs, staticURL: gcsURL)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] { LeadingSlashLocation(family: .gcs).check(context) }
}
