import DJSettings

public struct S3SessionProfileWithKeysRule: Rule {
    public static let description = RuleDescription(
        code: "S3027", name: "s3-session-profile-with-keys", severity: .error,
        summary: "session_profile (AWS_S3_SESSION_PROFILE) is set together with access_key / secret_key.",
        rationale: "django-storages refuses to choose between a named profile and explicit keys: the storage cannot be created.",
        mirrors: "ImproperlyConfigured",
        bad: [Example(BackendExamples.settings(BackendExamples.bucket, before: """
                          import os
                          ↓AWS_S3_SESSION_PROFILE = "deploy"
                          AWS_S3_ACCESS_KEY_ID = os.environ["DEPLOY_KEY_ID"]
                          """), environment: ["DEPLOY_KEY_ID": "AKIAIOSFODNN7EXAMPLE"])],
        good: [BackendExamples.example(BackendExamples.bucket, before: #"AWS_S3_SESSION_PROFILE = "deploy""#)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard configuration.truthy("session_profile") == true else { return [] }
            guard let keys = ["access_key", "secret_key"].first(where: { configuration.truthy($0) == true }) else { return [] }
            return [BackendIssue(
                message: "AWS_S3_SESSION_PROFILE/session_profile should not be provided with AWS_S3_ACCESS_KEY_ID/access_key and AWS_S3_SECRET_ACCESS_KEY/secret_key",
                option: "session_profile", hints: ["\(keys) is \(configuration.provenance(keys) ?? "set")"])]
        }
    }
}
