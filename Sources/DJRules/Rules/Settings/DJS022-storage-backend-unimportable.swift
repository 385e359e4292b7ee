import DJSettings

public struct StorageBackendImportRule: Rule {
    public static let description = RuleDescription(
        code: "DJS022", name: "storage-backend-unimportable", severity: .error,
        summary: "A STORAGES backend cannot be imported (or, for a project's own local storage, cannot be created).",
        rationale: """
            Django imports the backend on first use: a typo or a missing package (e.g. django-storages \
            without boto3) fails collectstatic and every upload with InvalidStorageError.
            """,
        mirrors: "InvalidStorageError",
        bad: [
            Example(#"""
                STORAGES = {
                    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    ↓"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFileStorage"},
                }
                """#),
            Example(#"""
                STATIC_URL = "/static/"
                STATIC_ROOT = "/srv/static"
                STORAGES = {
                    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    "staticfiles": {"BACKEND": "mystorage.BrokenStorage"},
                }
                """#, files: ["mystorage.py": """
                    from django.contrib.staticfiles.storage import ManifestStaticFilesStorage

                    class BrokenStorage(ManifestStaticFilesStorage):
                        def __init__(self, *args, **kwargs):
                            subdirectory = ↓self.location  # read before the storage is initialised
                            super().__init__(*args, **kwargs)
                    """]),
        ],
        good: [Example(#"""
            STORAGES = {
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
            }
            """#)])

    public init() {}

    /// What the findings say.
    enum Message {
        /// The backend cannot be imported, or is not a storage class.
        static func unusable(alias: String, problem: String) -> String { "STORAGES['\(alias)']: \(problem)" }

        /// Creating the storage raised.
        static func raised(alias: String, backend: String?, error: String) -> String {
            "STORAGES['\(alias)'] backend \(backend ?? "?") raised while being created: \(error)"
        }
    }
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        var findings: [Finding] = []
        for alias in snapshot.storageAliases {
            if case .some(.some(let problem)) = snapshot.storageProblems[alias] {
                findings.append(Finding(Message.unusable(alias: alias, problem: problem), setting: "STORAGES", entry: alias))
            } else if let failure = snapshot.storageFailures[alias] {
                findings.append(Finding(
                    Message.raised(alias: alias, backend: snapshot.storageBackend(alias), error: failure.message),
                    at: failure.location, hints: ["collectstatic creates this storage first; it fails the same way"]))
            }
        }
        return findings
    }
}
