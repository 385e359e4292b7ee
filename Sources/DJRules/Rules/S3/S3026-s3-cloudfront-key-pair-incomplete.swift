import DJSettings

public struct S3CloudFrontKeyPairRule: Rule {
    public static let description = RuleDescription(
        code: "S3026", name: "s3-cloudfront-key-pair-incomplete", severity: .error,
        summary: "Only one of cloudfront_key_id / cloudfront_key (AWS_CLOUDFRONT_KEY_ID / AWS_CLOUDFRONT_KEY) is set.",
        rationale: "django-storages needs both to sign CloudFront URLs and refuses to create the storage with one of them.",
        mirrors: "ImproperlyConfigured",
        bad: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com", ↓"cloudfront_key_id": "K2JCJMDEHXQW5F""#,
                                 staticURL: "https://cdn.example.com/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com""#,
                                  staticURL: "https://cdn.example.com/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard configuration.options["cloudfront_signer"] == nil,
                  let id = configuration.truthy("cloudfront_key_id"), let key = configuration.truthy("cloudfront_key"),
                  id != key else { return [] }
            return [BackendIssue(
                message: "Both AWS_CLOUDFRONT_KEY_ID/cloudfront_key_id and AWS_CLOUDFRONT_KEY/cloudfront_key must be provided together.",
                option: id ? "cloudfront_key_id" : "cloudfront_key")]
        }
    }
}
