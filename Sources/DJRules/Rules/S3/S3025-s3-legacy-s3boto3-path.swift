import DJSettings

public struct S3LegacyPathRule: Rule {
    public static let description = RuleDescription(
        code: "S3025", name: "s3-legacy-s3boto3-path", severity: .info,
        summary: "A STORAGES backend uses the storages.backends.s3boto3 compatibility path.",
        rationale: """
            Since django-storages 1.14 the S3 classes live in storages.backends.s3; the s3boto3 module \
            only re-exports them (S3Boto3Storage is S3Storage). The current path matches the documentation.
            """,
        bad: [BackendExamples.example(backend: "storages.backends.s3boto3.S3StaticStorage", marking: .backend)],
        good: [BackendExamples.example()])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendPathCheck(prefix: "storages.backends.s3boto3.").check(context) { backend in
            var name = String(backend.dropFirst("storages.backends.s3boto3.".count))
            if name == "S3Boto3Storage" { name = "S3Storage" }
            return "Legacy alias; storages.backends.s3.\(name) is the current path."
        }
    }
}
