import DJSettings

public struct CollectfastGzipRule: Rule {
    public static let description = RuleDescription(
        code: "CF008", name: "collectfast-gzip-hash-mismatch", severity: .warning,
        summary: "AWS_IS_GZIPPED is on with a Collectfast boto3 strategy.",
        rationale: """
            Collectfast hashes its own gzip of each file, which differs from django-storages' upload \
            in the gzip header's OS byte, so the hash never equals the S3 ETag: CSS, JS and SVG are \
            uploaded again on every run with a cold cache.
            """,
        bad: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy + "\n↓AWS_IS_GZIPPED = True")],
        good: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, snapshot["AWS_IS_GZIPPED"] == .bool(true) else { return [] }
        return snapshot.collectfastPackages.compactMap { package in
            guard let strategy = package.strategy(in: snapshot), package.strategies[strategy] == .s3 else { return nil }
            return Finding("Collectfast's gzip hash never equals the S3 ETag; gzip-eligible files are re-uploaded whenever the cache is cold.",
                           setting: "AWS_IS_GZIPPED",
                           hints: ["let the CDN compress instead (CloudFront can), or accept the re-uploads"])
        }
    }
}
