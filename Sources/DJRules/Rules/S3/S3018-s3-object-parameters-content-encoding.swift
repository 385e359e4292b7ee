import DJSettings
import Foundation

public struct S3ContentEncodingParameterRule: Rule {
    public static let description = RuleDescription(
        code: "S3018", name: "s3-object-parameters-content-encoding", severity: .warning,
        summary: "object_parameters set ContentEncoding.",
        rationale: """
            Every object is then labelled as encoded (e.g. gzip) whether or not its bytes are, so browsers \
            fail to decode the plain ones; django-storages also skips its own gzip step when an encoding \
            is already set.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", ↓"object_parameters": {"ContentEncoding": "gzip"}"#)],
        good: [BackendExamples.example(BackendExamples.bucket + #", "gzip": True"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], option: "object_parameters",
                             "ContentEncoding in object_parameters labels every file as encoded and disables gzip.") {
            $0.keys("object_parameters")?.contains("ContentEncoding") == true
        }
    }
}
