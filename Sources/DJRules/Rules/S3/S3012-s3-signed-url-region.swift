import DJSettings

public struct S3SignedURLRegionRule: Rule {
    public static let description = RuleDescription(
        code: "S3012", name: "s3-signed-url-region", severity: .info,
        summary: "Signed S3 URLs without region_name and signature_version.",
        rationale: """
            With querystring_auth on (S3Storage's default) URLs are presigned by botocore. Without an \
            explicit region and signature_version it was observed to produce legacy SigV2 URLs for \
            us-east-1 and SigV4 elsewhere, and regions opened after 2014 reject SigV2. Setting both makes \
            the URLs predictable.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket, backend: BackendExamples.storage, marking: .backend)],
        good: [BackendExamples.example(BackendExamples.bucket + #", "region_name": "eu-west-1", "signature_version": "s3v4""#,
                                  backend: BackendExamples.storage),
               BackendExamples.example(BackendExamples.bucket)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard configuration.truthy("endpoint_url") == false, configuration.truthy("querystring_auth") == true,
                  configuration.truthy("custom_domain") == false, configuration.truthy("client_config") == false
            else { return [] }
            let missing = ["region_name", "signature_version"].filter { configuration.truthy($0) == false }
            guard !missing.isEmpty else { return [] }
            return [BackendIssue(
                message: "Signed URLs: set region_name and signature_version=\"s3v4\" (observed SigV2 URLs for us-east-1 otherwise).",
                option: "querystring_auth", hints: ["unset: " + missing.joined(separator: ", ")])]
        }
    }
}
