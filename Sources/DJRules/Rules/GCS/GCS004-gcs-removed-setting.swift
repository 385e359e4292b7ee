import DJSettings

public struct GCSRemovedSettingRule: Rule {
    public static let description = RuleDescription(
        code: "GCS004", name: "gcs-removed-setting", severity: .warning,
        summary: "GS_CACHE_CONTROL, GS_AUTO_CREATE_BUCKET or GS_AUTO_CREATE_ACL is defined.",
        rationale: """
            django-storages removed GS_CACHE_CONTROL in 1.14 and the auto-create settings in 1.10: they are \
            silently ignored, so uploads carry no Cache-Control and buckets are not created.
            """,
        bad: [Example(#"↓GS_CACHE_CONTROL = "public, max-age=86400""#)],
        good: [Example(#"GS_OBJECT_PARAMETERS = {"cache_control": "public, max-age=86400"}"#)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        RemovedSettings(replacements: [
            "GS_CACHE_CONTROL": "GS_OBJECT_PARAMETERS={\"cache_control\": ...}",
            "GS_AUTO_CREATE_BUCKET": "a bucket created beforehand",
            "GS_AUTO_CREATE_ACL": "a bucket created beforehand, with IAM permissions",
        ]).check(context)
    }
}
