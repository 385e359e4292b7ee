import DJSettings

public struct AzureStaticExpiringURLsRule: Rule {
    public static let description = RuleDescription(
        code: "AZ002", name: "azure-static-expiring-urls", severity: .info,
        summary: "The staticfiles AzureStorage has expiration_secs (AZURE_URL_EXPIRATION_SECS) set.",
        rationale: """
            With an expiry AzureStorage appends a SAS token to every URL: static URLs change on every \
            render, defeat caching, and expire in cached pages.
            """,
        bad: [BackendExamples.example(#""account_name": "assets", "azure_container": "static", ↓"expiration_secs": 3600"#,
                                      backend: azure, staticURL: "https://assets.blob.core.windows.net/static/")],
        good: [BackendExamples.example(#""account_name": "assets", "azure_container": "static""#, backend: azure,
                                       staticURL: "https://assets.blob.core.windows.net/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.azure], staticOnly: true, option: "expiration_secs",
                             "Static URLs will carry expiring SAS tokens.") { $0.judged("expiration_secs") != nil }
    }
}
