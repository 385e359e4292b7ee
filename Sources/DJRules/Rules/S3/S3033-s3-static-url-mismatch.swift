import DJSettings
import S3Addressing

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
                                 staticURL: "https://cdn.example.com/assets/", marking: .staticURL),
              BackendExamples.example(staticURL: "/static/", marking: .staticURL),
              BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com", "url_protocol": "http:""#,
                                 staticURL: "https://cdn.example.com/static/", marking: .staticURL)],
        good: [BackendExamples.example(BackendExamples.bucket + #", "custom_domain": "cdn.example.com""#,
                                  staticURL: "https://cdn.example.com/static/"),
               BackendExamples.example(),
               BackendExamples.example(BackendExamples.bucket + #", "endpoint_url": "https://minio.example.com:9000", "region_name": "us-east-1""#,
                                  staticURL: "https://minio.example.com:9000/assets/static/")])

    public init() {}

    /// Where the storage's URLs start: one base for a custom domain, the equivalent bucket URL
    /// shapes otherwise (virtual-host or path style, as boto3 addresses it); nil when it cannot be judged or
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
            let endpoint = configuration.configuredEndpoint ? configuration.text("endpoint_url") : nil
            guard endpoint != nil || configuration.truthy("endpoint_url") == false,
                  let ssl = configuration.truthy("use_ssl") else { return nil }
            // What url() builds first (boto3 presigns with addressing style auto on the global
            // host, whatever the region), then the other shapes that reach the same objects: either
            // addressing style, on the global host or the region's.
            let region = configuration.text("region_name")
            var bases: [URLBase] = []
            for region in endpoint == nil ? [nil, region] : [nil] {
                for style in [S3AddressingStyle.auto, .virtual, .path] {
                    guard let address = try? S3Address(bucket: bucket, region: region, endpointURL: endpoint,
                                                       addressingStyle: style, useSSL: ssl) else { return nil }
                    if let base = URLBase(absolute: address.url(key: String(suffix.dropFirst()))), !bases.contains(base) {
                        bases.append(base)
                    }
                }
            }
            return bases
        case nil:
            return nil
        }
    }

    static func message(staticURL: String, expected: URLBase) -> String {
        "STATIC_URL is \(SettingValue.quote(staticURL)) but {% static %} builds URLs under '\(expected)': "
            + "STATIC_URL is not used by S3 storages for {% static %}; keep it consistent for code that reads STATIC_URL directly."
    }

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.collect(context, [.s3], staticOnly: true) { configuration, snapshot in
            // A project url() (a rewritten host) builds other URLs than the options say.
            guard !configuration.projectOverrides.contains("url"),
                  let value = snapshot["STATIC_URL"], !value.isNone, !value.dependsOnUnsetEnvironment,
                  let staticURL = value.string, let bases = Self.bases(configuration), let expected = bases.first,
                  !bases.contains(where: { URLBase(absolute: staticURL) == $0 }) else { return [] }
            return [BackendIssue(
                message: Self.message(staticURL: staticURL, expected: expected),
                hints: ["set STATIC_URL = \(SettingValue.quote(expected.description))"],
                location: snapshot.location(of: "STATIC_URL"), setting: "STATIC_URL")]
        }
    }
}
