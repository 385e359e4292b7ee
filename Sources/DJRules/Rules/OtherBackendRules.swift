import DJSettings

private let gcs = "storages.backends.gcloud.GoogleCloudStorage"
private let azure = "storages.backends.azure_storage.AzureStorage"
private let gcsURL = "https://storage.googleapis.com/assets/static/"

public struct GCSStaticSignedURLsRule: Rule {
    public static let description = RuleDescription(
        code: "GCS001", name: "gcs-static-signed-urls", severity: .warning,
        summary: "The staticfiles GoogleCloudStorage signs its URLs (querystring_auth on, default_acl not publicRead).",
        rationale: """
            GoogleCloudStorage returns a V4-signed URL unless the object ACL is publicRead or \
            querystring_auth is off: static URLs then expire after GS_EXPIRATION (one day), change on \
            every render, and need credentials able to sign (a service-account key or iam_sign_blob) on \
            every web process.
            """,
        bad: [BackendExamples.example(#""bucket_name": "assets", "location": "static""#, backend: gcs, staticURL: gcsURL)],
        good: [BackendExamples.example(#""bucket_name": "assets", "location": "static", "querystring_auth": False"#,
                                       backend: gcs, staticURL: gcsURL)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.gcs], staticOnly: true, option: "querystring_auth",
                             "Static URLs will be V4-signed (expire after GS_EXPIRATION) and need signing-capable credentials; set querystring_auth=False for a public bucket.") {
            guard $0.truthy("querystring_auth") == true, let acl = $0["default_acl"] else { return false }
            return !acl.dependsOnUnsetEnvironment && acl != .string("publicRead")
        }
    }
}

public struct GCSDefaultACLRule: Rule {
    public static let description = RuleDescription(
        code: "GCS002", name: "gcs-default-acl", severity: .info,
        summary: "GoogleCloudStorage with default_acl / GS_DEFAULT_ACL set.",
        rationale: """
            Buckets with uniform bucket-level access (the default for new buckets) reject per-object ACLs: \
            every upload fails with "Cannot insert legacy ACL for an object when uniform bucket-level \
            access is enabled". Grant public read through IAM and turn querystring_auth off instead.
            """,
        bad: [BackendExamples.example(#""bucket_name": "assets", "location": "static""#, backend: gcs,
                                      before: #"GS_DEFAULT_ACL = "publicRead""#, staticURL: gcsURL)],
        good: [BackendExamples.example(#""bucket_name": "assets", "location": "static", "querystring_auth": False"#,
                                       backend: gcs, staticURL: gcsURL)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.gcs], option: "default_acl",
                             "Fails on buckets with uniform bucket-level access (\"Cannot insert legacy ACL…\"); use IAM + querystring_auth=False.") {
            $0.truthy("default_acl") == true
        }
    }
}

public struct GCSLocationLeadingSlashRule: Rule {
    public static let description = RuleDescription(
        code: "GCS003", name: "gcs-location-leading-slash", severity: .error,
        summary: "The effective location of a GoogleCloudStorage starts with '/'.",
        rationale: "GoogleCloudStorage refuses a location starting with '/' when it is created (ImproperlyConfigured), like the S3 backend.",
        mirrors: "ImproperlyConfigured",
        bad: [BackendExamples.example(#""bucket_name": "assets", "location": "/static""#, backend: gcs, staticURL: gcsURL)],
        good: [BackendExamples.example(#""bucket_name": "assets", "location": "static""#, backend: gcs, staticURL: gcsURL)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] { LeadingSlashLocation(family: .gcs).check(context) }
}

public struct GCSRemovedSettingRule: Rule {
    public static let description = RuleDescription(
        code: "GCS004", name: "gcs-removed-setting", severity: .warning,
        summary: "GS_CACHE_CONTROL, GS_AUTO_CREATE_BUCKET or GS_AUTO_CREATE_ACL is defined.",
        rationale: """
            django-storages removed GS_CACHE_CONTROL in 1.14 and the auto-create settings in 1.10: they are \
            silently ignored, so uploads carry no Cache-Control and buckets are not created.
            """,
        bad: [Example(#"GS_CACHE_CONTROL = "public, max-age=86400""#)],
        good: [Example(#"GS_OBJECT_PARAMETERS = {"cache_control": "public, max-age=86400"}"#)])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        RemovedSettings(replacements: [
            "GS_CACHE_CONTROL": "GS_OBJECT_PARAMETERS={\"cache_control\": ...}",
            "GS_AUTO_CREATE_BUCKET": "a bucket created beforehand",
            "GS_AUTO_CREATE_ACL": "a bucket created beforehand, with IAM permissions",
        ]).check(context)
    }
}

public struct AzureContainerMissingRule: Rule {
    public static let description = RuleDescription(
        code: "AZ001", name: "azure-container-missing", severity: .error,
        summary: "AzureStorage has no container (azure_container / AZURE_CONTAINER).",
        rationale: "Every blob operation and URL needs the container: uploads and {% static %} fail without it.",
        bad: [BackendExamples.example(#""account_name": "assets""#, backend: azure,
                                      staticURL: "https://assets.blob.core.windows.net/static/")],
        good: [BackendExamples.example(#""account_name": "assets", "azure_container": "static""#, backend: azure,
                                       staticURL: "https://assets.blob.core.windows.net/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.azure], option: "azure_container", "AZURE_CONTAINER is required.") {
            $0.truthy("azure_container") == false
        }
    }
}

public struct AzureStaticExpiringURLsRule: Rule {
    public static let description = RuleDescription(
        code: "AZ002", name: "azure-static-expiring-urls", severity: .info,
        summary: "The staticfiles AzureStorage has expiration_secs (AZURE_URL_EXPIRATION_SECS) set.",
        rationale: """
            With an expiry AzureStorage appends a SAS token to every URL: static URLs change on every \
            render, defeat caching, and expire in cached pages.
            """,
        bad: [BackendExamples.example(#""account_name": "assets", "azure_container": "static", "expiration_secs": 3600"#,
                                      backend: azure, staticURL: "https://assets.blob.core.windows.net/static/")],
        good: [BackendExamples.example(#""account_name": "assets", "azure_container": "static""#, backend: azure,
                                       staticURL: "https://assets.blob.core.windows.net/static/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.azure], staticOnly: true, option: "expiration_secs",
                             "Static URLs will carry expiring SAS tokens.") { $0.judged("expiration_secs") != nil }
    }
}

public struct RemoteStaticBaseURLRule: Rule {
    public static let description = RuleDescription(
        code: "RMT001", name: "remote-static-base-url-fallback", severity: .warning,
        summary: "The staticfiles SFTPStorage/FTPStorage has no base_url of its own and falls back to MEDIA_URL.",
        rationale: """
            SFTPStorage (SFTP_BASE_URL) and FTPStorage (BASE_URL) build URLs from MEDIA_URL when no base \
            URL is configured, so every {% static %} URL points into the media area.
            """,
        bad: [BackendExamples.example(#""host": "files.example.com""#, backend: "storages.backends.sftpstorage.SFTPStorage",
                                      before: #"MEDIA_URL = "/media/""#, staticURL: "https://static.example.com/"),
              BackendExamples.example("", backend: "storages.backends.ftp.FTPStorage",
                                      before: "import os\nFTP_STORAGE_LOCATION = os.environ[\"FTP_STORAGE_LOCATION\"]",
                                      staticURL: "https://static.example.com/")],
        good: [BackendExamples.example(#""host": "files.example.com", "base_url": "https://static.example.com/""#,
                                       backend: "storages.backends.sftpstorage.SFTPStorage",
                                       staticURL: "https://static.example.com/")])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.sftp, .ftp], staticOnly: true) { configuration, _ in
            guard let baseURL = configuration.options["base_url"], !baseURL.value.dependsOnUnsetEnvironment else { return [] }
            guard baseURL.origin == .setting("MEDIA_URL") || baseURL.origin == .default || !baseURL.value.isTruthy else { return [] }
            let setting = configuration.family == .sftp ? "SFTP_BASE_URL" : "BASE_URL"
            return [BackendIssue(message: "URLs fall back to MEDIA_URL; set the backend's base_url for static files.",
                                 option: "base_url", hints: ["set base_url in OPTIONS (or \(setting))"])]
        }
    }
}

public struct RemoteStaticNetworkURLRule: Rule {
    public static let description = RuleDescription(
        code: "RMT002", name: "remote-static-url-network-call", severity: .warning,
        summary: "DropboxStorage or LibCloudStorage serves static files.",
        rationale: """
            These backends ask the remote API for every url() call: each {% static %} costs a network \
            round trip, and Dropbox's temporary links expire after a few hours.
            """,
        bad: [BackendExamples.example(#""root_path": "/static""#, backend: "storages.backends.dropbox.DropboxStorage",
                                      staticURL: "/static/")],
        good: [BackendExamples.example()])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.dropbox, .libcloud], staticOnly: true, option: nil,
                             "url() makes a network call per URL (Dropbox links expire); unsuitable for static files.") { _ in true }
    }
}

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
                    "OPTIONS": {"provider_name": "s3", "bucket": "assets"},
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
