import DJSettings

public struct S3UseThreadsRule: Rule {
    public static let description = RuleDescription(
        code: "S3029", name: "s3-use-threads-deprecated", severity: .warning,
        summary: "AWS_S3_USE_THREADS / use_threads is False.",
        rationale: "django-storages deprecated the option (DeprecationWarning) in favour of a boto3 TransferConfig.",
        bad: [BackendExamples.example(BackendExamples.bucket, before: "↓AWS_S3_USE_THREADS = False")],
        good: [BackendExamples.example(BackendExamples.bucket, before: """
            from boto3.s3.transfer import TransferConfig
            AWS_S3_TRANSFER_CONFIG = TransferConfig(use_threads=False)
            """)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], option: "use_threads",
                             "Deprecated; use AWS_S3_TRANSFER_CONFIG=TransferConfig(use_threads=False).") {
            $0["use_threads"] == .bool(false)
        }
    }
}
