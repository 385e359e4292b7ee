import DJSettings
import Foundation

public struct S3BucketNameMalformedRule: Rule {
    public static let description = RuleDescription(
        code: "S3003", name: "s3-bucket-name-malformed", severity: .error,
        summary: "bucket_name is a URL, an ARN or a path instead of the bare bucket name.",
        rationale: """
            botocore validates the bucket against the S3 naming rules before any request: 's3://assets', \
            'arn:aws:s3:::assets' or 'assets/static' fail every upload and URL with ParamValidationError \
            "Invalid bucket name". A key prefix goes into location.
            """,
        bad: [BackendExamples.example(#"↓"bucket_name": "s3://assets", "location": "static""#),
              BackendExamples.example(#"↓"bucket_name": "assets/static""#)],
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
