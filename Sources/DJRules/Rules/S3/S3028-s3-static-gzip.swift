import DJSettings

public struct S3StaticGzipRule: Rule {
    public static let description = RuleDescription(
        code: "S3028", name: "s3-static-gzip", severity: .info,
        summary: "The staticfiles S3 storage gzips files on upload (gzip / AWS_IS_GZIPPED).",
        rationale: """
            S3 stores one representation and serves the gzipped bytes to every client (no content \
            negotiation); a CDN such as CloudFront can compress per request instead. Collectfast's hash \
            of a gzipped file never matches, so it re-uploads them on a cold cache.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket, before: "↓AWS_IS_GZIPPED = True")],
        good: [BackendExamples.example()])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], staticOnly: true, option: "gzip",
                             "S3 serves the gzipped bytes to every client (no negotiation); CloudFront can compress instead. Collectfast re-uploads these files on a cold cache.") {
            $0.truthy("gzip") == true
        }
    }
}
