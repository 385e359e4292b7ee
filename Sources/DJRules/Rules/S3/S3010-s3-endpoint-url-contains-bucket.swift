import DJSettings
import PythonStdlib

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
                  let endpoint = configuration.text("endpoint_url"), var parts = try? PyURL.urlsplit(endpoint)
            else { return [] }
            // The host (and port) follows the user info, as in urllib's `hostname`.
            let hostStart = parts.netloc.lastIndex(of: "@").map { parts.netloc.index(after: $0) } ?? parts.netloc.startIndex
            let inHost = parts.netloc[hostStart...].lowercased().hasPrefix(bucket + ".")
            let inPath = parts.path.lowercased().split(separator: "/").contains { $0 == bucket }
            guard inHost || inPath else { return [] }
            if inHost { parts.netloc.removeSubrange(hostStart..<parts.netloc.index(hostStart, offsetBy: bucket.count + 1)) }
            if inPath { parts.path = "" }
            return [BackendIssue(message: "endpoint_url must not include the bucket; keys/URLs will contain the bucket twice.",
                                 option: "endpoint_url", hints: ["use \(SettingValue.quote(PyURL.urlunsplit(parts)))"])]
        }
    }
}
