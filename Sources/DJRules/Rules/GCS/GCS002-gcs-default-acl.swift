import DJSettings

public struct GCSDefaultACLRule: Rule {
    public static let description = RuleDescription(
        code: "GCS002", name: "gcs-default-acl", severity: .info,
        summary: "GoogleCloudStorage with default_acl / GS_DEFAULT_ACL set.",
        rationale: """
            Buckets with uniform bucket-level access (the default for new buckets) reject per-object ACLs: \
            every upload fails with "Cannot insert legacy ACL for an object when uniform bucket-level \
            access is enabled". Grant public read through IAM and turn querystring_auth off instead.
            """,
        bad: [BackendExamples.example(#""bucket_name": "assets", "location": "static""#, backend: gcs,
                                      before: #"↓GS_DEFAULT_ACL = "publicRead""#, staticURL: gcsURL)],
        good: [BackendExamples.example(#""bucket_name": "assets", "location": "static", "querystring_auth": False"#,
                                       backend: gcs, staticURL: gcsURL)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.gcs], option: "default_acl",
                             "Fails on buckets with uniform bucket-level access (\"Cannot insert legacy ACL…\"); use IAM + querystring_auth=False.") {
            $0.truthy("default_acl") == true
        }
    }
}
