import DJSettings
import Foundation

public struct S3InvalidOptionRule: Rule {
    public static let description = RuleDescription(
        code: "S3001", name: "s3-invalid-option", severity: .error,
        summary: "An S3 storage's OPTIONS contain a key django-storages does not accept.",
        rationale: """
            django-storages validates OPTIONS when the storage is first created (collectstatic, the first \
            {% static %}): any key outside its option table raises ImproperlyConfigured "Invalid setting \
            '<key>' for <Class>". Upper-case AWS_* names belong at the top level of settings, \
            manifest_strict/manifest_name are class attributes (subclass to change them), and keys such \
            as release_id_strategy only work with a subclass whose __init__ consumes them — the seed \
            article passes it to S3ManifestStaticStorage itself.
            """,
        mirrors: "ImproperlyConfigured",
        bad: [
            BackendExamples.example(BackendExamples.bucket + #", ↓"release_id_strategy": "myproject.storage.git_hash_release_id""#,
                               backend: BackendExamples.manifestStorage),
            BackendExamples.example(#"↓"AWS_STORAGE_BUCKET_NAME": "assets""#),
            BackendExamples.example(BackendExamples.bucket + #", ↓"manifest_strict": False"#, backend: BackendExamples.manifestStorage),
        ],
        good: [
            BackendExamples.example(BackendExamples.bucket + #", "manifest_storage": None"#, backend: BackendExamples.manifestStorage),
            BackendExamples.example(BackendExamples.bucket + #", "release_id_strategy": "releases.fixed""#,
                               backend: "releases.ReleaseManifestS3Storage", files: ["releases.py": """
                                   from storages.backends.s3 import S3ManifestStaticStorage

                                   def fixed():
                                       return "v1"

                                   class ReleaseManifestS3Storage(S3ManifestStaticStorage):
                                       def __init__(self, *args, **kwargs):
                                           self.release_strategy = kwargs.pop("release_id_strategy", None)
                                           super().__init__(*args, **kwargs)
                                   """]),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            configuration.rejectedOptions.map { rejected in
                var hints = ["django-storages raises ImproperlyConfigured when the storage is first created (collectstatic, {% static %})"]
                if rejected.key == rejected.key.uppercased() {
                    hints.append("OPTIONS take the lower-case option names (e.g. 'bucket_name', 'location'); AWS_* names are top-level settings")
                } else if ["manifest_strict", "manifest_name", "max_post_process_passes", "keep_intermediate_files"].contains(rejected.key) {
                    hints.append("'\(rejected.key)' is a class attribute of Django's ManifestFilesMixin: set it on a subclass")
                } else {
                    hints.append("only a subclass whose __init__ takes '\(rejected.key)' accepts it")
                }
                return BackendIssue(message: "Invalid setting '\(rejected.key)' for \(configuration.classShortName)",
                                    hints: hints, location: rejected.location)
            }
        }
    }
}
