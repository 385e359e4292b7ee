import DJSettings

public struct S3BotoBackendRule: Rule {
    public static let description = RuleDescription(
        code: "S3024", name: "s3-boto-backend-removed", severity: .error,
        summary: "A STORAGES backend names the removed boto (v2) backend storages.backends.s3boto.",
        rationale: "django-storages 1.9 removed the boto backend: the import fails and no file can be stored or served.",
        bad: [BackendExamples.example(backend: "storages.backends.s3boto.S3BotoStorage", marking: .alias)],
        good: [BackendExamples.example(backend: BackendExamples.storage)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendPathCheck(prefix: "storages.backends.s3boto.").check(context) { _ in
            "The boto (v2) backend was removed in django-storages 1.9; use storages.backends.s3.S3Storage."
        }
    }
}
