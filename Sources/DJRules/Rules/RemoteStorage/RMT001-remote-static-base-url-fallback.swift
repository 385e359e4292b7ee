import DJSettings

public struct RemoteStaticBaseURLRule: Rule {
    public static let description = RuleDescription(
        code: "RMT001", name: "remote-static-base-url-fallback", severity: .warning,
        summary: "The staticfiles SFTPStorage/FTPStorage has no base_url of its own and falls back to MEDIA_URL.",
        rationale: """
            SFTPStorage (SFTP_BASE_URL) and FTPStorage (BASE_URL) build URLs from MEDIA_URL when no base \
            URL is configured, so every {% static %} URL points into the media area.
            """,
        bad: [BackendExamples.example(#""host": "files.example.com""#, backend: "storages.backends.sftpstorage.SFTPStorage",
                                      before: #"↓MEDIA_URL = "/media/""#, staticURL: "https://static.example.com/"),
              BackendExamples.example("", backend: "storages.backends.ftp.FTPStorage",
                                      before: "import os\nFTP_STORAGE_LOCATION = os.environ[\"FTP_STORAGE_LOCATION\"]",
                                      staticURL: "https://static.example.com/", marking: .backend)],
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
