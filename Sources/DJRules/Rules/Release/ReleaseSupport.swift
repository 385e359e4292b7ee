import DJSettings

/// Source of the seed article's release-specific manifest storage, shared by the REL examples.
enum ReleaseExamples {
    static let storage = """
        import os
        from django.contrib.staticfiles.storage import ManifestStaticFilesStorage, StaticFilesStorage
        from django.core.exceptions import ImproperlyConfigured
        from django.utils.module_loading import import_string

        def fixed_release_id():
            return "2024.06.1"

        def fallback_release_id():
            try:
                raise OSError("not a git checkout")
            except Exception:
                return "unknown-release"

        class ReleaseSpecificManifestStaticFilesStorage(ManifestStaticFilesStorage):
            def __init__(self, *args, release_id=None, release_id_strategy=None, **kwargs):
                if not release_id:
                    if not release_id_strategy:
                        raise ImproperlyConfigured("release_id_strategy or release_id is required")
                    release_id = import_string(release_id_strategy)()
                super().__init__(*args, **kwargs)
                self.manifest_storage = StaticFilesStorage(location=os.path.join(self.location, release_id))
        """

    /// Settings whose 'staticfiles' alias is the release-specific storage with `options`; `marked`
    /// marks the alias (`↓`), where the REL findings land.
    static func settings(_ options: String, marked: Bool = false) -> String {
        """
        STATIC_URL = "/static/"
        STATIC_ROOT = "/srv/static"
        STORAGES = {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            \(marked ? String(Example.marker) : "")"staticfiles": {
                "BACKEND": "releasestorage.ReleaseSpecificManifestStaticFilesStorage",
                "OPTIONS": {\(options)},
            },
        }
        """
    }

    static func example(_ options: String, marked: Bool = false, line: Int = #line) -> Example {
        Example(settings(options, marked: marked), files: ["releasestorage.py": storage], line: line)
    }

    static func releases(_ context: RuleContext) -> [(alias: String, info: ReleaseInfo)] {
        guard let snapshot = context.snapshot else { return [] }
        return snapshot.releases.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
