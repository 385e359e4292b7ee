import DJSettings
import Foundation

public struct S3StaticCacheControlRule: Rule {
    public static let description = RuleDescription(
        code: "S3019", name: "s3-static-without-cache-control", severity: .info,
        summary: "Static objects are uploaded without a Cache-Control header.",
        rationale: """
            Without Cache-Control browsers and CDNs fall back to heuristics; hashed files (manifest \
            storage) never change and can be cached for a year, which saves requests and bandwidth.
            """,
        bad: [BackendExamples.example(backend: BackendExamples.manifestStorage, marking: .backend)],
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
