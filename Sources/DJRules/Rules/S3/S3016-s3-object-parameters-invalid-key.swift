import DJSettings
import Foundation

public struct S3ObjectParameterKeyRule: Rule {
    public static let description = RuleDescription(
        code: "S3016", name: "s3-object-parameters-invalid-key", severity: .error,
        summary: "object_parameters (AWS_S3_OBJECT_PARAMETERS) has a key boto3 does not accept as an upload argument.",
        rationale: """
            The parameters are handed to boto3 as ExtraArgs, named like the API (CacheControl), not like \
            HTTP headers (Cache-Control): the first upload fails with ValueError "Invalid extra_args key", \
            in the middle of collectstatic.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", ↓"object_parameters": {"Cache-Control": "max-age=86400"}"#)],
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
