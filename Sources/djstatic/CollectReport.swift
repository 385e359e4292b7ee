import DJCollect
import DJStaticFiles
import DJSettings
import DJUpload
import Foundation

/// `djstatic collect --format json`: one object on standard output.
public enum CollectReport {
    /// `{"status": "ok" | "error", "django": "5.2", "destination", "dry_run", "link", "copied" | "symlinked",
    /// "unmodified", "post_processed", "deleted", "skipped", "manifest", "error": {"type", "message"}}`.
    public static func json(summary: CollectSummary?, django: DjangoVersion, manifest: String?, error: CollectError?) -> String {
        render(object(summary: summary, django: django, manifest: manifest, error: error))
    }

    /// The same for an S3 storage, with `"upload": {"bucket", "prefix", "uploaded", "unchanged",
    /// "deleted", "failed": [{"key", "error"}], "manifest_written", "plan": [{"key", "action"}]}`
    /// and `"status": "error"` when an object failed.
    public static func json(summary: CollectSummary, django: DjangoVersion, upload outcome: RemoteCollect.Outcome) -> String {
        let report = outcome.upload
        var object = object(summary: summary, django: django, manifest: outcome.manifestKey, error: nil)
        object["destination"] = "s3://\(outcome.bucket)/\(outcome.prefix)"
        if !report.failures.isEmpty { object["status"] = "error" }
        object["upload"] = [
            "bucket": outcome.bucket, "prefix": outcome.prefix, "uploaded": report.uploaded, "unchanged": report.unchanged,
            "deleted": report.deleted, "manifest_written": report.manifestWritten,
            "failed": report.failures.map { ["key": $0.key, "error": $0.error] },
            "plan": report.steps.map { ["key": $0.key, "action": $0.action.rawValue] },
        ] as [String: Any]
        return render(object)
    }

    /// The text line after collectstatic's summary for an S3 storage.
    public static func uploadLine(_ outcome: RemoteCollect.Outcome) -> String {
        let report = outcome.upload
        let destination = "s3://\(outcome.bucket)/\(outcome.prefix)"
        if outcome.summary.dryRun {
            let uploads = report.steps.filter { $0.action == .upload }.count
            let deletes = report.steps.filter { $0.action == .delete }.count
            return "Dry run, nothing written to \(destination): \(uploads) to upload, "
                + "\(report.steps.count - uploads - deletes) unchanged, \(deletes) to delete."
        }
        var line = "\(destination): \(report.uploaded) uploaded, \(report.unchanged) unchanged"
        if report.deleted > 0 { line += ", \(report.deleted) deleted" }
        if !report.failures.isEmpty { line += ", \(report.failures.count) failed" }
        return line + "."
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
