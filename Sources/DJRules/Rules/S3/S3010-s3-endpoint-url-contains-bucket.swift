import DJSettings
import Foundation

public struct S3EndpointContainsBucketRule: Rule {
    public static let description = RuleDescription(
        code: "S3010", name: "s3-endpoint-url-contains-bucket", severity: .warning,
        summary: "endpoint_url already contains the bucket name.",
        rationale: """
            botocore adds the bucket itself (path or virtual-host style): an endpoint such as \
            'https://assets.nyc3.digitaloceanspaces.com' makes keys land under 'assets/...' on Spaces and \
            URLs contain the bucket twice.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", ↓"endpoint_url": "https://assets.nyc3.digitaloceanspaces.com", "region_name": "nyc3""#,
                                 staticURL: "https://nyc3.digitaloceanspaces.com/assets/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "endpoint_url": "https://nyc3.digitaloceanspaces.com", "region_name": "nyc3""#,
                                  staticURL: "https://nyc3.digitaloceanspaces.com/assets/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard let bucket = configuration.text("bucket_name")?.lowercased(), !bucket.isEmpty,
                  let endpoint = configuration.text("endpoint_url"), let components = URLComponents(string: endpoint)
            else { return [] }
            let host = components.host?.lowercased() ?? ""
            let inHost = host.hasPrefix(bucket + ".")
            let inPath = components.path.lowercased().split(separator: "/").contains { $0 == bucket }
            guard inHost || inPath else { return [] }
            var fixed = components
            if inHost { fixed.host = String(host.dropFirst(bucket.count + 1)) }
            if inPath { fixed.path = "" }
            return [BackendIssue(message: "endpoint_url must not include the bucket; keys/URLs will contain the bucket twice.",
                                 option: "endpoint_url", hints: fixed.string.map { ["use \(SettingValue.quote($0))"] } ?? [])]
        }
    }
}
