import DJSettings

public struct S3ChecksumHeadersRule: Rule {
    public static let description = RuleDescription(
        code: "S3032", name: "s3-endpoint-checksum-headers", severity: .info,
        summary: "An S3-compatible (non-AWS) endpoint_url is configured.",
        rationale: """
            botocore 1.36 started sending CRC32 checksum headers on every upload; several S3-compatible \
            services rejected them (MissingContentLength, XAmzContentSHA256Mismatch, SignatureDoesNotMatch).
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", ↓"endpoint_url": "https://minio.example.com", "region_name": "us-east-1""#,
                                 staticURL: "https://minio.example.com/assets/static/")],
        good: [BackendExamples.example()])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], option: "endpoint_url",
                             "botocore ≥ 1.36 sends CRC32 checksum headers some S3-compatible services reject; set AWS_REQUEST_CHECKSUM_CALCULATION=when_required if uploads fail.") {
            $0.isAWS == false && $0.text("endpoint_url").map(S3EndpointSchemeRule.hasScheme) == true
        }
    }
}
