import DJSettings

public struct S3ClientConfigOverridesRule: Rule {
    public static let description = RuleDescription(
        code: "S3022", name: "s3-client-config-overrides", severity: .warning,
        summary: "client_config is set together with addressing_style, signature_version or proxies.",
        rationale: """
            django-storages only builds a botocore Config from addressing_style, signature_version and \
            proxies when client_config is None; with a Config object of your own those three are \
            silently ignored.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", ↓"signature_version": "s3v4""#,
                                 before: "from botocore.config import Config\nAWS_S3_CLIENT_CONFIG = Config(retries={\"max_attempts\": 3})")],
        good: [BackendExamples.example(BackendExamples.bucket,
                                  before: "from botocore.config import Config\nAWS_S3_CLIENT_CONFIG = Config(signature_version=\"s3v4\")")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard configuration.judged("client_config") != nil else { return [] }
            let ignored: [String] = ["addressing_style", "signature_version", "proxies"]
            return ignored.filter { configuration.judged($0) != nil }.map { option in
                BackendIssue(message: "client_config overrides addressing_style, signature_version and proxies; put them into the Config object.",
                             option: option, hints: ["\(option) is ignored here: pass it to botocore.config.Config(...)"])
            }
        }
    }
}
