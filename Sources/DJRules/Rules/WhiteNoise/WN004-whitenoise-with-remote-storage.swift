import DJSettings

public struct WhiteNoiseWithRemoteStorageRule: Rule {
    public static let description = RuleDescription(
        code: "WN004", name: "whitenoise-with-remote-storage", severity: .warning,
        summary: "WhiteNoiseMiddleware is installed while the staticfiles storage is remote (S3, GCS, Azure, …).",
        rationale: """
            collectstatic uploads to the remote storage and {% static %} points there; WhiteNoise only \
            serves the local STATIC_ROOT, which then holds nothing current. It costs a start-up scan \
            and can serve stale files that happen to be on disk.
            """,
        bad: [Example("↓" + middleware + "\n" + storages("storages.backends.s3.S3StaticStorage",
                                                     options: #"{"bucket_name": "example-static"}"#))],
        good: [Example(middleware + "\n" + storages(compressedManifestStorage) + "\nSTATIC_ROOT = \"/srv/static\"")])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot.hasWhiteNoiseMiddleware,
              snapshot.storageFamily("staticfiles").isRemote else { return [] }
        return [Finding("WhiteNoise only serves files from STATIC_ROOT; with a remote staticfiles storage it serves nothing useful.",
                        setting: "MIDDLEWARE",
                        hints: ["STORAGES['staticfiles'] is \(snapshot.storageBackend("staticfiles") ?? "?"); "
                                + "remove WhiteNoiseMiddleware, or collect locally with a WhiteNoise storage"])]
    }
}
