import DJSettings

public struct S3RemovedSettingRule: Rule {
    public static let description = RuleDescription(
        code: "S3023", name: "s3-removed-setting", severity: .warning,
        summary: "A setting django-storages no longer reads is defined.",
        rationale: """
            Settings of the old boto backend and of earlier releases (AWS_S3_SECURE_URLS, AWS_HEADERS, \
            AWS_S3_HOST, AWS_AUTO_CREATE_BUCKET, ...) are silently ignored today: the behaviour they \
            promise (https URLs, headers, a custom host) does not happen.
            """,
        bad: [Example(#"↓AWS_S3_SECURE_URLS = True"#), Example(#"↓AWS_HEADERS = {"Cache-Control": "max-age=86400"}"#)],
        good: [Example(#"AWS_S3_URL_PROTOCOL = "https:""#)])

    public init() {}

    static let replacements: KeyValuePairs<String, String> = [
        "AWS_S3_SECURE_URLS": "AWS_S3_URL_PROTOCOL (\"https:\" or \"http:\")",
        "AWS_S3_HOST": "AWS_S3_ENDPOINT_URL",
        "AWS_S3_PORT": "AWS_S3_ENDPOINT_URL (with the port)",
        "AWS_S3_CALLING_FORMAT": "AWS_S3_ADDRESSING_STYLE / AWS_S3_ENDPOINT_URL",
        "AWS_PRELOAD_METADATA": "nothing (remove it)",
        "AWS_AUTO_CREATE_BUCKET": "a bucket created beforehand",
        "AWS_BUCKET_ACL": "a bucket policy",
        "AWS_REDUCED_REDUNDANCY": "AWS_S3_OBJECT_PARAMETERS = {\"StorageClass\": \"REDUCED_REDUNDANCY\"}",
        "AWS_S3_ENCRYPTION": "AWS_S3_OBJECT_PARAMETERS = {\"ServerSideEncryption\": \"AES256\"}",
        "AWS_HEADERS": "AWS_S3_OBJECT_PARAMETERS (boto3 names, e.g. CacheControl)",
        "AWS_S3_PROXY_HOST": "AWS_S3_PROXIES",
        "AWS_S3_PROXY_PORT": "AWS_S3_PROXIES",
    ]

    public func check(_ context: RuleContext) -> [Finding] {
        RemovedSettings(replacements: Self.replacements).check(context)
    }
}
