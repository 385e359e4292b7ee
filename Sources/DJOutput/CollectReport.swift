import DJCollect
import DJSettings
import Foundation

/// `djstatic collect --format json`: one object on standard output.
public enum CollectReport {
    /// `{"status": "ok" | "error", "django": "5.2", "destination", "dry_run", "link", "copied" | "symlinked",
    /// "unmodified", "post_processed", "deleted", "skipped", "manifest", "error": {"type", "message"}}`.
    public static func json(summary: CollectSummary?, django: DjangoVersion, manifest: String?, error: CollectError?) -> String {
        render(object(summary: summary, django: django, manifest: manifest, error: error))
    }

    private static func object(summary: CollectSummary?, django: DjangoVersion, manifest: String?, error: CollectError?)
        -> [String: Any] {
        var object: [String: Any] = ["status": error == nil ? "ok" : "error", "django": django.description]
        if let summary {
            object["destination"] = summary.destination
            object["dry_run"] = summary.dryRun
            object["link"] = summary.link
            object[summary.link ? "symlinked" : "copied"] = summary.modified
            object["unmodified"] = summary.unmodified
            object["post_processed"] = summary.postProcessed
            object["deleted"] = summary.deleted
            object["skipped"] = summary.skipped
            object["manifest"] = manifest.map { $0 as Any } ?? NSNull()
        }
        if let error { object["error"] = ["type": error.type, "message": error.message] }
        return object
    }

    private static func render(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
