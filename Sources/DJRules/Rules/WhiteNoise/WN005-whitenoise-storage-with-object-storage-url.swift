import DJSettings

public struct WhiteNoiseObjectStorageURLRule: Rule {
    public static let description = RuleDescription(
        code: "WN005", name: "whitenoise-storage-with-object-storage-url", severity: .warning,
        summary: "A WhiteNoise storage is used while STATIC_URL points at an object-storage host.",
        rationale: """
            WhiteNoise's storages write to STATIC_ROOT only; they never upload. With STATIC_URL on S3, \
            Spaces, GCS or Azure Blob, every page links to files that are not in the bucket. (A CDN \
            that pulls from the site, e.g. CloudFront in front of WhiteNoise, is fine.)
            """,
        bad: [Example(storages(compressedManifestStorage)
                      + "\nSTATIC_ROOT = \"/srv/static\"\n↓STATIC_URL = \"https://example-static.s3.amazonaws.com/static/\"")],
        good: [Example(storages(compressedManifestStorage)
                       + "\nSTATIC_ROOT = \"/srv/static\"\nSTATIC_URL = \"https://d111111abcdef8.cloudfront.net/static/\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.usesWhiteNoiseStorage, let url = snapshot.staticURLParts,
              isObjectStorageHost(url.hostname ?? "") else { return [] }
        return [Finding("WhiteNoise storages do not upload; STATIC_URL points at object storage that will not contain the files.",
                        setting: "STATIC_URL",
                        hints: ["use a django-storages backend to upload, or point STATIC_URL at the site (or a CDN pulling from it)"])]
    }
}
