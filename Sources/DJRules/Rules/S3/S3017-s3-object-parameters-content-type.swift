import DJSettings
import Foundation

public struct S3ContentTypeParameterRule: Rule {
    public static let description = RuleDescription(
        code: "S3017", name: "s3-object-parameters-content-type", severity: .warning,
        summary: "The staticfiles storage's object_parameters set ContentType.",
        rationale: """
            django-storages guesses the Content-Type per file only when object_parameters has none: a \
            fixed ContentType serves CSS, JavaScript and images with one type, and browsers refuse \
            stylesheets and scripts with the wrong type (X-Content-Type-Options: nosniff).
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", ↓"object_parameters": {"ContentType": "text/css"}"#)],
        good: [BackendExamples.example(BackendExamples.bucket + #", "object_parameters": {"CacheControl": "max-age=86400"}"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], staticOnly: true, option: "object_parameters",
                             "ContentType in object_parameters forces one type on every static file.") {
            $0.keys("object_parameters")?.contains("ContentType") == true
        }
    }
}
