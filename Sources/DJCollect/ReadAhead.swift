import Crypto
import DJSettings
import DJStaticFiles
import Foundation
import Glibc
import PythonStdlib

/// Source files read before the collect needs them, on the other core while the project's
/// `django.setup()` still runs (see `CollectPreview`): each file's MD5 and, for the files the
/// manifest rewrites, whether any of the storage's patterns matches its text. (The bytes are not
/// kept: reading them again from the page cache costs less than holding every CSS and JS file.)
///
/// The collect asks by path and gets the same answer reading the file would give: an entry is used
/// only while the file is provably the one that was read — the same device, inode, size, mtime and
/// ctime now as before and after the read, and a ctime more than `racyWindow` older than the read
/// (a change within the file system's timestamp granularity could otherwise keep all five). Any
/// other file, or a changed one, is read again. A preview that differs from the final description
/// costs reads, never a different result.
public final class ReadAhead: Sendable {
    struct Identity: Equatable {
        var device: UInt64, inode: UInt64, size: Int64
        var mtime: timespec, ctime: timespec

        init?(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            mtime = info.st_mtim
            ctime = info.st_ctim
        }

        static func == (a: Identity, b: Identity) -> Bool {
            a.device == b.device && a.inode == b.inode && a.size == b.size && a.mtime.tv_sec == b.mtime.tv_sec
                && a.mtime.tv_nsec == b.mtime.tv_nsec && a.ctime.tv_sec == b.ctime.tv_sec && a.ctime.tv_nsec == b.ctime.tv_nsec
        }
    }

    struct Entry: @unchecked Sendable {  // timespec: plain integers
        var identity: Identity
        var md5: [UInt8]
        /// Files the manifest rewrites, valid UTF-8: the root-relative path the patterns were chosen
        /// by, and whether none of them matches the text (so rewriting leaves it as it is).
        var unmatched: (sourcePath: String, none: Bool)?
    }

    /// Seconds a file must have been unchanged before its read can be trusted (FAT's 2 s
    /// timestamps are the coarsest in use).
    static let racyWindow = 2

    let entries: [PyStrKey: Entry]
    /// The patterns `unmatched` was computed with.
    let patterns: [CollectDescription.PatternGroup]
    /// First-pass rewrites computed while the setup still ran, from the previewed description
    /// (`ManifestPostProcessor.previewRewrites`): the pass may take them only when the final
    /// description is the same.
    let previewed: PreviewRewrites?
    private let uses = Uses()

    struct PreviewRewrites: @unchecked Sendable {  // the rewrites' Lookups are not changed after they are made
        var description: CollectDescription
        var rewrites: [PyStrKey: ManifestPostProcessor.Prerewrite]
    }

    /// How the entries served: answers given, and entries refused because their file changed.
    final class Uses: @unchecked Sendable {
        private let lock = NSLock()
        private var answered = Set<PyStrKey>(), stale = Set<PyStrKey>()
        func record(_ path: String, fresh: Bool) { lock.withLock { _ = fresh ? answered.insert(PyStrKey(path)) : stale.insert(PyStrKey(path)) } }
        var counts: (answered: Int, stale: Int) { lock.withLock { (answered.count, stale.count) } }
    }

    /// Files read ahead; of them, those whose entry answered the collect, and those found changed.
    public var statistics: (read: Int, answered: Int, stale: Int) {
        let counts = uses.counts
        return (entries.count, counts.answered, counts.stale)
    }

    public static let none = ReadAhead(entries: [:], patterns: [])

    init(entries: [PyStrKey: Entry], patterns: [CollectDescription.PatternGroup], previewed: PreviewRewrites? = nil) {
        self.entries = entries
        self.patterns = patterns
        self.previewed = previewed
    }

    /// Reads every file the (previewed) description's finders list; nothing unless the storage
    /// keeps a manifest (only its post-processing reads the sources again). Then computes the
    /// first pass's rewrites from them (`ManifestPostProcessor.previewRewrites`). Stops early once
    /// `stop` is set (the evaluation returned: the collect does the rest on all cores).
    public static func read(_ description: CollectDescription, options: CollectOptions, version: DjangoVersion,
                            pythonVersion: String, stop: StopFlag = StopFlag()) -> ReadAhead {
        guard let patterns = description.storage?.manifest?.patterns else { return .none }
        let grammar = try? ReferenceGrammar(patterns: patterns, version: version, staticURL: description.staticURL ?? "",
                                    pythonVersion: pythonVersion)
        var collected: [FoundFile] = []  // what the collector keeps: the first file of each destination path
        var found: [(path: String, file: Int)] = []  // each source file once, and its index in `collected`
        var seen = Set<PyStrKey>(), destinations = Set<PyStrKey>()
        let finders = StaticFinders(description)
        try? finders.walk(ignoring: finders.ignorePatterns(extra: options.ignorePatterns,
                                                          useDefaults: options.useDefaultIgnorePatterns)) { file in
            guard destinations.insert(PyStrKey(file.prefixedPath)).inserted else { return }
            collected.append(file)
            if let path = try? file.source.path(file.sourcePath), seen.insert(PyStrKey(path)).inserted {
                found.append((path, collected.count - 1))
            }
        }
        let (files, sources) = (found, collected)
        let started = time(nil)
        let slots = ResultSlots<Entry?, Never>(count: files.count)
        // One core stays with the interpreter, whose setup this runs beside.
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: files.count, by: workers) {
                if stop.isSet { break }
                slots.set(index, .success(entry(files[index].path, sources[files[index].file], grammar: grammar, started: started)))
            }
        }
        var entries: [PyStrKey: Entry] = [:]
        for (index, found) in files.enumerated() {
            if case .success(let entry?)? = slots.result(index) { entries[PyStrKey(found.path)] = entry }
        }
        guard !stop.isSet else { return ReadAhead(entries: entries, patterns: patterns) }
        // A reader of its own: what the rewrites ask is not what the collect was answered.
        let rewrites = ManifestPostProcessor.previewRewrites(description, files: collected, version: version, pythonVersion: pythonVersion,
                                                             readAhead: ReadAhead(entries: entries, patterns: patterns),
                                                             workers: workers, stop: stop)
        return ReadAhead(entries: entries, patterns: patterns, previewed: PreviewRewrites(description: description, rewrites: rewrites))
    }

/// One file read, or nil when it cannot be trusted (changed too recently, or while read).
private static func entry(_ path: String, _ file: FoundFile, grammar: ReferenceGrammar?, started: Int) -> Entry? {
        guard let before = Identity(path), Int(before.ctime.tv_sec) < started - racyWindow else { return nil }
        let rewritten = grammar?.isAdjustable(file.prefixedPath) == true
        var entry = Entry(identity: before, md5: [])
        if rewritten {
            guard let bytes = try? LocalStorage.readFile(path) else { return nil }
            entry.md5 = Array(Insecure.MD5.hash(data: bytes))
            if let grammar, let content = UTF8Encoding.scalars(bytes) {
                let none = grammar.groups(for: file.sourcePath).allSatisfy { group in
                    group.patterns.allSatisfy { $0.regex.search(content) == nil }
                }
                entry.unmatched = (file.sourcePath, none)
            }
        } else {
            guard let digest = try? SafeIO.md5(path) else { return nil }
            entry.md5 = digest
        }
        return Identity(path) == before ? entry : nil
    }

    private func entry(_ path: String) -> Entry? {
        guard let entry = entries[PyStrKey(path)] else { return nil }
        let fresh = Identity(path) == entry.identity
        uses.record(path, fresh: fresh)
        return fresh ? entry : nil
    }

    /// The first-pass rewrites computed ahead, when `description` holds the data they were computed
    /// from. Class names aside: the rewrites are computed from the data alone, and an app's
    /// ready() may change a class that djstatic still reproduces (django-debug-toolbar mixes its
    /// URLMixin into the staticfiles storage's class). Locations aside: a rewrite computed ahead
    /// read none (it hashed the sources), and an S3 deploy collects into a staging tree.
    func rewrites(for description: CollectDescription) -> [PyStrKey: ManifestPostProcessor.Prerewrite] {
        guard let previewed else { return [:] }
        func data(_ description: CollectDescription) -> CollectDescription {
            var data = description
            data.storage?.className = ""
            data.storage?.classNames = []
            data.storage?.location = nil
            data.storage?.manifest?.location = nil
            return data
        }
        return data(previewed.description) == data(description) ? previewed.rewrites : [:]
    }

    /// The MD5 digest of the file's bytes.
    public func md5(_ path: String) throws(CollectError) -> [UInt8] {
        if let entry = entry(path) { return entry.md5 }
        return try SafeIO.md5(path)
    }

    /// The file's bytes, with their MD5 digest when it is known (the file kept its identity
    /// while it was read).
    public func read(_ path: String) throws(CollectError) -> (bytes: [UInt8], md5: [UInt8]?) {
        let bytes = try LocalStorage.readFile(path)
        return (bytes, entry(path)?.md5)
    }

    /// true when it is known that no pattern of `patterns` chosen for `sourcePath` matches the file's
    /// (valid UTF-8) text, so rewriting it gives back its bytes.
    public func unmatched(_ path: String, sourcePath: String, patterns: [CollectDescription.PatternGroup]) -> Bool {
        unmatchedDigest(path, sourcePath: sourcePath, patterns: patterns) != nil
    }

    /// The MD5 of the file when `unmatched` holds, from the same read (nil otherwise).
    func unmatchedDigest(_ path: String, sourcePath: String, patterns: [CollectDescription.PatternGroup]) -> [UInt8]? {
        guard patterns == self.patterns, let entry = entry(path), let found = entry.unmatched, found.sourcePath == sourcePath,
              found.none else { return nil }
        return entry.md5
    }
}

/// A flag one thread sets and others read.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    public init() {}
    public func raise() { lock.withLock { set = true } }
    public var isSet: Bool { lock.withLock { set } }
}

/// The MD5 digests of stored files that `hashed_name` hashes again and again (every reference to
/// an image hashes its copy in STATIC_ROOT, as Django does), each kept while its file keeps the
/// same identity (device, inode, size, mtime, ctime): a file replaced or rewritten is hashed anew.
final class StoredDigests: @unchecked Sendable {
    private let lock = NSLock()
    private var digests: [String: (identity: ReadAhead.Identity, md5: [UInt8])] = [:]

    func md5(_ path: String) throws(CollectError) -> [UInt8] {
        let identity = ReadAhead.Identity(path)
        if let identity, let known = lock.withLock({ digests[path] }), known.identity == identity { return known.md5 }
        let digest = try SafeIO.md5(path)
        if let identity, ReadAhead.Identity(path) == identity { lock.withLock { digests[path] = (identity, digest) } }
        return digest
    }
}
