import DJSettings

public struct S3ManifestSignedURLsRule: Rule {
    public static let description = RuleDescription(
        code: "S3014", name: "s3-manifest-signed-urls", severity: .warning,
        summary: "S3ManifestStaticStorage with querystring_auth turned on.",
        rationale: """
            Django's manifest mixin passes the URL S3 returns through urllib.parse.unquote: '%2F' in a \
            SigV4 credential becomes '/', '%2B' in a signature becomes '+', which the server reads as a \
            space. Signed manifest URLs can therefore be corrupted; the class keeps querystring_auth off \
            for a reason.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", ↓"querystring_auth": True"#, backend: BackendExamples.manifestStorage)],
        good: [BackendExamples.example(backend: BackendExamples.manifestStorage)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], option: "querystring_auth",
                             "Manifest storage unquotes generated URLs; signed URLs may be corrupted. Keep querystring_auth=False for static files.") {
            $0.isManifest && $0.truthy("querystring_auth") == true
        }
    }
}
