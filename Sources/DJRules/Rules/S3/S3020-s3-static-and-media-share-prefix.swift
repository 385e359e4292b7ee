import DJSettings
import Foundation

public struct S3SharedPrefixRule: Rule {
    public static let description = RuleDescription(
        code: "S3020", name: "s3-static-and-media-share-prefix", severity: .warning,
        summary: "The 'staticfiles' and 'default' S3 storages use the same bucket and location.",
        rationale: """
            Global AWS_* settings apply to every S3 alias, so media and static files silently share one \
            key prefix: collectstatic --clear deletes user uploads, and an upload can overwrite a static \
            file of the same name. Give each alias its own location in OPTIONS.
            """,
        bad: [BackendExamples.example(#""bucket_name": "assets", ↓"location": "static""#, media: #"{"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "assets", "location": "static"}}"#),
              BackendExamples.example("", before: "AWS_STORAGE_BUCKET_NAME = \"assets\"\n↓AWS_LOCATION = \"files\"",
                                      media: #"{"BACKEND": "storages.backends.s3.S3Storage"}"#)],
        good: [BackendExamples.example(media: #"{"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "assets", "location": "media"}}"#)])

    public init() {}

    static func prefix(_ configuration: BackendConfiguration) -> SettingValue? {
        guard case .string(let location) = configuration["location"] else { return configuration["location"] }
        return .string(String(location.reversed().drop { $0 == "/" }.reversed()))
    }

    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot, let media = snapshot.backends["default"], media.family == .s3,
              !media.projectOverrides.contains("__init__") else { return [] }
        return BackendFindings.collect(context, [.s3], staticOnly: true) { configuration, _ in
            // A project __init__ may choose the bucket or location itself (saleor's media storage).
            guard !configuration.projectOverrides.contains("__init__"),
                  configuration.truthy("bucket_name") != false, configuration["bucket_name"] == media["bucket_name"],
                  let prefix = Self.prefix(configuration), prefix == Self.prefix(media) else { return [] }
            return [BackendIssue(
                message: "Static and media share one key prefix; collectstatic --clear and name clashes affect user uploads. Give each alias its own location (OPTIONS).",
                option: "location", hints: ["both use bucket \(media["bucket_name"]?.pythonRepr ?? "None") and location \(prefix.pythonRepr)"])]
        }
    }
}
