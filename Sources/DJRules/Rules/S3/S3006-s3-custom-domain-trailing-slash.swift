import DJSettings
import Foundation

public struct S3CustomDomainTrailingSlashRule: Rule {
    public static let description = RuleDescription(
        code: "S3006", name: "s3-custom-domain-trailing-slash", severity: .error,
        summary: "custom_domain (AWS_S3_CUSTOM_DOMAIN) ends with '/'.",
        rationale: """
            The seed article warns "Must NOT end in slash!": django-storages appends '/' + key, so \
            'cdn.example.com/' gives 'https://cdn.example.com//static/css/site.css'. The CDN or bucket \
            looks up a key starting with '/', which does not exist (403/404 for every static file).
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", ↓"custom_domain": "cdn.example.com/""#,
                                 staticURL: "https://cdn.example.com/static/"),
              BackendExamples.example(BackendExamples.bucket, before: #"↓AWS_S3_CUSTOM_DOMAIN = "cdn.example.com/""#,
                                 staticURL: "https://cdn.example.com/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com""#,
                                  staticURL: "https://cdn.example.com/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard let domain = configuration.text("custom_domain"), domain.hasSuffix("/"), !domain.contains("://")
            else { return [] }
            let trimmed = String(domain.reversed().drop { $0 == "/" }.reversed())
            return [BackendIssue(message: "custom_domain must not end with \"/\"; URLs would contain \"//\".",
                                 option: "custom_domain", hints: ["use \(SettingValue.quote(trimmed))"])]
        }
    }
}
