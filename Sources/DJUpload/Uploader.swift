import Foundation
import PythonStdlib

/// Uploads a collected tree the safe way: one listing instead of a HEAD per file, unchanged
/// objects (same ETag) skipped, the rest written with bounded concurrency, and the manifest
/// written last and only when every other object is in place — a failed deploy never publishes a
/// manifest naming objects that are not there.
public struct Uploader: Sendable {
    public enum Action: String, Sendable, Codable { case upload, skip, delete }

    public struct Step: Sendable {
        public var key: String
        public var action: Action
    }

    public struct Report: Sendable {
        /// In plan order: files, then the manifest, then deletions.
        public var steps: [Step] = []
        public var uploaded = 0
        public var unchanged = 0
        public var deleted = 0
        /// Failed keys with their errors (the manifest is not written when this is not empty).
        public var failures: [(key: String, error: String)] = []
        public var manifestWritten = false
        public var requests = 0
    }

    public var store: any ObjectStore
    /// The key prefix of the storage (listing and `--clear` stay inside it).
    public var prefix: String
    public var concurrency: Int
    /// Called before each write or delete (dry run: for each planned one), for messages.
    public var onStep: @Sendable (Step) -> Void

    public init(store: any ObjectStore, prefix: String, concurrency: Int, onStep: @escaping @Sendable (Step) -> Void = { _ in }) {
        self.store = store
        self.prefix = prefix
        self.concurrency = max(1, concurrency)
        self.onStep = onStep
    }

    /// Uploads `objects`, then `manifest`; with `clear`, deletes the objects under the prefix that
    /// are not part of this upload, once the new manifest is live. `dryRun` only plans.
    /// `force` writes unchanged objects too (headers are not part of the ETag). `listing`: the
    /// bucket's listing already under way (`startListing`); else it is listed now.
    public func run(_ objects: [PreparedObject], manifest: PreparedObject?, clear: Bool, dryRun: Bool,
                    force: Bool = false, listing: Task<[PyStrKey: String], any Error>? = nil) async -> Report {
        var report = Report()
        let existing: [PyStrKey: String]
        do {
            existing = try await (listing ?? startListing()).value
        } catch {
            report.failures.append((prefix, "listing failed: \(error)"))
            return report
        }
        var pending: [PreparedObject] = []
        for object in objects {
            if !force && existing[PyStrKey(object.key)] == object.eTag {
                report.steps.append(Step(key: object.key, action: .skip))
                report.unchanged += 1
            } else {
                report.steps.append(Step(key: object.key, action: .upload))
                pending.append(object)
            }
        }
        let manifestChanged = manifest.map { force || existing[PyStrKey($0.key)] != $0.eTag } ?? false
        if let manifest {
            report.steps.append(Step(key: manifest.key, action: manifestChanged ? .upload : .skip))
            if !manifestChanged { report.unchanged += 1 }
        }
        var kept = Set(objects.map { PyStrKey($0.key) })
        if let manifest { kept.insert(PyStrKey(manifest.key)) }
        let stale = clear ? existing.keys.filter { !kept.contains($0) }.map(\.string).sorted() : []
        report.steps += stale.map { Step(key: $0, action: .delete) }
        if dryRun {
            for step in report.steps where step.action != .skip { onStep(step) }
            return report
        }
        let failures = await forEach(pending) { object in
            onStep(Step(key: object.key, action: .upload))
            try await store.put(object)
        }
        report.uploaded = pending.count - failures.count
        report.failures = failures
        guard failures.isEmpty else { return report }
        if let manifest, manifestChanged {
            onStep(Step(key: manifest.key, action: .upload))
            do {
                try await store.put(manifest)
                report.uploaded += 1
            } catch {
                report.failures.append((manifest.key, "\(error)"))
                return report
            }
        }
        report.manifestWritten = manifest != nil
        let deleteFailures = await forEach(stale) { key in
            onStep(Step(key: key, action: .delete))
            try await store.delete(key: key)
        }
        report.deleted = stale.count - deleteFailures.count
        report.failures += deleteFailures
        return report
    }

    /// Lists the objects under the prefix (key -> ETag) in the background.
    public func startListing() -> Task<[PyStrKey: String], any Error> {
        let store = store, prefix = prefix
        return Task { try await store.list(prefix: prefix) }
    }

    /// Runs `body` for every item, at most `concurrency` at a time; the failures, in item order.
    private func forEach<Item: Sendable & KeyedItem>(_ items: [Item], _ body: @escaping @Sendable (Item) async throws -> Void)
        async -> [(key: String, error: String)] {
        await withTaskGroup(of: (Int, String?).self) { group in
            var next = 0
            var failures: [(Int, String)] = []
            func start() {
                guard next < items.count else { return }
                let index = next
                next += 1
                group.addTask {
                    do {
                        try await body(items[index])
                        return (index, nil)
                    } catch {
                        return (index, "\(error)")
                    }
                }
            }
            for _ in 0..<min(concurrency, items.count) { start() }
            while let (index, error) = await group.next() {
                if let error { failures.append((index, error)) }
                start()
            }
            return failures.sorted { $0.0 < $1.0 }.map { (items[$0.0].itemKey, $0.1) }
        }
    }
}

/// Something the uploader reports by key.
protocol KeyedItem { var itemKey: String { get } }
extension PreparedObject: KeyedItem { var itemKey: String { key } }
extension String: KeyedItem { var itemKey: String { self } }
