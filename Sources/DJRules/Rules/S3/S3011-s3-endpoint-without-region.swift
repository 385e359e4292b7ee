import DJSettings

public struct S3EndpointRegionRule: Rule {
    public static let description = RuleDescription(
        code: "S3011", name: "s3-endpoint-without-region", severity: .warning,
        summary: "endpoint_url is set but region_name (AWS_S3_REGION_NAME) is not.",
        rationale: """
            S3-compatible services sign with SigV4 against their own region name ('auto' for R2, 'nyc3' \
            for Spaces, the B2 region); without it botocore signs for us-east-1 and uploads fail with \
            signature or region errors.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", ↓"endpoint_url": "https://nyc3.digitaloceanspaces.com""#,
                                 staticURL: "https://nyc3.digitaloceanspaces.com/assets/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "endpoint_url": "https://nyc3.digitaloceanspaces.com", "region_name": "nyc3""#,
                                  staticURL: "https://nyc3.digitaloceanspaces.com/assets/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], option: "endpoint_url",
                             "Set region_name for S3-compatible endpoints (e.g. \"auto\" for R2, the Spaces/B2 region) to avoid SigV4 region errors.") {
            $0.truthy("endpoint_url") == true && $0.truthy("region_name") == false
        }
    }
}
