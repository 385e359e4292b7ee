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

    static func settings(_ options: String) -> String {
        """
        STATIC_URL = "/static/"
        STATIC_ROOT = "/srv/static"
        STORAGES = {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "releasestorage.ReleaseSpecificManifestStaticFilesStorage",
                "OPTIONS": {\(options)},
            },
        }
        """
    }

    static func example(_ options: String, line: Int = #line) -> Example {
        Example(settings(options), files: ["releasestorage.py": storage], line: line)
    }

    static func releases(_ context: RuleContext) -> [(alias: String, info: ReleaseInfo)] {
        guard let snapshot = context.snapshot else { return [] }
        return snapshot.releases.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// REL001: the release id cannot be determined.
public struct ReleaseStrategyBrokenRule: Rule {
    public static let description = RuleDescription(
        code: "REL001", name: "release-id-unresolvable", severity: .error,
        summary: "A release-specific storage has no release_id, or its release_id_strategy cannot be imported or called.",
        rationale: """
            A storage that keeps each deploy's manifest under <location>/<release_id>/ must be able to \
            compute the id when collectstatic and every web process start; otherwise the storage \
            cannot be created at all.
            """,
        bad: [
            ReleaseExamples.example(#""release_id_strategy": "releasestorage.no_such_function""#),
            ReleaseExamples.example(#""release_id": None"#),
        ],
        good: [ReleaseExamples.example(#""release_id_strategy": "releasestorage.fixed_release_id""#)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        ReleaseExamples.releases(context).compactMap { alias, info in
            info.error.map { Finding("STORAGES['\(alias)']: \($0)", setting: "STORAGES", entry: alias) }
        }
    }
}

/// REL002: the release id is empty or a fallback.
public struct ReleaseIdFallbackRule: Rule {
    public static let description = RuleDescription(
        code: "REL002", name: "release-id-fallback", severity: .error,
        summary: "The release id resolves to empty, None, or a fallback such as 'unknown-release'.",
        rationale: """
            When the strategy falls back (e.g. git is not available in the build container, or the \
            checkout has no .git), every deploy writes its manifest to the same place and the \
            release-specific layout silently stops protecting running releases.
            """,
        bad: [ReleaseExamples.example(#""release_id_strategy": "releasestorage.fallback_release_id""#),
              ReleaseExamples.example(#""release_id": "unknown""#)],
        good: [ReleaseExamples.example(#""release_id_strategy": "releasestorage.fixed_release_id""#),
               ReleaseExamples.example(#""release_id": "3f9c2ab""#)])

    public init() {}

    static func isFallback(_ id: String) -> Bool {
        let lowered = id.trimmingCharacters(in: .whitespaces).lowercased()
        return lowered.isEmpty || lowered == "none" || lowered == "null" || lowered == "unknown"
            || lowered.hasPrefix("unknown-") || lowered.hasPrefix("unknown_")
    }

    public func check(_ context: RuleContext) -> [Finding] {
        ReleaseExamples.releases(context).compactMap { alias, info in
            guard info.error == nil, let id = info.releaseID, !id.dependsOnUnsetEnvironment else { return nil }
            let source = info.strategy.flatMap(\.string).map { "release_id_strategy \($0)() returned" } ?? "release_id is"
            switch id {
            case .none:
                return Finding("STORAGES['\(alias)']: \(source) None: every deploy would share one manifest", setting: "STORAGES", entry: alias)
            case .string(let text) where Self.isFallback(text):
                return Finding("STORAGES['\(alias)']: \(source) \(id.pythonRepr): every deploy would share one manifest",
                               setting: "STORAGES", entry: alias,
                               hints: ["make the strategy fail loudly (or pass release_id from the build) instead of falling back"])
            default:
                return nil
            }
        }
    }
}

/// REL003: the release id is unsafe in a path or object key.
public struct ReleaseIdUnsafeRule: Rule {
    public static let description = RuleDescription(
        code: "REL003", name: "release-id-unsafe-characters", severity: .warning,
        summary: "The release id contains '/', '..' or characters unsafe in a path or object key.",
        rationale: """
            The id becomes a directory or key prefix: a '/' nests it, '..' escapes the location, and \
            spaces or other characters need escaping in URLs and S3 keys.
            """,
        bad: [ReleaseExamples.example(#""release_id": "feature/login""#),
              ReleaseExamples.example(#""release_id": "../v1""#)],
        good: [ReleaseExamples.example(#""release_id": "v1.4.2-3f9c2ab""#)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        ReleaseExamples.releases(context).compactMap { alias, info in
            guard info.error == nil, let id = info.releaseID?.string, !(info.releaseID?.dependsOnUnsetEnvironment ?? true),
                  !ReleaseIdFallbackRule.isFallback(id) else { return nil }
            let safe = id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
            guard !safe || id.contains("..") else { return nil }
            return Finding("STORAGES['\(alias)']: release id \(SettingValue.quote(id)) is unsafe in a path or object key",
                           setting: "STORAGES", entry: alias, hints: ["use letters, digits, '.', '_' and '-' only"])
        }
    }
}
