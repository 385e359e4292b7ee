import DJSettings

public struct GCSStaticSignedURLsRule: Rule {
    public static let description = RuleDescription(
        code: "GCS001", name: "gcs-static-signed-urls", severity: .warning,
        summary: "The staticfiles GoogleCloudStorage signs its URLs (querystring_auth on, default_acl not publicRead).",
        rationale: """
            GoogleCloudStorage returns a V4-signed URL unless the object ACL is publicRead or \
            querystring_auth is off: static URLs then expire after GS_EXPIRATION (one day), change on \
            every render, and need credentials able to sign (a service-account key or iam_sign_blob) on \
            every web process.
            """,
        bad: [BackendExamples.example(#""bucket_name": "assets", "location": "static""#, backend: gcs, staticURL: gcsURL, marking: .backend)],
        good: [BackendExamples.example(#""bucket_name": "assets", "location": "static", "querystring_auth": False"#,
                                       backend: gcs, staticURL: gcsURL)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.gcs], staticOnly: true, option: "querystring_auth",
                             "Static URLs will be V4-signed (expire after GS_EXPIRATION) and need signing-capable credentials; set querystring_auth=False for a public bucket.") {
            guard $0.truthy("querystring_auth") == true, let acl = $0["default_acl"] else { return false }
            return !acl.dependsOnUnsetEnvironment && acl != .string("publicRead")
        }
    }
}
