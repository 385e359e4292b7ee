import DJSettings

public struct LibCloudOptionsRule: Rule {
    public static let description = RuleDescription(
        code: "RMT003", name: "libcloud-invalid-option", severity: .error,
        summary: "LibCloudStorage is given OPTIONS other than provider_name and option.",
        rationale: """
            LibCloudStorage is not a BaseStorage: its constructor takes exactly provider_name and option, \
            so any other key raises TypeError when the storage is created. Provider details belong in \
            LIBCLOUD_PROVIDERS.
            """,
        bad: [Example(#"""
            LIBCLOUD_PROVIDERS = {"s3": {"type": "libcloud.storage.types.Provider.S3", "bucket": "assets"}}
            STORAGES = {
                "default": {
                    "BACKEND": "storages.backends.apache_libcloud.LibCloudStorage",
                    "OPTIONS": {"provider_name": "s3", ↓"bucket": "assets"},
                },
            }
            """#)],
        good: [Example(#"""
            LIBCLOUD_PROVIDERS = {"s3": {"type": "libcloud.storage.types.Provider.S3", "bucket": "assets"}}
            STORAGES = {
                "default": {
                    "BACKEND": "storages.backends.apache_libcloud.LibCloudStorage",
                    "OPTIONS": {"provider_name": "s3"},
                },
            }
            """#)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.libcloud]) { configuration, _ in
            configuration.rejectedOptions.map {
                BackendIssue(message: "LibCloudStorage only accepts provider_name and option.",
                             hints: ["'\($0.key)' raises TypeError when the storage is created; provider settings go in LIBCLOUD_PROVIDERS"],
                             location: $0.location)
            }
        }
    }
}
