import DJSettings

public struct RemoteStaticNetworkURLRule: Rule {
    public static let description = RuleDescription(
        code: "RMT002", name: "remote-static-url-network-call", severity: .warning,
        summary: "DropboxStorage or LibCloudStorage serves static files.",
        rationale: """
            These backends ask the remote API for every url() call: each {% static %} costs a network \
            round trip, and Dropbox's temporary links expire after a few hours.
            """,
        bad: [BackendExamples.example(#""root_path": "/static""#, backend: "storages.backends.dropbox.DropboxStorage",
                                      staticURL: "/static/", marking: .backend)],
        good: [BackendExamples.example()])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.dropbox, .libcloud], staticOnly: true, option: nil,
                             "url() makes a network call per URL (Dropbox links expire); unsuitable for static files.") { _ in true }
    }
}
