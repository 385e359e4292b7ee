import DJSettings
import Foundation

public struct S3EndpointSchemeRule: Rule {
    public static let description = RuleDescription(
        code: "S3009", name: "s3-endpoint-url-without-scheme", severity: .error,
        summary: "endpoint_url (AWS_S3_ENDPOINT_URL) has no http:// or https:// scheme.",
        rationale: """
            botocore needs a full URL for a custom endpoint (MinIO, R2, Spaces): 'minio.example.com:9000' \
            makes every client creation fail with ValueError "Invalid endpoint".
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", ↓"endpoint_url": "minio.example.com:9000", "region_name": "us-east-1""#,
                                 staticURL: "https://minio.example.com:9000/assets/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "endpoint_url": "https://minio.example.com:9000", "region_name": "us-east-1""#,
                                  staticURL: "https://minio.example.com:9000/assets/static/")])

    public init() {}

    static func hasScheme(_ endpoint: String) -> Bool {
        let lowered = endpoint.lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
    }

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard let endpoint = configuration.text("endpoint_url"), !endpoint.isEmpty, !Self.hasScheme(endpoint) else { return [] }
            return [BackendIssue(message: "endpoint_url needs a scheme; botocore raises \"Invalid endpoint: \(endpoint)\".",
                                 option: "endpoint_url", hints: ["use \(SettingValue.quote("https://" + endpoint))"])]
        }
    }
}
