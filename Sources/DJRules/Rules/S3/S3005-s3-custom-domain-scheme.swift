import DJSettings
import Foundation

public struct S3CustomDomainSchemeRule: Rule {
    public static let description = RuleDescription(
        code: "S3005", name: "s3-custom-domain-scheme", severity: .error,
        summary: "custom_domain (AWS_S3_CUSTOM_DOMAIN) contains a scheme.",
        rationale: """
            URLs are built as url_protocol + '//' + custom_domain + '/' + key, so a domain copied from \
            STATIC_URL with its 'https://' gives 'https://https://cdn.example.com/...' for every static file.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", ↓"custom_domain": "https://cdn.example.com""#,
                                 staticURL: "https://cdn.example.com/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com""#,
                                  staticURL: "https://cdn.example.com/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard let domain = configuration.text("custom_domain"), let range = domain.range(of: "://") else { return [] }
            let host = domain[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            return [BackendIssue(
                message: "custom_domain must be a host name (no scheme); URLs would start with \"https://https://\".",
                option: "custom_domain", hints: ["use \(SettingValue.quote(host)); the scheme comes from url_protocol"])]
        }
    }
}
