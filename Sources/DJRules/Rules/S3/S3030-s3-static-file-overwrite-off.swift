import DJSettings

public struct S3StaticNoOverwriteRule: Rule {
    public static let description = RuleDescription(
        code: "S3030", name: "s3-static-file-overwrite-off", severity: .info,
        summary: "The staticfiles S3 storage has file_overwrite (AWS_S3_FILE_OVERWRITE) False.",
        rationale: """
            Static files are meant to be replaced in place: with file_overwrite off every upload costs an \
            extra HEAD, and a clash stores the file under a random suffix that templates never reference.
            """,
        bad: [BackendExamples.example(BackendExamples.bucket + #", ↓"file_overwrite": False"#)],
        good: [BackendExamples.example()])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        BackendFindings.flag(context, [.s3], staticOnly: true, option: "file_overwrite",
                             "Adds a HEAD per uploaded file and may rename keys with a random suffix.") {
            $0.truthy("file_overwrite") == false
        }
    }
}
