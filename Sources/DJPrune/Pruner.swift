import Crypto
import Foundation
import PythonStdlib

/// Where a storage keeps its manifests, relative to the storage's root.
public struct PruneLayout: Sendable, Equatable {
    /// `manifest_name` ("staticfiles.json").
    public var manifestName: String
    /// The manifest the current settings read: "staticfiles.json", or "<release_id>/staticfiles.json"
    /// for a release-specific manifest storage.
    public var liveManifest: String
    /// Each release's manifest is `<dirname(dirname(liveManifest))>/<release_id>/<manifestName>`.
    public var releaseSpecific: Bool

    /// `collect --record-release` copies each deployed manifest here (opt-in history for a
    /// storage whose single manifest every deploy overwrites).
    public static let recordDirectory = ".djstatic/releases"
    /// Names a prune is about to delete, written before the first delete and removed after the
    /// last, so that a re-run finishes an interrupted prune.
    public static let journal = ".djstatic/prune-pending.json"

    public init(manifestName: String, liveManifest: String, releaseSpecific: Bool) {
        self.manifestName = manifestName
        self.liveManifest = liveManifest
        self.releaseSpecific = releaseSpecific
    }

    /// The directory release directories live in ("" for the root).
    var releaseParent: String { Self.dirname(Self.dirname(liveManifest)) }

    /// Names are Python strings: split at the last "/" code point (a "/" followed by a combining
    /// mark is one character to Swift).
    static func dirname(_ name: String) -> String {
        name.unicodeScalars.lastIndex(of: "/").map { String(name.unicodeScalars[..<$0]) } ?? ""
    }

    static func basename(_ name: String) -> String {
        name.unicodeScalars.lastIndex(of: "/").map { String(name.unicodeScalars[name.unicodeScalars.index(after: $0)...]) } ?? name
    }

    /// The release id when `name` is a release-specific manifest's place.
    func releaseID(ofManifest name: String) -> String? {
        guard releaseSpecific, PyString.codePointEqual(Self.basename(name), manifestName) else { return nil }
        let directory = Self.dirname(name)
        guard !directory.isEmpty, PyString.codePointEqual(Self.dirname(directory), releaseParent) else { return nil }
        return Self.basename(directory)
    }
}

/// Which releases to keep. A release is kept when it is among the newest `keep`, or newer than
/// `olderThan` (both given: either keeps it); the live manifest is always kept.
public struct PrunePolicy: Sendable {
    public var keep: Int?
    public var olderThan: TimeInterval?
    /// Also delete files no manifest names that are older than this (off unless asked for).
    public var unreferencedOlderThan: TimeInterval?
    public var now: Date

    public init(keep: Int?, olderThan: TimeInterval?, unreferencedOlderThan: TimeInterval?, now: Date = Date()) {
        self.keep = keep
        self.olderThan = olderThan
        self.unreferencedOlderThan = unreferencedOlderThan
        self.now = now
    }

    /// "14d", "36h", "90m", "30s", "2w", or a sum such as "3d12h" (a bare number is days).
    public static func duration(_ text: String) -> TimeInterval? {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let days = Int(text) { return TimeInterval(days) * 86400 }
        var total: TimeInterval = 0
        var digits = ""
        for character in text {
            if character.isASCII && character.isNumber {
                digits.append(character)
            } else if let unit = units[character], let value = Int(digits) {
                total += TimeInterval(value) * unit
                digits = ""
            } else {
                return nil
            }
        }
        return digits.isEmpty && !text.isEmpty ? total : nil
    }
}

public struct PruneRelease: Sendable {
    public var id: String
    /// The manifest's name under the root.
    public var manifest: String
    public var date: Date
    public var live: Bool
    public var kept: Bool
    /// From `collect --record-release` (else a release-specific manifest, or the live manifest).
    public var recorded: Bool
    /// Every name the manifest's `paths` holds: keys (original names) and values (hashed names),
    /// told apart as Python does (code points, not canonical equivalence).
    public var names: Set<PyStrKey>
    /// Files deleted because of this release (those it is the newest dropped release to name).
    public var files: [PruneEntry] = []
    public var bytes: Int { files.reduce(0) { $0 + $1.size } }
}

public struct PrunePlan: Sendable {
    public var location: String
    /// Newest first.
    public var releases: [PruneRelease]
    /// Files no manifest names, older than `--unreferenced-older-than`.
    public var unreferenced: [PruneEntry]
    /// Left over by an interrupted prune (named in its journal), not protected now.
    public var pending: [PruneEntry]
    /// Manifests that could not be read as manifests: not releases; left alone.
    public var warnings: [String]

    public var droppedReleases: [PruneRelease] { releases.filter { !$0.kept } }
    /// Every file to delete, in name order.
    public var files: [PruneEntry] {
        (droppedReleases.flatMap(\.files) + unreferenced + pending)
            .sorted { $0.name.unicodeScalars.lexicographicallyPrecedes($1.name.unicodeScalars) }
    }
    public var bytes: Int { files.reduce(0) { $0 + $1.size } }
    public var isEmpty: Bool { droppedReleases.isEmpty && files.isEmpty }
}

public struct PruneOutcome: Sendable {
    public var deletedManifests: [String] = []
    public var deletedFiles = 0
    public var deletedBytes = 0
    public var failures: [PruneFailure] = []
    /// Files not attempted because a dropped manifest could not be deleted first.
    public var skippedFiles = 0
}

/// Release retention over any `PruneStore`.
///
/// What is never deleted: a name any kept manifest holds (key or value, and its `.gz`/`.br`
/// compressed siblings), the live manifest, the kept manifests themselves, a name the current
/// finders provide, and a file no manifest names (unless `unreferencedOlderThan` asks for it).
/// Order: the journal is written, then every dropped manifest is deleted, and only then the files:
/// at no point does a stored manifest name a file that is gone, and a re-run reads the journal to
/// finish an interrupted prune.
public struct Pruner: Sendable {
    public var store: any PruneStore
    public var layout: PruneLayout
    public var policy: PrunePolicy
    /// Names the current finders provide (prefixed paths).
    public var finderNames: Set<PyStrKey>

    public init(store: any PruneStore, layout: PruneLayout, policy: PrunePolicy, finderNames: Set<PyStrKey>) {
        self.store = store
        self.layout = layout
        self.policy = policy
        self.finderNames = finderNames
    }

    /// The names WhiteNoise's compressed copies of `name` have.
    static func compressedSiblings(_ name: PyStrKey) -> [PyStrKey] {
        [PyStrKey(name.string + ".gz"), PyStrKey(name.string + ".br")]
    }

    public func plan() async throws -> PrunePlan {
        let listing = try await store.list()
        // Every name is a Python string: "café" precomposed and decomposed are two files.
        let byName = Dictionary(listing.map { (PyStrKey($0.name), $0) }, uniquingKeysWith: { first, _ in first })
        var warnings: [String] = []
        var releases: [PruneRelease] = []

        // A single manifest's bytes, to recognise its recorded copy.
        var liveBytes: Data?
        if !layout.releaseSpecific, byName[PyStrKey(layout.liveManifest)] != nil { liveBytes = try await store.read(layout.liveManifest) }

        for entry in listing {
            let recorded = Self.isRecord(entry.name)
            let releaseID = recorded ? Self.recordID(entry.name) : layout.releaseID(ofManifest: entry.name)
            guard let id = releaseID else { continue }
            let bytes = try await store.read(entry.name)
            let isLive = PyString.codePointEqual(entry.name, layout.liveManifest)
            guard let names = try Self.manifestNames(bytes, display: store.display(entry.name)) else {
                if isLive { throw Self.unreadableLiveManifest(store.display(entry.name)) }
                warnings.append("\(store.display(entry.name)): not a manifest (no \"paths\" object): left alone, not a release")
                continue
            }
            let live = isLive || (recorded && !layout.releaseSpecific && bytes == liveBytes)
            releases.append(PruneRelease(id: id, manifest: entry.name, date: recorded ? Self.recordDate(id) ?? entry.modified : entry.modified,
                                         live: live, kept: false, recorded: recorded, names: names))
        }
        // A release-specific directory that some manifest names as a static file is not a release.
        let everyName = releases.reduce(into: Set<PyStrKey>()) { $0.formUnion($1.names) }
        releases.removeAll {
            !$0.recorded && !PyString.codePointEqual($0.manifest, layout.liveManifest) && everyName.contains(PyStrKey($0.manifest))
        }
        // A single manifest that was never recorded: the live release on its own.
        if !layout.releaseSpecific, let liveBytes, !releases.contains(where: \.live) {
            if let names = try Self.manifestNames(liveBytes, display: store.display(layout.liveManifest)) {
                releases.append(PruneRelease(id: "(live, not recorded)", manifest: layout.liveManifest,
                                             date: byName[PyStrKey(layout.liveManifest)]!.modified, live: true, kept: true,
                                             recorded: false, names: names))
            } else {
                throw Self.unreadableLiveManifest(store.display(layout.liveManifest))
            }
        }

        releases.sort { $0.date != $1.date ? $0.date > $1.date : $1.id.unicodeScalars.lexicographicallyPrecedes($0.id.unicodeScalars) }
        for index in releases.indices {
            let release = releases[index]
            let newest = policy.keep.map { index < $0 } ?? false
            let recent = policy.olderThan.map { release.date > policy.now.addingTimeInterval(-$0) } ?? false
            releases[index].kept = release.live || newest || recent
        }

        // Protected: what kept manifests name, kept manifests themselves, the live manifest, the
        // journal and every finder-provided name; each with its compressed siblings.
        var protected = finderNames.union([PyStrKey(layout.liveManifest), PyStrKey(PruneLayout.journal)])
        for release in releases where release.kept {
            protected.formUnion(release.names)
            protected.insert(PyStrKey(release.manifest))
        }
        protected.formUnion(protected.flatMap(Self.compressedSiblings))
        var claimed = Set<PyStrKey>()
        func deletable(_ name: PyStrKey) -> PruneEntry? {
            guard !protected.contains(name), !claimed.contains(name), let entry = byName[name] else { return nil }
            claimed.insert(name)
            return entry
        }
        // Dropped manifests are deleted as manifests, not as files.
        for release in releases where !release.kept { claimed.insert(PyStrKey(release.manifest)) }
        // Each file is charged to the newest dropped release naming it.
        for index in releases.indices where !releases[index].kept {
            let names = releases[index].names.sorted { PyString.codePointLess($0.string, $1.string) }
            releases[index].files = names.flatMap { name in ([name] + Self.compressedSiblings(name)).compactMap(deletable) }
        }
        // An interrupted prune's journal: what it was about to delete, still not protected.
        var pending: [PruneEntry] = []
        if byName[PyStrKey(PruneLayout.journal)] != nil {
            let journal = try await store.read(PruneLayout.journal)
            for name in Self.journalNames(journal) ?? [] { if let entry = deletable(PyStrKey(name)) { pending.append(entry) } }
        }
        // Files no manifest names at all, only when asked for, by age.
        var unreferenced: [PruneEntry] = []
        if let age = policy.unreferencedOlderThan {
            let cutoff = policy.now.addingTimeInterval(-age)
            var named = everyName.union(releases.map { PyStrKey($0.manifest) })
            named.formUnion(named.flatMap(Self.compressedSiblings))
            for entry in listing where entry.modified < cutoff && !named.contains(PyStrKey(entry.name))
                && !PyString.startsWith(entry.name, ".djstatic/") && layout.releaseID(ofManifest: entry.name) == nil {
                if let entry = deletable(PyStrKey(entry.name)) { unreferenced.append(entry) }
            }
        }
        return PrunePlan(location: store.displayLocation, releases: releases, unreferenced: unreferenced, pending: pending,
                         warnings: warnings)
    }

    /// Carries out `plan`: journal, dropped manifests (oldest first), then files; the journal is
    /// removed when everything went. `report` hears of each deletion as it happens.
    public func execute(_ plan: PrunePlan, report: @Sendable (String) -> Void = { _ in }) async throws -> PruneOutcome {
        var outcome = PruneOutcome()
        let files = plan.files
        if plan.isEmpty { return outcome }
        let journal = try JSONSerialization.data(withJSONObject: ["version": 1, "files": files.map(\.name)],
                                                 options: [.sortedKeys, .withoutEscapingSlashes])
        try await store.write(PruneLayout.journal, journal)
        for release in plan.droppedReleases.reversed() {
            let failures = await store.delete([release.manifest])
            if failures.isEmpty {
                outcome.deletedManifests.append(release.manifest)
                report("Deleted manifest '\(store.display(release.manifest))' (release \(release.id))")
                if release.recorded == false, let local = store as? LocalPruneStore { local.removeEmptyDirectory(of: release.manifest) }
            } else {
                outcome.failures += failures
            }
        }
        // A dropped manifest still stored may name any of the files: delete none of them.
        if !outcome.failures.isEmpty {
            outcome.skippedFiles = files.count
            return outcome
        }
        var start = 0
        while start < files.count {
            let batch = Array(files[start..<min(start + store.batchSize, files.count)])
            start += batch.count
            let failures = await store.delete(batch.map(\.name))
            let failed = Set(failures.map { PyStrKey($0.name) })
            for file in batch where !failed.contains(PyStrKey(file.name)) {
                outcome.deletedFiles += 1
                outcome.deletedBytes += file.size
                report("Deleted '\(store.display(file.name))'")
            }
            outcome.failures += failures
        }
        if outcome.failures.isEmpty { _ = await store.delete([PruneLayout.journal]) }
        return outcome
    }

    // MARK: - Manifests

    /// Without the live manifest's names nothing can be known safe to delete.
    static func unreadableLiveManifest(_ path: String) -> PruneError {
        PruneError("\(path): the live manifest is not a manifest (no \"paths\" object); nothing is pruned while it cannot be read")
    }

    /// The JSON object `data` holds, read as Django reads a manifest (UTF-8, then `json.loads`);
    /// nil when it is no object. A value Python reads and Swift cannot hold (a lone surrogate)
    /// stops the prune: what it names is not known.
    static func jsonObject(_ data: Data, display: String) throws -> [(key: String, value: PyJSONValue)]? {
        guard let text = String(validating: data, as: UTF8.self) else { return nil }
        switch Result(catching: { () throws(PyJSON.LoadError) in try PyJSON.loads(text) }) {
        case .success(.object(let pairs)): return pairs
        case .success, .failure(.decode): return nil
        case .failure(.unrepresentable(let reason)): throw PruneError("\(display): \(reason); nothing is pruned while it cannot be read")
        }
    }

    /// Keys and values of a manifest's `paths`; nil when the bytes are not a manifest.
    static func manifestNames(_ data: Data, display: String) throws -> Set<PyStrKey>? {
        guard let object = try jsonObject(data, display: display),
              case .object(let paths)? = object.first(where: { PyString.codePointEqual($0.key, "paths") })?.value else { return nil }
        var names = Set<PyStrKey>()
        for (key, value) in paths {
            names.insert(PyStrKey(key))
            if case .string(let value) = value { names.insert(PyStrKey(value)) }
        }
        return names
    }

    static func journalNames(_ data: Data) -> [String]? {
        guard let object = try? jsonObject(data, display: PruneLayout.journal),
              case .array(let files)? = object.first(where: { PyString.codePointEqual($0.key, "files") })?.value else { return nil }
        return files.compactMap { if case .string(let name) = $0 { name } else { nil } }
    }

    static func isRecord(_ name: String) -> Bool {
        let directory = PruneLayout.recordDirectory + "/"
        return PyString.startsWith(name, directory) && PyString.endsWith(name, ".json")
            && !PyString.dropping(prefix: directory, from: name).utf8.contains(UInt8(ascii: "/"))
    }

    static func recordID(_ name: String) -> String {
        String(PruneLayout.basename(name).unicodeScalars.dropLast(".json".count))
    }

    /// `20261201T234012.123Z-<hash>` → its date.
    static func recordDate(_ id: String) -> Date? {
        guard let dash = id.firstIndex(of: "-") else { return nil }
        return recordFormatter().date(from: String(id[..<dash]))
    }

    static func recordFormatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        return formatter
    }

    /// Where `collect --record-release` keeps a copy of a deployed manifest:
    /// `.djstatic/releases/<UTC time>-<first 12 hex digits of its SHA-256>.json`.
    public static func recordName(manifest: Data, date: Date) -> String {
        let digest = SHA256.hash(data: manifest).map { String(format: "%02x", $0) }.joined()
        return PruneLayout.recordDirectory + "/" + recordFormatter().string(from: date) + "-" + digest.prefix(12) + ".json"
    }

    /// Records a deployed manifest: a new record named by time and hash; an older record of the
    /// same bytes is removed afterwards (the re-deployed release becomes the newest).
    public static func record(manifest: Data, in store: any PruneStore, date: Date = Date()) async throws -> String {
        let name = recordName(manifest: manifest, date: date)
        let hash = String(PruneLayout.basename(name).dropLast(".json".count).split(separator: "-").last ?? "")
        let earlier = try await store.list().map(\.name).filter {
            isRecord($0) && !PyString.codePointEqual($0, name) && PyString.endsWith(recordID($0), "-" + hash)
        }
        try await store.write(name, manifest)
        _ = await store.delete(earlier)
        return name
    }
}
