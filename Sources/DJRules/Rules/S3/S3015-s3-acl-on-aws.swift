import DJSettings
import Foundation

public struct S3ACLRule: Rule {
    public static let description = RuleDescription(
        code: "S3015", name: "s3-acl-on-aws", severity: .warning,
        summary: "An AWS S3 storage sends an object ACL (default_acl / AWS_DEFAULT_ACL or object_parameters['ACL']).",
        rationale: """
            Buckets created since April 2023 have ACLs disabled (Object Ownership "bucket owner \
            enforced"): every PutObject carrying x-amz-acl fails with AccessControlListNotSupported, so \
            collectstatic crashes. Old tutorials still set AWS_DEFAULT_ACL = "public-read".
            """,
        bad: [BackendExamples.example(BackendExamples.bucket, before: #"↓AWS_DEFAULT_ACL = "public-read""#),
              BackendExamples.example(BackendExamples.bucket + #", ↓"object_parameters": {"ACL": "public-read"}"#)],
        good: [BackendExamples.example(BackendExamples.bucket, before: "AWS_DEFAULT_ACL = None"),
               BackendExamples.example(BackendExamples.bucket + #", "default_acl": "public-read", "endpoint_url": "https://minio.example.com", "region_name": "us-east-1""#,
                                  staticURL: "https://minio.example.com/assets/static/")])

    public init() {}

    /// The message of both findings (default_acl, object_parameters['ACL']).
    static let message = "Buckets created since 2023 have ACLs disabled; uploads carrying an ACL fail with "
        + "AccessControlListNotSupported. Prefer a bucket policy and default_acl=None."

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard configuration.isAWS == true else { return [] }
            var issues: [BackendIssue] = []
            if configuration.truthy("default_acl") == true, configuration.keys("object_parameters")?.contains("ACL") != true {
                issues.append(BackendIssue(message: Self.message, option: "default_acl"))
            }
            if configuration.keys("object_parameters")?.contains("ACL") == true {
                issues.append(BackendIssue(message: Self.message, option: "object_parameters"))
            }
            return issues
        }
    }
}
