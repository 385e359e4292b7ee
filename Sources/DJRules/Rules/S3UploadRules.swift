import DJSettings
import Foundation

public struct S3StaticSignedURLsRule: Rule {
    public static let description = RuleDescription(
        code: "S3013", name: "s3-static-signed-urls", severity: .warning,
        summary: "The staticfiles storage signs its URLs (S3Storage's querystring_auth default) without a custom domain.",
        rationale: """
            Signed URLs expire after querystring_expire seconds (1 hour): cached pages then reference \
            dead links, every page render differs, and files referenced from CSS (fonts, images) are \
            requested unsigned and fail on a private bucket. Static files want S3StaticStorage (or \
            querystring_auth=False) and a bucket policy that allows public reads.
            """,
        bad: [BackendExamples.example(backend: BackendExamples.storage),
              BackendExamples.example(BackendExamples.bucket + #", "querystring_auth": True"#)],
        good: [BackendExamples.example(),
               BackendExamples.example(BackendExamples.bucket + #", "querystring_auth": False"#, backend: BackendExamples.storage)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], staticOnly: true, option: "querystring_auth",
                             "Static URLs will be signed and expire after querystring_expire seconds; files referenced from CSS will be unsigned. Use S3StaticStorage / querystring_auth=False with a public-read bucket policy.") {
            $0.truthy("querystring_auth") == true && $0.truthy("custom_domain") == false
        }
    }
}

public struct S3ManifestSignedURLsRule: Rule {
    public static let description = RuleDescription(
        code: "S3014", name: "s3-manifest-signed-urls", severity: .warning,
        summary: "S3ManifestStaticStorage with querystring_auth turned on.",
        rationale: """
            Django's manifest mixin passes the URL S3 returns through urllib.parse.unquote: '%2F' in a \
            SigV4 credential becomes '/', '%2B' in a signature becomes '+', which the server reads as a \
            space. Signed manifest URLs can therefore be corrupted; the class keeps querystring_auth off \
            for a reason.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "querystring_auth": True"#, backend: BackendExamples.manifestStorage)],
        good: [BackendExamples.example(backend: BackendExamples.manifestStorage)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], option: "querystring_auth",
                             "Manifest storage unquotes generated URLs; signed URLs may be corrupted. Keep querystring_auth=False for static files.") {
            $0.isManifest && $0.truthy("querystring_auth") == true
        }
    }
}

public struct S3ACLRule: Rule {
    public static let description = RuleDescription(
        code: "S3015", name: "s3-acl-on-aws", severity: .warning,
        summary: "An AWS S3 storage sends an object ACL (default_acl / AWS_DEFAULT_ACL or object_parameters['ACL']).",
        rationale: """
            Buckets created since April 2023 have ACLs disabled (Object Ownership "bucket owner \
            enforced"): every PutObject carrying x-amz-acl fails with AccessControlListNotSupported, so \
            collectstatic crashes. Old tutorials still set AWS_DEFAULT_ACL = "public-read".
            """,
        bad: [BackendExamples.example(BackendExamples.bucket, before: #"AWS_DEFAULT_ACL = "public-read""#),
              BackendExamples.example(BackendExamples.bucket + #", "object_parameters": {"ACL": "public-read"}"#)],
        good: [BackendExamples.example(BackendExamples.bucket, before: "AWS_DEFAULT_ACL = None"),
               BackendExamples.example(BackendExamples.bucket + #", "default_acl": "public-read", "endpoint_url": "https://minio.example.com", "region_name": "us-east-1""#,
                                  staticURL: "https://minio.example.com/assets/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        let message = "Buckets created since 2023 have ACLs disabled; uploads carrying an ACL fail with AccessControlListNotSupported. Prefer a bucket policy and default_acl=None."
        return BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard configuration.isAWS == true else { return [] }
            var issues: [BackendIssue] = []
            if configuration.truthy("default_acl") == true, configuration.keys("object_parameters")?.contains("ACL") != true {
                issues.append(BackendIssue(message: message, option: "default_acl"))
            }
            if configuration.keys("object_parameters")?.contains("ACL") == true {
                issues.append(BackendIssue(message: message, option: "object_parameters"))
            }
            return issues
        }
    }
}

public struct S3ObjectParameterKeyRule: Rule {
    public static let description = RuleDescription(
        code: "S3016", name: "s3-object-parameters-invalid-key", severity: .error,
        summary: "object_parameters (AWS_S3_OBJECT_PARAMETERS) has a key boto3 does not accept as an upload argument.",
        rationale: """
            The parameters are handed to boto3 as ExtraArgs, named like the API (CacheControl), not like \
            HTTP headers (Cache-Control): the first upload fails with ValueError "Invalid extra_args key", \
            in the middle of collectstatic.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "object_parameters": {"Cache-Control": "max-age=86400"}"#)],
        good: [BackendExamples.example(BackendExamples.bucket + #", "object_parameters": {"CacheControl": "max-age=86400"}"#)])

    public init() {}

    /// 'Cache-Control' / 'cache_control' -> 'CacheControl' when that is an accepted argument.
    static func suggestion(_ key: String, in accepted: [String]) -> String? {
        let squashed = key.filter { $0.isLetter || $0.isNumber }.lowercased()
        return accepted.first { $0.lowercased() == squashed }
    }

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            let accepted = configuration.uploadArguments
            guard !accepted.isEmpty, let keys = configuration.keys("object_parameters") else { return [] }
            return keys.filter { !accepted.contains($0) }.map { key in
                let hint = Self.suggestion(key, in: accepted).map { "use '\($0)'" }
                return BackendIssue(
                    message: "Invalid object_parameters key '\(key)'; use boto3 names such as CacheControl, ContentDisposition, Expires, Metadata, StorageClass.",
                    option: "object_parameters", hints: hint.map { [$0] } ?? [])
            }
        }
    }
}

public struct S3ContentTypeParameterRule: Rule {
    public static let description = RuleDescription(
        code: "S3017", name: "s3-object-parameters-content-type", severity: .warning,
        summary: "The staticfiles storage's object_parameters set ContentType.",
        rationale: """
            django-storages guesses the Content-Type per file only when object_parameters has none: a \
            fixed ContentType serves CSS, JavaScript and images with one type, and browsers refuse \
            stylesheets and scripts with the wrong type (X-Content-Type-Options: nosniff).
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "object_parameters": {"ContentType": "text/css"}"#)],
        good: [BackendExamples.example(BackendExamples.bucket + #", "object_parameters": {"CacheControl": "max-age=86400"}"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], staticOnly: true, option: "object_parameters",
                             "ContentType in object_parameters forces one type on every static file.") {
            $0.keys("object_parameters")?.contains("ContentType") == true
        }
    }
}

public struct S3ContentEncodingParameterRule: Rule {
    public static let description = RuleDescription(
        code: "S3018", name: "s3-object-parameters-content-encoding", severity: .warning,
        summary: "object_parameters set ContentEncoding.",
        rationale: """
            Every object is then labelled as encoded (e.g. gzip) whether or not its bytes are, so browsers \
            fail to decode the plain ones; django-storages also skips its own gzip step when an encoding \
            is already set.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "object_parameters": {"ContentEncoding": "gzip"}"#)],
        good: [BackendExamples.example(BackendExamples.bucket + #", "gzip": True"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], option: "object_parameters",
                             "ContentEncoding in object_parameters labels every file as encoded and disables gzip.") {
            $0.keys("object_parameters")?.contains("ContentEncoding") == true
        }
    }
}

public struct S3StaticCacheControlRule: Rule {
    public static let description = RuleDescription(
        code: "S3019", name: "s3-static-without-cache-control", severity: .info,
        summary: "Static objects are uploaded without a Cache-Control header.",
        rationale: """
            Without Cache-Control browsers and CDNs fall back to heuristics; hashed files (manifest \
            storage) never change and can be cached for a year, which saves requests and bandwidth.
            """,
        bad: [BackendExamples.example(backend: BackendExamples.manifestStorage)],
        good: [BackendExamples.example(BackendExamples.bucket + #", "object_parameters": {"CacheControl": "max-age=31536000, public, immutable"}"#,
                                  backend: BackendExamples.manifestStorage)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], staticOnly: true, option: "object_parameters",
                             "No Cache-Control on static objects; for hashed (manifest) files use e.g. \"max-age=31536000, public, immutable\".") {
            $0.keys("object_parameters").map { !$0.contains("CacheControl") } ?? false
        }
    }
}

public struct S3SharedPrefixRule: Rule {
    public static let description = RuleDescription(
        code: "S3020", name: "s3-static-and-media-share-prefix", severity: .warning,
        summary: "The 'staticfiles' and 'default' S3 storages use the same bucket and location.",
        rationale: """
            Global AWS_* settings apply to every S3 alias, so media and static files silently share one \
            key prefix: collectstatic --clear deletes user uploads, and an upload can overwrite a static \
            file of the same name. Give each alias its own location in OPTIONS.
            """,
        bad: [BackendExamples.example(media: #"{"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "assets", "location": "static"}}"#),
              BackendExamples.example("", before: "AWS_STORAGE_BUCKET_NAME = \"assets\"\nAWS_LOCATION = \"files\"",
                                      media: #"{"BACKEND": "storages.backends.s3.S3Storage"}"#)],
        good: [BackendExamples.example(media: #"{"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "assets", "location": "media"}}"#)])

    public init() {}

    static func prefix(_ configuration: BackendConfiguration) -> SettingValue? {
        guard case .string(let location) = configuration["location"] else { return configuration["location"] }
        return .string(String(location.reversed().drop { $0 == "/" }.reversed()))
    }

    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let media = snapshot.backends["default"], media.family == .s3,
              !media.projectOverrides.contains("__init__") else { return [] }
        return BackendFindings.collect(context, [.s3], staticOnly: true) { configuration, _ in
            // A project __init__ may choose the bucket or location itself (saleor's media storage).
            guard !configuration.projectOverrides.contains("__init__"),
                  configuration.truthy("bucket_name") != false, configuration["bucket_name"] == media["bucket_name"],
                  let prefix = Self.prefix(configuration), prefix == Self.prefix(media) else { return [] }
            return [BackendIssue(
                message: "Static and media share one key prefix; collectstatic --clear and name clashes affect user uploads. Give each alias its own location (OPTIONS).",
                option: "location", hints: ["both use bucket \(media["bucket_name"]?.pythonRepr ?? "None") and location \(prefix.pythonRepr)"])]
        }
    }
}

public struct S3StaticEmptyLocationRule: Rule {
    public static let description = RuleDescription(
        code: "S3021", name: "s3-static-empty-location", severity: .warning,
        summary: "The staticfiles S3 storage writes to the bucket root (empty location).",
        rationale: """
            collectstatic --clear asks the storage whether '' exists, which becomes an empty S3 key: \
            botocore raises ParamValidationError and the command crashes. A prefix such as 'static' also \
            keeps static files apart from anything else in the bucket.
            """,
        bad: [BackendExamples.example(#""bucket_name": "assets""#, staticURL: "https://assets.s3.amazonaws.com/")],
        good: [BackendExamples.example()])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], staticOnly: true, option: "location",
                             "collectstatic --clear crashes with an empty location (empty S3 key).",
                             hints: ["set location (e.g. \"static\") in OPTIONS"]) { $0.text("location") == "" }
    }
}

public struct S3ClientConfigOverridesRule: Rule {
    public static let description = RuleDescription(
        code: "S3022", name: "s3-client-config-overrides", severity: .warning,
        summary: "client_config is set together with addressing_style, signature_version or proxies.",
        rationale: """
            django-storages only builds a botocore Config from addressing_style, signature_version and \
            proxies when client_config is None; with a Config object of your own those three are \
            silently ignored.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "signature_version": "s3v4""#,
                                 before: "from botocore.config import Config\nAWS_S3_CLIENT_CONFIG = Config(retries={\"max_attempts\": 3})")],
        good: [BackendExamples.example(BackendExamples.bucket,
                                  before: "from botocore.config import Config\nAWS_S3_CLIENT_CONFIG = Config(signature_version=\"s3v4\")")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard configuration.judged("client_config") != nil else { return [] }
            let ignored: [String] = ["addressing_style", "signature_version", "proxies"]
            return ignored.filter { configuration.judged($0) != nil }.map { option in
                BackendIssue(message: "client_config overrides addressing_style, signature_version and proxies; put them into the Config object.",
                             option: option, hints: ["\(option) is ignored here: pass it to botocore.config.Config(...)"])
            }
        }
    }
}

public struct S3RemovedSettingRule: Rule {
    public static let description = RuleDescription(
        code: "S3023", name: "s3-removed-setting", severity: .warning,
        summary: "A setting django-storages no longer reads is defined.",
        rationale: """
            Settings of the old boto backend and of earlier releases (AWS_S3_SECURE_URLS, AWS_HEADERS, \
            AWS_S3_HOST, AWS_AUTO_CREATE_BUCKET, ...) are silently ignored today: the behaviour they \
            promise (https URLs, headers, a custom host) does not happen.
            """,
        bad: [Example(#"AWS_S3_SECURE_URLS = True"#), Example(#"AWS_HEADERS = {"Cache-Control": "max-age=86400"}"#)],
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

/// Findings on STORAGES BACKEND paths with a given prefix.
struct BackendPathCheck {
    var prefix: String

    func check(_ context: RuleContext, _ message: (String) -> String) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        return snapshot.storageAliases.compactMap { alias in
            guard let backend = snapshot.storageBackend(alias), backend.hasPrefix(prefix) else { return nil }
            return Finding("STORAGES['\(alias)']: \(message(backend))", setting: "STORAGES",
                           at: snapshot.backends[alias]?.location ?? snapshot.location(of: "STORAGES"))
        }
    }
}

public struct S3BotoBackendRule: Rule {
    public static let description = RuleDescription(
        code: "S3024", name: "s3-boto-backend-removed", severity: .error,
        summary: "A STORAGES backend names the removed boto (v2) backend storages.backends.s3boto.",
        rationale: "django-storages 1.9 removed the boto backend: the import fails and no file can be stored or served.",
        bad: [BackendExamples.example(backend: "storages.backends.s3boto.S3BotoStorage")],
        good: [BackendExamples.example(backend: BackendExamples.storage)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendPathCheck(prefix: "storages.backends.s3boto.").check(context) { _ in
            "The boto (v2) backend was removed in django-storages 1.9; use storages.backends.s3.S3Storage."
        }
    }
}

public struct S3LegacyPathRule: Rule {
    public static let description = RuleDescription(
        code: "S3025", name: "s3-legacy-s3boto3-path", severity: .info,
        summary: "A STORAGES backend uses the storages.backends.s3boto3 compatibility path.",
        rationale: """
            Since django-storages 1.14 the S3 classes live in storages.backends.s3; the s3boto3 module \
            only re-exports them (S3Boto3Storage is S3Storage). The current path matches the documentation.
            """,
        bad: [BackendExamples.example(backend: "storages.backends.s3boto3.S3StaticStorage")],
        good: [BackendExamples.example()])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendPathCheck(prefix: "storages.backends.s3boto3.").check(context) { backend in
            var name = String(backend.dropFirst("storages.backends.s3boto3.".count))
            if name == "S3Boto3Storage" { name = "S3Storage" }
            return "Legacy alias; storages.backends.s3.\(name) is the current path."
        }
    }
}

public struct S3CloudFrontKeyPairRule: Rule {
    public static let description = RuleDescription(
        code: "S3026", name: "s3-cloudfront-key-pair-incomplete", severity: .error,
        summary: "Only one of cloudfront_key_id / cloudfront_key (AWS_CLOUDFRONT_KEY_ID / AWS_CLOUDFRONT_KEY) is set.",
        rationale: "django-storages needs both to sign CloudFront URLs and refuses to create the storage with one of them.",
        mirrors: "ImproperlyConfigured",
        bad: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com", "cloudfront_key_id": "K2JCJMDEHXQW5F""#,
                                 staticURL: "https://cdn.example.com/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com""#,
                                  staticURL: "https://cdn.example.com/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard configuration.options["cloudfront_signer"] == nil,
                  let id = configuration.truthy("cloudfront_key_id"), let key = configuration.truthy("cloudfront_key"),
                  id != key else { return [] }
            return [BackendIssue(
                message: "Both AWS_CLOUDFRONT_KEY_ID/cloudfront_key_id and AWS_CLOUDFRONT_KEY/cloudfront_key must be provided together.",
                option: id ? "cloudfront_key_id" : "cloudfront_key")]
        }
    }
}

public struct S3SessionProfileWithKeysRule: Rule {
    public static let description = RuleDescription(
        code: "S3027", name: "s3-session-profile-with-keys", severity: .error,
        summary: "session_profile (AWS_S3_SESSION_PROFILE) is set together with access_key / secret_key.",
        rationale: "django-storages refuses to choose between a named profile and explicit keys: the storage cannot be created.",
        mirrors: "ImproperlyConfigured",
        bad: [Example(BackendExamples.settings(BackendExamples.bucket, before: """
                          import os
                          AWS_S3_SESSION_PROFILE = "deploy"
                          AWS_S3_ACCESS_KEY_ID = os.environ["DEPLOY_KEY_ID"]
                          """), environment: ["DEPLOY_KEY_ID": "AKIAIOSFODNN7EXAMPLE"])],
        good: [BackendExamples.example(BackendExamples.bucket, before: #"AWS_S3_SESSION_PROFILE = "deploy""#)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard configuration.truthy("session_profile") == true else { return [] }
            guard let keys = ["access_key", "secret_key"].first(where: { configuration.truthy($0) == true }) else { return [] }
            return [BackendIssue(
                message: "AWS_S3_SESSION_PROFILE/session_profile should not be provided with AWS_S3_ACCESS_KEY_ID/access_key and AWS_S3_SECRET_ACCESS_KEY/secret_key",
                option: "session_profile", hints: ["\(keys) is \(configuration.provenance(keys) ?? "set")"])]
        }
    }
}

public struct S3StaticGzipRule: Rule {
    public static let description = RuleDescription(
        code: "S3028", name: "s3-static-gzip", severity: .info,
        summary: "The staticfiles S3 storage gzips files on upload (gzip / AWS_IS_GZIPPED).",
        rationale: """
            S3 stores one representation and serves the gzipped bytes to every client (no content \
            negotiation); a CDN such as CloudFront can compress per request instead. Collectfast's hash \
            of a gzipped file never matches, so it re-uploads them on a cold cache.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket, before: "AWS_IS_GZIPPED = True")],
        good: [BackendExamples.example()])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], staticOnly: true, option: "gzip",
                             "S3 serves the gzipped bytes to every client (no negotiation); CloudFront can compress instead. Collectfast re-uploads these files on a cold cache.") {
            $0.truthy("gzip") == true
        }
    }
}

public struct S3UseThreadsRule: Rule {
    public static let description = RuleDescription(
        code: "S3029", name: "s3-use-threads-deprecated", severity: .warning,
        summary: "AWS_S3_USE_THREADS / use_threads is False.",
        rationale: "django-storages deprecated the option (DeprecationWarning) in favour of a boto3 TransferConfig.",
        bad: [BackendExamples.example(BackendExamples.bucket, before: "AWS_S3_USE_THREADS = False")],
        good: [BackendExamples.example(BackendExamples.bucket, before: """
            from boto3.s3.transfer import TransferConfig
            AWS_S3_TRANSFER_CONFIG = TransferConfig(use_threads=False)
            """)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], option: "use_threads",
                             "Deprecated; use AWS_S3_TRANSFER_CONFIG=TransferConfig(use_threads=False).") {
            $0["use_threads"] == .bool(false)
        }
    }
}

public struct S3StaticNoOverwriteRule: Rule {
    public static let description = RuleDescription(
        code: "S3030", name: "s3-static-file-overwrite-off", severity: .info,
        summary: "The staticfiles S3 storage has file_overwrite (AWS_S3_FILE_OVERWRITE) False.",
        rationale: """
            Static files are meant to be replaced in place: with file_overwrite off every upload costs an \
            extra HEAD, and a clash stores the file under a random suffix that templates never reference.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "file_overwrite": False"#)],
        good: [BackendExamples.example()])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], staticOnly: true, option: "file_overwrite",
                             "Adds a HEAD per uploaded file and may rename keys with a random suffix.") {
            $0.truthy("file_overwrite") == false
        }
    }
}

public struct S3ManifestRoundTripsRule: Rule {
    public static let description = RuleDescription(
        code: "S3031", name: "s3-manifest-storage-round-trips", severity: .info,
        summary: "S3ManifestStaticStorage keeps staticfiles.json in the bucket.",
        rationale: """
            Every process reads the manifest from S3 when it first renders {% static %} (HEAD, HEAD, GET; \
            an unreachable bucket fails that request), and every collectstatic deletes and re-uploads CSS/JS \
            copies and the manifest, leaving a window in which running processes find none.
            """,
        bad: [BackendExamples.example(backend: BackendExamples.manifestStorage)],
        good: [BackendExamples.example()])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard configuration.isManifest else { return [] }
            let location = configuration.text("location").map { $0.isEmpty ? "" : $0.hasSuffix("/") ? $0 : $0 + "/" } ?? ""
            return [BackendIssue(
                message: "Each process fetches \(location)staticfiles.json on first use (HEAD, HEAD, GET); collectstatic deletes+rewrites CSS/JS copies and the manifest every run. Consider manifest_storage on local disk or a two-pass uploader.",
                location: configuration.location)]
        }
    }
}

public struct S3ChecksumHeadersRule: Rule {
    public static let description = RuleDescription(
        code: "S3032", name: "s3-endpoint-checksum-headers", severity: .info,
        summary: "An S3-compatible (non-AWS) endpoint_url is configured.",
        rationale: """
            botocore 1.36 started sending CRC32 checksum headers on every upload; several S3-compatible \
            services rejected them (MissingContentLength, XAmzContentSHA256Mismatch, SignatureDoesNotMatch).
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "endpoint_url": "https://minio.example.com", "region_name": "us-east-1""#,
                                 staticURL: "https://minio.example.com/assets/static/")],
        good: [BackendExamples.example()])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], option: "endpoint_url",
                             "botocore ≥ 1.36 sends CRC32 checksum headers some S3-compatible services reject; set AWS_REQUEST_CHECKSUM_CALCULATION=when_required if uploads fail.") {
            $0.isAWS == false && $0.text("endpoint_url").map(S3EndpointSchemeRule.hasScheme) == true
        }
    }
}

public struct S3StaticURLMismatchRule: Rule {
    public static let description = RuleDescription(
        code: "S3033", name: "s3-static-url-mismatch", severity: .error,
        summary: "STATIC_URL does not point where the S3 staticfiles storage serves files from.",
        rationale: """
            S3 storages build {% static %} URLs themselves (url_protocol//custom_domain/location/, or the \
            bucket's own URL) and never read STATIC_URL; code and templates that use STATIC_URL directly \
            (and the seed article's own STATIC_URL) then point at a different scheme, host or path. Keep \
            STATIC_URL equal to custom_domain + location.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com""#,
                                 staticURL: "https://cdn.example.com/assets/"),
              BackendExamples.example(staticURL: "/static/"),
              BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com", "url_protocol": "http:""#,
                                 staticURL: "https://cdn.example.com/static/")],
        good: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com""#,
                                  staticURL: "https://cdn.example.com/static/"),
               BackendExamples.example(),
               BackendExamples.example(BackendExamples.bucket + #", "endpoint_url": "https://minio.example.com:9000", "region_name": "us-east-1""#,
                                  staticURL: "https://minio.example.com:9000/assets/static/")])

    public init() {}

    /// Where the storage's URLs start: one base for a custom domain, the equivalent bucket URL
    /// shapes of §1.5 otherwise (virtual-host or path style); nil when it cannot be judged or
    /// another rule already reports the configuration as broken.
    static func bases(_ configuration: BackendConfiguration) -> [URLBase]? {
        guard let location = configuration.text("location"), !location.hasPrefix("/") else { return nil }
        let trimmed = String(location.reversed().drop { $0 == "/" }.reversed())
        let suffix = trimmed.isEmpty ? "/" : "/" + trimmed + "/"
        switch configuration.truthy("custom_domain") {
        case true?:
            guard let domain = configuration.text("custom_domain"), !domain.contains("://"), !domain.hasSuffix("/"),
                  S3URLProtocolRule.isValid(configuration), let scheme = configuration.text("url_protocol")?.dropLast()
            else { return nil }
            let host = domain.prefix { $0 != "/" }
            return [URLBase(scheme: String(scheme), authority: String(host), path: String(domain.dropFirst(host.count)) + suffix)]
        case false?:
            guard let bucket = configuration.text("bucket_name"), !bucket.isEmpty,
                  !bucket.contains(where: { $0 == "/" || $0 == ":" || $0.isWhitespace }) else { return nil }
            if configuration.configuredEndpoint {
                guard let endpoint = configuration.text("endpoint_url").flatMap(URLBase.init(absolute:)) else { return nil }
                return [URLBase(scheme: endpoint.scheme, authority: endpoint.authority, path: endpoint.path + bucket + suffix),
                        URLBase(scheme: endpoint.scheme, authority: bucket + "." + endpoint.authority,
                                path: String(endpoint.path.dropLast()) + suffix)]
            }
            guard configuration.truthy("endpoint_url") == false, let ssl = configuration.truthy("use_ssl") else { return nil }
            var hosts = ["s3.amazonaws.com"]
            if let region = configuration.text("region_name"), !region.isEmpty { hosts.append("s3.\(region).amazonaws.com") }
            return hosts.flatMap { host in
                [URLBase(scheme: ssl ? "https" : "http", authority: bucket + "." + host, path: suffix),
                 URLBase(scheme: ssl ? "https" : "http", authority: host, path: "/" + bucket + suffix)]
            }
        case nil:
            return nil
        }
    }

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3], staticOnly: true) { configuration, snapshot in
            // A project url() (a rewritten host) builds other URLs than the options say.
            guard !configuration.projectOverrides.contains("url"),
                  let value = snapshot["STATIC_URL"], !value.isNone, !value.dependsOnUnsetEnvironment,
                  let staticURL = value.string, let bases = Self.bases(configuration), let expected = bases.first,
                  !bases.contains(where: { URLBase(absolute: staticURL) == $0 }) else { return [] }
            return [BackendIssue(
                message: "STATIC_URL is \(SettingValue.quote(staticURL)) but {% static %} builds URLs under '\(expected)': "
                    + "STATIC_URL is not used by S3 storages for {% static %}; keep it consistent for code that reads STATIC_URL directly.",
                hints: ["set STATIC_URL = \(SettingValue.quote(expected.description))"],
                location: snapshot.location(of: "STATIC_URL"), setting: "STATIC_URL")]
        }
    }
}
