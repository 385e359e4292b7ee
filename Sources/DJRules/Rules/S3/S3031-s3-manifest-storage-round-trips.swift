import DJSettings

public struct S3ManifestRoundTripsRule: Rule {
    public static let description = RuleDescription(
        code: "S3031", name: "s3-manifest-storage-round-trips", severity: .info,
        summary: "S3ManifestStaticStorage keeps staticfiles.json in the bucket.",
        rationale: """
            Every process reads the manifest from S3 when it first renders {% static %} (HEAD, HEAD, GET; \
            an unreachable bucket fails that request), and every collectstatic deletes and re-uploads CSS/JS \
            copies and the manifest, leaving a window in which running processes find none.
            """,
        bad: [BackendExamples.example(backend: BackendExamples.manifestStorage, marking: .backend)],
        good: [BackendExamples.example()])

    public init() {}

    /// `prefix`: the storage's location with a trailing slash, or "".
    static func message(manifestPrefix prefix: String) -> String {
        "Each process fetches \(prefix)staticfiles.json on first use (HEAD, HEAD, GET); collectstatic deletes+rewrites "
            + "CSS/JS copies and the manifest every run. Consider manifest_storage on local disk or a two-pass uploader."
    }

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3]) { configuration, _ in
            guard configuration.isManifest else { return [] }
            let location = configuration.text("location").map { $0.isEmpty ? "" : $0.hasSuffix("/") ? $0 : $0 + "/" } ?? ""
            return [BackendIssue(
                message: Self.message(manifestPrefix: location),
                location: configuration.location)]
        }
    }
}
