import DJSettings

public struct S3PlainHTTPRule: Rule {
    public static let description = RuleDescription(
        code: "S3008", name: "s3-url-protocol-http", severity: .warning,
        summary: "Static URLs on the custom domain use http://.",
        rationale: """
            With url_protocol 'http:' every URL on the custom domain is plain HTTP: browsers block \
            scripts and styles from it on HTTPS pages (mixed content), and the files travel unprotected.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com", ↓"url_protocol": "http:""#,
                                 staticURL: "http://cdn.example.com/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com""#,
                                  staticURL: "https://cdn.example.com/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], option: "url_protocol", "Static URLs will be http:// — mixed content on HTTPS pages.",
                             hints: ["use url_protocol \"https:\" (the default)"]) {
            $0.text("url_protocol") == "http:" && $0.truthy("custom_domain") == true
        }
    }
}
