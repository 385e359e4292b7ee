import DJSettings

public struct S3StaticEmptyLocationRule: Rule {
    public static let description = RuleDescription(
        code: "S3021", name: "s3-static-empty-location", severity: .warning,
        summary: "The staticfiles S3 storage writes to the bucket root (empty location).",
        rationale: """
            collectstatic --clear asks the storage whether '' exists, which becomes an empty S3 key: \
            botocore raises ParamValidationError and the command crashes. A prefix such as 'static' also \
            keeps static files apart from anything else in the bucket.
            """,
        bad: [BackendExamples.example(#""bucket_name": "assets""#, staticURL: "https://assets.s3.amazonaws.com/", marking: .backend)],
        good: [BackendExamples.example()])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], staticOnly: true, option: "location",
                             "collectstatic --clear crashes with an empty location (empty S3 key).",
                             hints: ["set location (e.g. \"static\") in OPTIONS"]) { $0.text("location") == "" }
    }
}
