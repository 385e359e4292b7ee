import DJSettings
import Foundation

/// Settings builders shared by the S3 rules' examples.
enum BackendExamples {
    static let storage = "storages.backends.s3.S3Storage"
    static let staticStorage = "storages.backends.s3.S3StaticStorage"
    static let manifestStorage = "storages.backends.s3.S3ManifestStaticStorage"
    static let fileSystem = #"{"BACKEND": "django.core.files.storage.FileSystemStorage"}"#
    static let bucket = #""bucket_name": "assets", "location": "static""#

    /// A settings module whose 'staticfiles' alias is `backend` with `options` (a dict body on one
    /// line), after the statements in `before`.
    static func settings(_ options: String = bucket, backend: String = staticStorage, before: String = "",
                         staticURL: String = "https://assets.s3.amazonaws.com/static/", media: String = fileSystem) -> String {
        (before.isEmpty ? "" : before + "\n") + """
        STATIC_URL = "\(staticURL)"
        STORAGES = {
            "default": \(media),
            "staticfiles": {
                "BACKEND": "\(backend)",
                "OPTIONS": {\(options)},
            },
        }
        """
    }

    static func example(_ options: String = bucket, backend: String = staticStorage, before: String = "",
                        staticURL: String = "https://assets.s3.amazonaws.com/static/", media: String = fileSystem,
                        files: [String: String] = [:], file: String = #filePath, line: Int = #line) -> Example {
        Example(settings(options, backend: backend, before: before, staticURL: staticURL, media: media), files: files,
                file: file, line: line)
    }
}

extension BackendConfiguration {
    /// The storage talks to Amazon's own S3 (no endpoint_url, or an amazonaws.com host); nil when
    /// the endpoint derives from an unset environment variable.
    var isAWS: Bool? {
        guard configuredEndpoint else { return truthy("endpoint_url").map { !$0 } }
        let host = text("endpoint_url").flatMap { URLComponents(string: $0)?.host?.lowercased() } ?? ""
        return host == "amazonaws.com" || host.hasSuffix(".amazonaws.com") || host.hasSuffix(".amazonaws.com.cn")
    }

    /// endpoint_url is set to a judged, non-empty value.
    var configuredEndpoint: Bool { !(text("endpoint_url") ?? "").isEmpty }
}

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
            BackendExamples.example(BackendExamples.bucket + #", "release_id_strategy": "myproject.storage.git_hash_release_id""#,
                               backend: BackendExamples.manifestStorage),
            BackendExamples.example(#""AWS_STORAGE_BUCKET_NAME": "assets""#),
            BackendExamples.example(BackendExamples.bucket + #", "manifest_strict": False"#, backend: BackendExamples.manifestStorage),
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

public struct S3BucketMissingRule: Rule {
    public static let description = RuleDescription(
        code: "S3002", name: "s3-bucket-missing", severity: .error,
        summary: "An S3 storage has no bucket (bucket_name / AWS_STORAGE_BUCKET_NAME).",
        rationale: """
            The storage is created without complaint, but the first upload or URL fails with botocore's \
            "Required parameter name not set": collectstatic crashes and every {% static %} raises.
            """,
        bad: [BackendExamples.example(#""location": "static""#),
              BackendExamples.example(#""location": "static""#, before: #"AWS_STORAGE_BUCKET_NAME = """#)],
        good: [BackendExamples.example(),
               BackendExamples.example(#""location": "static""#, before: #"AWS_STORAGE_BUCKET_NAME = "assets""#)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], option: "bucket_name",
                             "No bucket configured (bucket_name / AWS_STORAGE_BUCKET_NAME); URL generation fails with \"Required parameter name not set\".") {
            $0.truthy("bucket_name") == false
        }
    }
}

public struct S3BucketNameMalformedRule: Rule {
    public static let description = RuleDescription(
        code: "S3003", name: "s3-bucket-name-malformed", severity: .error,
        summary: "bucket_name is a URL, an ARN or a path instead of the bare bucket name.",
        rationale: """
            botocore validates the bucket against the S3 naming rules before any request: 's3://assets', \
            'arn:aws:s3:::assets' or 'assets/static' fail every upload and URL with ParamValidationError \
            "Invalid bucket name". A key prefix goes into location.
            """,
        bad: [BackendExamples.example(#""bucket_name": "s3://assets", "location": "static""#),
              BackendExamples.example(#""bucket_name": "assets/static""#)],
        good: [BackendExamples.example()])

    public init() {}

    /// The bucket inside a mistaken value ('s3://assets/x' -> 'assets', 'arn:aws:s3:::assets' -> 'assets').
    static func bareName(_ value: String) -> String? {
        var rest = Substring(value.trimmingCharacters(in: .whitespaces))
        if rest.lowercased().hasPrefix("s3://") { rest = rest.dropFirst(5) }
        if rest.lowercased().hasPrefix("arn:"), let range = rest.range(of: ":::") { rest = rest[range.upperBound...] }
        let name = rest.split(separator: "/").first.map(String.init) ?? ""
        return name.isEmpty || name.contains(":") || name.contains(" ") ? nil : name
    }

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard let bucket = configuration.text("bucket_name"),
                  bucket.contains(where: { $0 == "/" || $0 == ":" || $0.isWhitespace }) else { return [] }
            let hint = Self.bareName(bucket).map { ["use \(SettingValue.quote($0)); a key prefix belongs in location"] } ?? []
            return [BackendIssue(message: "bucket_name must be the bare bucket name (got '\(bucket)').",
                                 option: "bucket_name", hints: hint)]
        }
    }
}

public struct S3LocationLeadingSlashRule: Rule {
    public static let description = RuleDescription(
        code: "S3004", name: "s3-location-leading-slash", severity: .error,
        summary: "The effective location of an S3 storage starts with '/'.",
        rationale: """
            django-storages refuses a key prefix starting with '/' when the storage is created \
            (ImproperlyConfigured), so collectstatic and {% static %} fail. Global AWS_LOCATION applies \
            to every S3 alias.
            """,
        mirrors: "ImproperlyConfigured",
        bad: [BackendExamples.example(#""bucket_name": "assets", "location": "/static""#),
              BackendExamples.example(#""bucket_name": "assets""#, before: #"AWS_LOCATION = "/static/""#)],
        good: [BackendExamples.example()])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] { LeadingSlashLocation(family: .s3).check(context) }
}

public struct S3CustomDomainSchemeRule: Rule {
    public static let description = RuleDescription(
        code: "S3005", name: "s3-custom-domain-scheme", severity: .error,
        summary: "custom_domain (AWS_S3_CUSTOM_DOMAIN) contains a scheme.",
        rationale: """
            URLs are built as url_protocol + '//' + custom_domain + '/' + key, so a domain copied from \
            STATIC_URL with its 'https://' gives 'https://https://cdn.example.com/...' for every static file.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "https://cdn.example.com""#,
                                 staticURL: "https://cdn.example.com/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com""#,
                                  staticURL: "https://cdn.example.com/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard let domain = configuration.text("custom_domain"), let range = domain.range(of: "://") else { return [] }
            let host = domain[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            return [BackendIssue(
                message: "custom_domain must be a host name (no scheme); URLs would start with \"https://https://\".",
                option: "custom_domain", hints: ["use \(SettingValue.quote(host)); the scheme comes from url_protocol"])]
        }
    }
}

public struct S3CustomDomainTrailingSlashRule: Rule {
    public static let description = RuleDescription(
        code: "S3006", name: "s3-custom-domain-trailing-slash", severity: .error,
        summary: "custom_domain (AWS_S3_CUSTOM_DOMAIN) ends with '/'.",
        rationale: """
            The seed article warns "Must NOT end in slash!": django-storages appends '/' + key, so \
            'cdn.example.com/' gives 'https://cdn.example.com//static/css/site.css'. The CDN or bucket \
            looks up a key starting with '/', which does not exist (403/404 for every static file).
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com/""#,
                                 staticURL: "https://cdn.example.com/static/"),
              BackendExamples.example(BackendExamples.bucket, before: #"AWS_S3_CUSTOM_DOMAIN = "cdn.example.com/""#,
                                 staticURL: "https://cdn.example.com/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com""#,
                                  staticURL: "https://cdn.example.com/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard let domain = configuration.text("custom_domain"), domain.hasSuffix("/"), !domain.contains("://")
            else { return [] }
            let trimmed = String(domain.reversed().drop { $0 == "/" }.reversed())
            return [BackendIssue(message: "custom_domain must not end with \"/\"; URLs would contain \"//\".",
                                 option: "custom_domain", hints: ["use \(SettingValue.quote(trimmed))"])]
        }
    }
}

public struct S3URLProtocolRule: Rule {
    public static let description = RuleDescription(
        code: "S3007", name: "s3-url-protocol-invalid", severity: .error,
        summary: "url_protocol (AWS_S3_URL_PROTOCOL) is set to something other than 'https:' or 'http:'.",
        rationale: """
            The protocol is pasted in front of '//' + custom_domain as is: 'https' (no colon) gives \
            'https//cdn.example.com/...', which browsers resolve as a path relative to the page, and \
            'https://' gives 'https:////cdn...'.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com", "url_protocol": "https""#,
                                 staticURL: "https://cdn.example.com/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com", "url_protocol": "https:""#,
                                  staticURL: "https://cdn.example.com/static/")])

    public init() {}

    static func isValid(_ configuration: BackendConfiguration) -> Bool {
        guard configuration.options["url_protocol"]?.isConfigured ?? false else { return true }
        guard let value = configuration["url_protocol"], !value.dependsOnUnsetEnvironment else { return true }
        return value == .string("https:") || value == .string("http:")
    }

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard !Self.isValid(configuration), let value = configuration["url_protocol"] else { return [] }
            return [BackendIssue(message: "url_protocol must be \"https:\" or \"http:\" (with the colon).",
                                 option: "url_protocol",
                                 hints: ["it is \(value.pythonRepr): URLs would start with \(value.string ?? value.pythonRepr)//"])]
        }
    }
}

public struct S3PlainHTTPRule: Rule {
    public static let description = RuleDescription(
        code: "S3008", name: "s3-url-protocol-http", severity: .warning,
        summary: "Static URLs on the custom domain use http://.",
        rationale: """
            With url_protocol 'http:' every URL on the custom domain is plain HTTP: browsers block \
            scripts and styles from it on HTTPS pages (mixed content), and the files travel unprotected.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com", "url_protocol": "http:""#,
                                 staticURL: "http://cdn.example.com/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com""#,
                                  staticURL: "https://cdn.example.com/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], option: "url_protocol", "Static URLs will be http:// — mixed content on HTTPS pages.",
                             hints: ["use url_protocol \"https:\" (the default)"]) {
            $0.text("url_protocol") == "http:" && $0.truthy("custom_domain") == true
        }
    }
}

public struct S3EndpointSchemeRule: Rule {
    public static let description = RuleDescription(
        code: "S3009", name: "s3-endpoint-url-without-scheme", severity: .error,
        summary: "endpoint_url (AWS_S3_ENDPOINT_URL) has no http:// or https:// scheme.",
        rationale: """
            botocore needs a full URL for a custom endpoint (MinIO, R2, Spaces): 'minio.example.com:9000' \
            makes every client creation fail with ValueError "Invalid endpoint".
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "endpoint_url": "minio.example.com:9000", "region_name": "us-east-1""#,
                                 staticURL: "https://minio.example.com:9000/assets/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "endpoint_url": "https://minio.example.com:9000", "region_name": "us-east-1""#,
                                  staticURL: "https://minio.example.com:9000/assets/static/")])

    public init() {}

    static func hasScheme(_ endpoint: String) -> Bool {
        let lowered = endpoint.lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
    }

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard let endpoint = configuration.text("endpoint_url"), !endpoint.isEmpty, !Self.hasScheme(endpoint) else { return [] }
            return [BackendIssue(message: "endpoint_url needs a scheme; botocore raises \"Invalid endpoint: \(endpoint)\".",
                                 option: "endpoint_url", hints: ["use \(SettingValue.quote("https://" + endpoint))"])]
        }
    }
}

public struct S3EndpointContainsBucketRule: Rule {
    public static let description = RuleDescription(
        code: "S3010", name: "s3-endpoint-url-contains-bucket", severity: .warning,
        summary: "endpoint_url already contains the bucket name.",
        rationale: """
            botocore adds the bucket itself (path or virtual-host style): an endpoint such as \
            'https://assets.nyc3.digitaloceanspaces.com' makes keys land under 'assets/...' on Spaces and \
            URLs contain the bucket twice.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "endpoint_url": "https://assets.nyc3.digitaloceanspaces.com", "region_name": "nyc3""#,
                                 staticURL: "https://nyc3.digitaloceanspaces.com/assets/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "endpoint_url": "https://nyc3.digitaloceanspaces.com", "region_name": "nyc3""#,
                                  staticURL: "https://nyc3.digitaloceanspaces.com/assets/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard let bucket = configuration.text("bucket_name")?.lowercased(), !bucket.isEmpty,
                  let endpoint = configuration.text("endpoint_url"), let components = URLComponents(string: endpoint)
            else { return [] }
            let host = components.host?.lowercased() ?? ""
            let inHost = host.hasPrefix(bucket + ".")
            let inPath = components.path.lowercased().split(separator: "/").contains { $0 == bucket }
            guard inHost || inPath else { return [] }
            var fixed = components
            if inHost { fixed.host = String(host.dropFirst(bucket.count + 1)) }
            if inPath { fixed.path = "" }
            return [BackendIssue(message: "endpoint_url must not include the bucket; keys/URLs will contain the bucket twice.",
                                 option: "endpoint_url", hints: fixed.string.map { ["use \(SettingValue.quote($0))"] } ?? [])]
        }
    }
}

public struct S3EndpointRegionRule: Rule {
    public static let description = RuleDescription(
        code: "S3011", name: "s3-endpoint-without-region", severity: .warning,
        summary: "endpoint_url is set but region_name (AWS_S3_REGION_NAME) is not.",
        rationale: """
            S3-compatible services sign with SigV4 against their own region name ('auto' for R2, 'nyc3' \
            for Spaces, the B2 region); without it botocore signs for us-east-1 and uploads fail with \
            signature or region errors.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "endpoint_url": "https://nyc3.digitaloceanspaces.com""#,
                                 staticURL: "https://nyc3.digitaloceanspaces.com/assets/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "endpoint_url": "https://nyc3.digitaloceanspaces.com", "region_name": "nyc3""#,
                                  staticURL: "https://nyc3.digitaloceanspaces.com/assets/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], option: "endpoint_url",
                             "Set region_name for S3-compatible endpoints (e.g. \"auto\" for R2, the Spaces/B2 region) to avoid SigV4 region errors.") {
            $0.truthy("endpoint_url") == true && $0.truthy("region_name") == false
        }
    }
}

public struct S3SignedURLRegionRule: Rule {
    public static let description = RuleDescription(
        code: "S3012", name: "s3-signed-url-region", severity: .info,
        summary: "Signed S3 URLs without region_name and signature_version.",
        rationale: """
            With querystring_auth on (S3Storage's default) URLs are presigned by botocore. Without an \
            explicit region and signature_version it was observed to produce legacy SigV2 URLs for \
            us-east-1 and SigV4 elsewhere, and regions opened after 2014 reject SigV2. Setting both makes \
            the URLs predictable.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket, backend: BackendExamples.storage)],
        good: [BackendExamples.example(BackendExamples.bucket + #", "region_name": "eu-west-1", "signature_version": "s3v4""#,
                                  backend: BackendExamples.storage),
               BackendExamples.example(BackendExamples.bucket)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard configuration.truthy("endpoint_url") == false, configuration.truthy("querystring_auth") == true,
                  configuration.truthy("custom_domain") == false, configuration.truthy("client_config") == false
            else { return [] }
            let missing = ["region_name", "signature_version"].filter { configuration.truthy($0) == false }
            guard !missing.isEmpty else { return [] }
            return [BackendIssue(
                message: "Signed URLs: set region_name and signature_version=\"s3v4\" (observed SigV2 URLs for us-east-1 otherwise).",
                option: "querystring_auth", hints: ["unset: " + missing.joined(separator: ", ")])]
        }
    }
}
