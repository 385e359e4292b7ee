import DJSettings

public struct S3BucketMissingRule: Rule {
    public static let description = RuleDescription(
        code: "S3002", name: "s3-bucket-missing", severity: .error,
        summary: "An S3 storage has no bucket (bucket_name / AWS_STORAGE_BUCKET_NAME).",
        rationale: """
            The storage is created without complaint, but the first upload or URL fails with botocore's \
            "Required parameter name not set": collectstatic crashes and every {% static %} raises.
            """,
        bad: [BackendExamples.example(#""location": "static""#, marking: .backend),
              BackendExamples.example(#""location": "static""#, before: #"↓AWS_STORAGE_BUCKET_NAME = """#)],
        good: [BackendExamples.example(),
               BackendExamples.example(#""location": "static""#, before: #"AWS_STORAGE_BUCKET_NAME = "assets""#)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], option: "bucket_name",
                             "No bucket configured (bucket_name / AWS_STORAGE_BUCKET_NAME); URL generation fails with \"Required parameter name not set\".") {
            $0.truthy("bucket_name") == false
        }
    }
}
