import DJSettings

public struct S3StaticSignedURLsRule: Rule {
    public static let description = RuleDescription(
        code: "S3013", name: "s3-static-signed-urls", severity: .warning,
        summary: "The staticfiles storage signs its URLs (S3Storage's querystring_auth default) without a custom domain.",
        rationale: """
            Signed URLs expire after querystring_expire seconds (1 hour): cached pages then reference \
            dead links, every page render differs, and files referenced from CSS (fonts, images) are \
            requested unsigned and fail on a private bucket. Static files want S3StaticStorage (or \
            querystring_auth=False) and a bucket policy that allows public reads.
            """,
        bad: [BackendExamples.example(backend: BackendExamples.storage, marking: .backend),
              BackendExamples.example(BackendExamples.bucket + #", ↓"querystring_auth": True"#)],
        good: [BackendExamples.example(),
               BackendExamples.example(BackendExamples.bucket + #", "querystring_auth": False"#, backend: BackendExamples.storage)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], staticOnly: true, option: "querystring_auth",
                             "Static URLs will be signed and expire after querystring_expire seconds; files referenced from CSS will be unsigned. Use S3StaticStorage / querystring_auth=False with a public-read bucket policy.") {
            $0.truthy("querystring_auth") == true && $0.truthy("custom_domain") == false
        }
    }
}
