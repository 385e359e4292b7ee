import DJSettings
import Foundation
import PythonStdlib

/// What a backend rule found on one STORAGES alias.
struct BackendIssue {
    var message: String
    /// The option concerned: the finding points at the statement that set it.
    var option: String?
    var hints: [String] = []
    /// Overrides the option's location (e.g. a rejected OPTIONS key, STATIC_URL).
    var location: SourceLocation?
    var setting: String?
}

extension SettingsSnapshot {
    /// django-storages configurations of the given families, in STORAGES order.
    func backendConfigurations(_ families: Set<BackendConfiguration.Family>) -> [BackendConfiguration] {
        storageAliases.compactMap { backends[$0] }.filter { families.contains($0.family) }
    }
}

extension BackendConfiguration {
    /// The alias collectstatic and `{% static %}` use.
    var servesStatic: Bool { alias == "staticfiles" }

    /// An option's value to judge: nil when it is None or derived from an unset environment
    /// variable (placeholders are never judged).
    func judged(_ option: String) -> SettingValue? {
        guard let value = self[option], !value.isNone, !value.dependsOnUnsetEnvironment else { return nil }
        return value
    }

    /// `bool(value)`, or nil when the value derives from an unset environment variable.
    func truthy(_ option: String) -> Bool? {
        guard let value = self[option], !value.dependsOnUnsetEnvironment else { return nil }
        return value.isTruthy
    }

    /// Judged text of a str option.
    func text(_ option: String) -> String? { judged(option)?.string }

    /// Keys of a dict option (e.g. object_parameters), when it is a judged dict.
    func keys(_ option: String) -> [String]? {
        judged(option)?.entries?.compactMap(\.key.string)
    }

    /// "location 'static' (from AWS_LOCATION)" style note on where an option came from.
    func provenance(_ option: String) -> String? {
        switch options[option]?.origin {
        case .setting(let name): "set by \(name)"
        case .classAttribute(let owner): "a class attribute of \(owner)"
        case .environment(let variable): "read from the environment variable \(variable)"
        case .options: "given in STORAGES['\(alias)']['OPTIONS']"
        case .default, nil: nil
        }
    }
}

enum BackendFindings {
    /// Runs `check` on every configuration of `families` (only the 'staticfiles' alias when
    /// `staticOnly`). A global setting applies to every alias: findings the same statement causes
    /// for several aliases become one finding naming them all.
    static func collect(_ context: RuleContext, _ families: Set<BackendConfiguration.Family>, staticOnly: Bool = false,
                        _ check: (BackendConfiguration, SettingsSnapshot) -> [BackendIssue]) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        var groups: [(aliases: [String], issue: BackendIssue, location: SourceLocation, setting: String)] = []
        for configuration in snapshot.backendConfigurations(families) where !staticOnly || configuration.servesStatic {
            for issue in check(configuration, snapshot) {
                let option = issue.option.flatMap { configuration.options[$0] }
                let location = issue.location ?? option?.location ?? configuration.location
                    ?? snapshot.location(of: "STORAGES")
                var setting = issue.setting ?? "STORAGES"
                if issue.setting == nil, case .setting(let name) = option?.origin { setting = name }
                if let index = groups.firstIndex(where: { $0.location == location && $0.issue.message == issue.message }) {
                    groups[index].aliases.append(configuration.alias)
                } else {
                    groups.append(([configuration.alias], issue, location, setting))
                }
            }
        }
        return groups.map { group in
            let aliases = group.aliases.map { "STORAGES['\($0)']" }.joined(separator: ", ")
            return Finding("\(aliases): \(group.issue.message)", setting: group.setting, at: group.location,
                           hints: group.issue.hints)
        }
    }
}

extension BackendFindings {
    /// One finding per configuration for which `condition` holds, pointing at the statement that
    /// set `option` (the BACKEND entry when it keeps its default or when `option` is nil).
    static func flag(_ context: RuleContext, _ families: Set<BackendConfiguration.Family>, staticOnly: Bool = false,
                     option: String?, _ message: String, hints: [String] = [],
                     when condition: @escaping (BackendConfiguration) -> Bool) -> [Finding] {
        collect(context, families, staticOnly: staticOnly) { configuration, _ in
            condition(configuration) ? [BackendIssue(message: message, option: option, hints: hints)] : []
        }
    }
}

/// S3004/GCS003: a key prefix with a leading slash, which the backend refuses when created.
struct LeadingSlashLocation {
    var family: BackendConfiguration.Family

    func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [family]) { configuration, _ in
            guard let location = configuration.text("location"), location.hasPrefix("/") else { return [] }
            let stripped = String(location.drop { $0 == "/" })
            return [BackendIssue(
                message: "\(configuration.classShortName).location cannot begin with a leading slash. "
                    + "Found '\(location)'. Use '\(stripped)' instead.",
                option: "location",
                hints: ["django-storages raises ImproperlyConfigured when the storage is first used (collectstatic, {% static %})"])]
        }
    }
}

/// Settings that a backend no longer reads (S3023, GCS004): defined, and silently ignored.
struct RemovedSettings {
    /// Setting name -> what to use instead.
    var replacements: KeyValuePairs<String, String>

    func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        return replacements.filter { snapshot.isExplicit($0.key) }.map { name, replacement in
            Finding("\(name) is no longer read by django-storages (removed); use \(replacement).", setting: name)
        }
    }
}

/// A URL split the way a comparison of "where do these URLs point" needs it.
struct URLBase: Equatable, CustomStringConvertible {
    var scheme: String
    /// host[:port], lower-cased.
    var authority: String
    /// Percent-decoded path, always ending with "/".
    var path: String

    init(scheme: String, authority: String, path: String) {
        self.scheme = scheme.lowercased()
        self.authority = authority.lowercased()
        self.path = path.hasSuffix("/") ? path : path + "/"
    }

    /// An absolute URL as `urllib.parse.urlsplit` reads it (what django-storages and botocore
    /// see); nil for relative URLs and URLs without a host.
    init?(absolute text: String) {
        guard let parts = try? PyURL.urlsplit(text), !parts.scheme.isEmpty, parts.hostname != nil else { return nil }
        let authority = parts.netloc.lastIndex(of: "@").map { parts.netloc[parts.netloc.index(after: $0)...] } ?? parts.netloc[...]
        self.init(scheme: parts.scheme, authority: String(authority),
                  path: parts.path.isEmpty ? "/" : PyURL.unquote(parts.path))
    }

    var description: String { "\(scheme)://\(authority)\(path)" }
}

/// Settings builders shared by the S3 rules' examples.
enum BackendExamples {
    static let storage = "storages.backends.s3.S3Storage"
    static let staticStorage = "storages.backends.s3.S3StaticStorage"
    static let manifestStorage = "storages.backends.s3.S3ManifestStaticStorage"
    static let fileSystem = #"{"BACKEND": "django.core.files.storage.FileSystemStorage"}"#
    static let bucket = #""bucket_name": "assets", "location": "static""#

    /// A statement or entry of the settings that a bad example marks with `↓` as where its
    /// finding lands (a marker inside `before` or `options` is written there instead).
    enum Anchor {
        case staticURL, storages, alias, backend, options
    }

    /// A settings module whose 'staticfiles' alias is `backend` with `options` (a dict body on one
    /// line), after the statements in `before`.
    static func settings(_ options: String = bucket, backend: String = staticStorage, before: String = "",
                         staticURL: String = "https://assets.s3.amazonaws.com/static/", media: String = fileSystem,
                         marking anchor: Anchor? = nil) -> String {
        func mark(_ candidate: Anchor) -> String { candidate == anchor ? String(Example.marker) : "" }
        return (before.isEmpty ? "" : before + "\n") + """
            \(mark(.staticURL))STATIC_URL = "\(staticURL)"
            \(mark(.storages))STORAGES = {
                "default": \(media),
                \(mark(.alias))"staticfiles": {
                    \(mark(.backend))"BACKEND": "\(backend)",
                    \(mark(.options))"OPTIONS": {\(options)},
                },
            }
            """
    }

    static func example(_ options: String = bucket, backend: String = staticStorage, before: String = "",
                        staticURL: String = "https://assets.s3.amazonaws.com/static/", media: String = fileSystem,
                        marking anchor: Anchor? = nil, files: [String: String] = [:], file: String = #filePath,
                        line: Int = #line) -> Example {
        Example(settings(options, backend: backend, before: before, staticURL: staticURL, media: media, marking: anchor),
                files: files, file: file, line: line)
    }
}

extension SettingsSnapshot {
    /// The staticfiles backend hashes names into a manifest (Django's ManifestFilesMixin).
    var usesManifestStorage: Bool {
        storageClassNames("staticfiles").contains("django.contrib.staticfiles.storage.ManifestFilesMixin")
    }
}
