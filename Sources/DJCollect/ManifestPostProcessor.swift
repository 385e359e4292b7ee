import PythonStdlib
import Crypto
import DJSettings
import DJStaticFiles
import Foundation

/// `HashedFilesMixin` + `ManifestFilesMixin.post_process` (Django 4.2–6.1): hashed copies, CSS/JS
/// reference rewriting over up to 1 + `max_post_process_passes` passes, and `staticfiles.json`.
/// Django's regexes run verbatim on `PyRegex`; every string operation is the Python one.
public struct ManifestPostProcessor: PostProcessor, Sendable {
    let target: LocalStorage
    let manifestStorage: LocalStorage
    let manifest: CollectDescription.Manifest
    let version: DjangoVersion
    /// The storage's patterns and how a reference resolves.
    let grammar: ReferenceGrammar
    /// The storage's `base_url`, which `url()` joins hashed names to.
    let baseURL: String?
    let storageRepr: String
    /// `storage.hashed_files`: the manifest's paths, in insertion order.
    public private(set) var hashedFiles = OrderedMap()
    /// Records every name `hashed_name` returns (WhiteNoise's `_new_files`), when set.
    public var hashedNameLog: NameLog?
    /// Source files read while the project's setup ran (digests, rewritten files' bytes).
    public var readAhead = ReadAhead.none
    /// The stored files `hashedName` has hashed.
    let storedDigests = StoredDigests()
    /// How many first-pass rewrites were computed ahead, and how many the pass took.
    public let prerewrites = PrerewriteCount()
    /// The description this processor was made from (rewrites computed from a preview of it are
    /// taken only when it is the same).
    let collectDescription: CollectDescription
    /// Set when rewriting ahead from a preview of the description, before anything is collected:
    /// the source file the copy phase will store under each name. A stored file is then hashed
    /// from its source; the pass checks each such answer against the stored file.
    var previewSources: [PyStrKey: String]?

    public init(description: CollectDescription, version: DjangoVersion, pythonVersion: String) throws(CollectError) {
        let storage = try description.requireStorage()
        guard let manifest = storage.manifest, let location = storage.location else {
            throw CollectError("ValueError", "not a manifest storage")
        }
        self.manifest = manifest
        self.version = version
        self.collectDescription = description
        self.target = LocalStorage(location: location, filePermissions: storage.filePermissions,
                                   directoryPermissions: storage.directoryPermissions)
        self.manifestStorage = LocalStorage(location: manifest.location ?? location,
                                            filePermissions: manifest.filePermissions,
                                            directoryPermissions: manifest.directoryPermissions)
        self.grammar = try ReferenceGrammar(patterns: manifest.patterns, version: version,
                                            staticURL: description.staticURL ?? "", pythonVersion: pythonVersion)
        self.baseURL = storage.baseURL
        self.storageRepr = "<\(storage.className) object>"
    }

    // MARK: post_process

    func isAdjustable(_ path: String) -> Bool { grammar.isAdjustable(path) }

    struct PassResult {
        var name: String
        var hashed: String?
        var outcome: Outcome
        var substitutions: Bool
        enum Outcome { case processed, unchanged, failed(CollectError) }
    }

    /// What rewriting an adjustable file looked up in `hashed_files` (key -> the value then, nil
    /// when absent: the name was hashed from the stored file, which post-processing never
    /// changes). When every lookup gives the same answer in a later pass, the rewrite is the same
    /// text with the same hashed name, already saved: the pass only reports it.
    final class Lookups {
        var entries: [(key: String, value: String?)] = []
        /// In a rewrite computed from a preview: the names hashed from the source of their stored
        /// file (the absent entries), and the hashed names, until the pass checks them.
        var stored: [(name: String, hashed: String)] = []
        var failed = false

        func stillValid(in hashed: OrderedMap) -> Bool {
            !failed && entries.allSatisfy { hashed[$0.key] == $0.value }
        }

        /// Drops the answers that cannot change any more, before the lookups are kept for later
        /// passes (at 50k files these entries were the largest part of peak memory).
        func keepChanging(_ keys: ChangingKeys) {
            entries = entries.filter { entry in  // a new array: removeAll(where:) keeps the capacity
                (entry.value == nil ? keys.found : keys.rewritten).contains(PyStrKey(entry.key))
            }
        }

        /// Every stored file hashes as it did (a rewrite computed from a preview hashed sources).
        func storedStillValid(_ processor: ManifestPostProcessor) -> Bool {
            stored.allSatisfy { (try? processor.hashedName($0.name)) == $0.hashed }
        }
    }

    /// The `hashed_files` keys whose answer can still change: a rewritten file's (re-hashed in
    /// every pass) and, while absent, any found file's (set when the pass reaches it). A name
    /// `hashed` holds for a file that is not rewritten was set once and keeps its value; a name
    /// no file has stays absent (it names a stored file, hashed as it is). Only when no name has
    /// a backslash is a key exactly the name of the one file that sets it.
    struct ChangingKeys {
        var rewritten: Set<PyStrKey>
        var found: Set<PyStrKey>

        init?(_ files: [FoundFile], rewritten: Set<PyStrKey>) {
            if files.contains(where: { $0.prefixedPath.contains("\\") }) { return nil }
            self.rewritten = rewritten
            found = Set(files.map { PyStrKey($0.prefixedPath) })
        }
    }

    struct Memo {
        var lookups: Lookups
        var hashedName: String
    }

    /// A rewrite computed before the first pass (`prerewrite`): from the source bytes with this MD5
    /// digest, with these lookups.
    struct Prerewrite {
        var sourceDigest: [UInt8]
        var bytes: [UInt8]
        var lookups: Lookups
    }

    public mutating func postProcess(_ files: [FoundFile], dryRun: Bool,
                                     yield: (PostProcessResult) throws(CollectError) -> Void) throws(CollectError) {
        hashedFiles = OrderedMap()  // ManifestFilesMixin: self.hashed_files = {}
        if dryRun { return }
        if let manifestFull = try? manifestStorage.path(manifest.name),
           PyPath.abspath(manifestStorage.location, cwd: "/") != PyPath.abspath(target.location, cwd: "/") {
            // A manifest kept outside STATIC_ROOT: its own directory only (STATIC_ROOT's tree is
            // cleaned by the collector).
            SafeIO.removeAbandonedPartials(under: PyPath.dirname(manifestFull), recursive: false)
        }
        var hashed = OrderedMap()
        let adjustable = files.filter { isAdjustable($0.prefixedPath) }
        let adjustableNames = Set(adjustable.map { PyStrKey($0.prefixedPath) })
        var results = OrderedResults()
        let copies = StaticCopies.prepare(files, adjustable: adjustableNames, processor: self)
        var reached = Set<PyStrKey>()
        var memos: [PyStrKey: Memo] = [:]
        let changingKeys = ChangingKeys(files, rewritten: adjustableNames)
        let ordered = Self.depthOrdered(files)
        let prerewritten = Prerewrites(self, ordered: ordered, adjustable: adjustableNames, copies: copies)
        do {
            try pass(ordered, adjustableNames, changingKeys, &hashed, copies: copies, prerewritten: prerewritten, reached: &reached,
                     memos: &memos) { result throws(CollectError) in
                if case .failed = result.outcome {
                    try yield(Self.yielded(result))
                } else if !adjustableNames.contains(PyStrKey(result.name)) {
                    try yield(Self.yielded(result))
                } else {
                    results.set(result)
                }
            }
        } catch {
            copies?.removeUnreached(reached, from: target)
            throw error
        }
        var unresolved: [String] = []
        let orderedAdjustable = Self.depthOrdered(adjustable)
        for _ in 0..<manifest.maxPostProcessPasses {
            unresolved = []
            var ignored = Set<PyStrKey>()
            try pass(orderedAdjustable, adjustableNames, changingKeys, &hashed, copies: nil, prerewritten: nil, reached: &ignored,
                     memos: &memos) { result throws(CollectError) in
                results.set(result)
                if result.substitutions { unresolved.append(result.name) }
            }
            if unresolved.isEmpty { break }
        }
        if !unresolved.isEmpty {
            let names = version >= DjangoVersion(5, 2)
                ? PyString.sorted(unresolved).joined(separator: ", ") : "All"
            try yield(.failed(original: names, error: CollectError("RuntimeError", "Max post-process passes exceeded.")))
        }
        for (key, value) in hashed.pairs { hashedFiles[key] = value }
        for result in results.values { try yield(Self.yielded(result)) }
        try saveManifest()
    }

    static func yielded(_ result: PassResult) -> PostProcessResult {
        switch result.outcome {
        case .processed: .processed(original: result.name, hashed: result.hashed ?? "")
        case .unchanged: .skipped(original: result.name)
        case .failed(let error): .failed(original: result.name, error: error)
        }
    }

    /// `_post_process` over `ordered` (in its order: `depthOrdered`), each file hashed from its
    /// source and, when adjustable, rewritten and re-hashed. A memo keeps the lookups
    /// whose answer can still change (`changingKeys`).
    private func pass(_ ordered: [FoundFile], _ adjustable: Set<PyStrKey>, _ changingKeys: ChangingKeys?, _ hashed: inout OrderedMap,
                      copies: StaticCopies?, prerewritten: Prerewrites?, reached: inout Set<PyStrKey>,
                      memos: inout [PyStrKey: Memo], _ emit: (PassResult) throws(CollectError) -> Void) throws(CollectError) {
        for file in ordered {
            let name = file.prefixedPath, nameKey = PyStrKey(name)
            reached.insert(nameKey)
            if let copy = copies?.copies[nameKey] {
                hashed[PyString.replace(name, "\\", with: "/")] = copy.hashedName
                if copy.unmatched {  // rewritten to the same text: processed again in every pass
                    memos[nameKey] = Memo(lookups: Lookups(), hashedName: copy.hashedName)
                }
                try emit(PassResult(name: name, hashed: copy.hashedName,
                                    outcome: copy.existed && !copy.unmatched ? .unchanged : .processed,
                                    substitutions: !copy.unmatched))
                continue
            }
            let key = PyString.replace(name, "\\", with: "/")
            if let memo = memos[nameKey], hashed[key] == memo.hashedName, memo.lookups.stillValid(in: hashed) {
                try emit(PassResult(name: name, hashed: memo.hashedName, outcome: .processed, substitutions: false))
                continue
            }
            let isAdjustable = adjustable.contains(nameKey)
            // Only CSS/JS is read whole (it is rewritten); other files are hashed and copied in
            // bounded memory.
            let sourceFull = try file.source.path(file.sourcePath)
            let (original, readDigest) = isAdjustable ? try readAhead.read(sourceFull) : ([], nil)
            // The source's MD5: read ahead, or computed here once, when first needed.
            var originalDigest = readDigest
            func sourceDigest() -> [UInt8] {
                if let originalDigest { return originalDigest }
                let computed = Array(Insecure.MD5.hash(data: original))
                originalDigest = computed
                return computed
            }
            var hashedName: String
            if let cached = hashed[key] {
                hashedName = cached
            } else {
                hashedName = try self.hashedName(name, digest: isAdjustable ? sourceDigest() : try readAhead.md5(sourceFull))
            }
            let existed = try target.exists(hashedName)
            var processed = false
            var substitutions = true
            if isAdjustable {
                let oldHashedName = hashedName
                var lookups = Lookups()
                let bytes: [UInt8]
                var rewrittenDigest: [UInt8]?
                if readAhead.unmatched(sourceFull, sourcePath: file.sourcePath, patterns: manifest.patterns) {
                    bytes = original  // no pattern matches its text: the rewrite gives it back
                    rewrittenDigest = originalDigest
                } else if let prerewrite = prerewritten?.take(nameKey),
                          prerewrite.sourceDigest == sourceDigest(),
                          prerewrite.lookups.stillValid(in: hashed), prerewrite.lookups.storedStillValid(self) {
                    bytes = prerewrite.bytes  // every lookup answers as it did: the same rewrite
                    lookups = prerewrite.lookups
                    lookups.stored = []  // checked: later passes need the entries only
                    prerewrites.took()
                } else {
                    guard let content = UTF8Encoding.scalars(original) else {
                        let error = ReferenceGrammar.decodeError(original)
                        if version < DjangoVersion(5, 0) { throw error }  // 4.2 raises instead of yielding
                        try emit(PassResult(name: name, hashed: nil, outcome: .failed(error), substitutions: false))
                        throw CollectError("UnboundLocalError", "cannot access local variable 'content' where it is not associated with a value")
                    }
                    bytes = UTF8Encoding.bytes(try rewriteAll(content, name: name, sourcePath: file.sourcePath, hashed: hashed,
                                                              lookups: lookups) { error throws(CollectError) in
                        try emit(PassResult(name: name, hashed: nil, outcome: .failed(error), substitutions: false))
                    })
                }
                // Django deletes the old hashed file if it existed, saves the intermediate file
                // under its name (keep_intermediate_files), then deletes and saves the new one.
                // The same end state, without rewriting a file that already holds these bytes
                // (later passes, and re-runs, mostly produce exactly the files already there).
                hashedName = try self.hashedName(name, content: bytes, digest: rewrittenDigest)
                if manifest.keepIntermediateFiles {
                    try replace(oldHashedName, with: bytes)
                } else if existed && hashedName != oldHashedName {
                    try target.delete(oldHashedName)
                }
                if hashedName != oldHashedName || !manifest.keepIntermediateFiles { try replace(hashedName, with: bytes) }
                hashedName = PyString.replace(hashedName, "\\", with: "/")
                if oldHashedName == hashedName { substitutions = false }
                if let changingKeys { lookups.keepChanging(changingKeys) }
                memos[nameKey] = Memo(lookups: lookups, hashedName: hashedName)
                processed = true
            }
            if !processed && !existed {
                processed = true
                try target.save(hashedName, copying: sourceFull)
                hashedName = PyString.replace(hashedName, "\\", with: "/")
            }
            hashed[key] = hashedName
            try emit(PassResult(name: name, hashed: hashedName, outcome: processed ? .processed : .unchanged,
                                substitutions: substitutions))
        }
    }

    /// `delete` + `_save` of `name`, unless the file already holds exactly `bytes` (with the
    /// configured permissions): then there is nothing to change. The new file is renamed over the
    /// old one (only a directory is deleted first), so the name is never missing or partial.
    private func replace(_ name: String, with bytes: [UInt8]) throws(CollectError) {
        if try target.exists(name) {
            if target.holds(name, bytes) { return }
            if try target.isRealDirectory(name) { try target.delete(name) }
        }
        try target.save(name, bytes: bytes)
    }

    /// The first pass over files whose hashed copy is their source's bytes, done up front on all
    /// cores: files that are not rewritten (images, fonts, …), and CSS/JS none of whose patterns
    /// matches its text (read ahead), which rewriting gives back unchanged. Each one's hashed name
    /// depends only on its own bytes, and its hashed copy is written unless it exists (with these
    /// bytes, for a rewritten file). The sequential pass then only reports them, in Django's
    /// order. That order is observable only when a later file fails: `removeUnreached` then
    /// deletes the copies Django would not have written yet.
    struct StaticCopies {
        struct Copy {
            var hashedName: String
            var existed: Bool
            /// A file the manifest rewrites, none of whose patterns matches its text.
            var unmatched: Bool
        }
        var copies: [PyStrKey: Copy]

        /// A name with a query or fragment character, or a backslash: the hashed name and the
        /// manifest key then depend on more than the file's own bytes, and the sequential pass
        /// does it all.
        static func hasNameThatHashesApart(_ files: [FoundFile]) -> Bool {
            files.contains { $0.prefixedPath.contains { "?#\\".contains($0) } }
        }

        /// nil when the shortcut could change the outcome, and the sequential pass does it all: a
        /// file cannot be read or copied (Django fails at it, in order), a name has a query or
        /// fragment character, or a hashed name is also another file's name or, for a file that
        /// is not rewritten, could be. A rewritten file whose hashed name holds other bytes
        /// already is left to the sequential pass.
        static func prepare(_ all: [FoundFile], adjustable: Set<PyStrKey>, processor: ManifestPostProcessor) -> StaticCopies? {
            guard all.count > 1, !hasNameThatHashesApart(all) else { return nil }
            let slots = ResultSlots<Copy?, CollectError>(count: all.count)
            DispatchQueue.concurrentPerform(iterations: all.count) { index in
                let file = all[index]
                slots.set(index, Result { () throws(CollectError) -> Copy? in
                    let source = try file.source.path(file.sourcePath)
                    let rewritten = adjustable.contains(PyStrKey(file.prefixedPath))
                    guard let digest = try processor.copiedDigest(file, source: source, rewritten: rewritten) else { return nil }
                    let name = try processor.hashedName(file.prefixedPath, digest: digest)
                    let existed = try processor.target.exists(name)
                    if rewritten, existed, !processor.target.holds(name, try LocalStorage.readFile(source)) { return nil }
                    return Copy(hashedName: name, existed: existed, unmatched: rewritten)
                })
            }
            guard let found = slots.successes else { return nil }
            var names = Set(all.map { PyStrKey($0.prefixedPath) })
            var copies: [PyStrKey: Copy] = [:]
            var pending: [(file: Int, hashedName: String)] = []
            for (index, copy) in found.enumerated() {
                guard let copy else { continue }
                if (!copy.unmatched && processor.isAdjustable(copy.hashedName)) || !names.insert(PyStrKey(copy.hashedName)).inserted {
                    return nil
                }
                copies[PyStrKey(all[index].prefixedPath)] = copy
                if !copy.existed { pending.append((index, copy.hashedName)) }
            }
            guard copies.count > 1 else { return nil }
            let prepared = StaticCopies(copies: copies), writing = pending
            let writes = ResultSlots<Void, CollectError>(count: writing.count)
            DispatchQueue.concurrentPerform(iterations: writing.count) { slot in
                let (index, hashedName) = writing[slot]
                let file = all[index]
                writes.set(slot, Result { () throws(CollectError) in
                    try processor.target.save(hashedName, copying: try file.source.path(file.sourcePath))
                })
            }
            if writes.successes == nil {
                prepared.removeUnreached([], from: processor.target)
                return nil
            }
            return prepared
        }

        func removeUnreached(_ reached: Set<PyStrKey>, from target: LocalStorage) {
            for (name, copy) in copies where !copy.existed && !reached.contains(name) {
                try? target.delete(copy.hashedName)
            }
        }
    }

    /// `_post_process`'s order: len(name.split(os.sep)), deepest first, ties in `paths` order (a
    /// stable sort).
    static func depthOrdered(_ files: [FoundFile]) -> [FoundFile] {
        let depths = files.map { $0.prefixedPath.utf8.reduce(1) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 } }
        return files.indices.sorted { a, b in
            depths[a] != depths[b] ? depths[a] > depths[b] : a < b
        }.map { files[$0] }
    }

    /// Every pattern of the groups chosen for `sourcePath`, in order (6.1 skips a group none of
    /// whose patterns matches). A pattern's ValueError (a missing file) goes to `failed`; the next
    /// pattern still runs, as in Django.
    private func rewriteAll<H: HashedNames>(_ content: [Unicode.Scalar], name: String, sourcePath: String, hashed: H,
                                            lookups: Lookups, failed: (CollectError) throws(CollectError) -> Void)
        throws(CollectError) -> [Unicode.Scalar] {
        var content = content
        for group in grammar.groups(for: sourcePath) {
            if version >= DjangoVersion(6, 1) && !group.patterns.contains(where: { $0.regex.search(content) != nil }) {
                continue
            }
            for pattern in group.patterns {
                do {
                    content = try rewrite(content, name: name, pattern: pattern, hashed: hashed, lookups: lookups)
                } catch let error where error.type == "ValueError" {
                    lookups.failed = true
                    try failed(error)
                }
            }
        }
        return content
    }

    /// The first pass's rewrites of the CSS/JS, computed on all cores ahead of it, a window of
    /// files at a time (memory stays bounded by the window): each against what the pass will
    /// already know when it reaches that file (`KnownBefore`), with the lookups it made. The pass
    /// takes a rewrite when its source digest is the same and every lookup answers the same in its
    /// `hashed` then (the rewrite is then the same text), and rewrites the file itself otherwise
    /// (a reference to CSS/JS rewritten earlier, a missing file). Starts from the rewrites the
    /// read-ahead computed during setup (`previewRewrites`) when the description holds the same
    /// data, and computes only the others. Not with WhiteNoise, which records every hashed name
    /// computed; a taken rewrite computes none.
    final class Prerewrites {
        static let window = 256
        private let processor: ManifestPostProcessor
        private let jobs: [(file: FoundFile, limit: Int)]
        private let jobIndex: [PyStrKey: Int]
        private let known: [PyStrKey: (position: Int, hashed: String)]
        private var computedUpTo = 0
        private var ready: [PyStrKey: Prerewrite] = [:]

        init(_ processor: ManifestPostProcessor, ordered: [FoundFile], adjustable: Set<PyStrKey>, copies: StaticCopies?) {
            self.processor = processor
            var positions: [PyStrKey: (position: Int, hashed: String)] = [:]
            var jobs: [(file: FoundFile, limit: Int)] = []
            var previewed: [PyStrKey: Prerewrite] = [:]
            if let copies, processor.hashedNameLog == nil {
                previewed = processor.readAhead.rewrites(for: processor.collectDescription)
                processor.prerewrites.previewed(previewed.count)
                for (position, file) in ordered.enumerated() {
                    let name = PyStrKey(file.prefixedPath)
                    if let copy = copies.copies[name] {
                        positions[PyStrKey(PyString.replace(file.prefixedPath, "\\", with: "/"))] = (position, copy.hashedName)
                    } else if adjustable.contains(name) && previewed[name] == nil {
                        jobs.append((file, position))
                    }
                }
            }
            self.jobs = jobs
            self.known = positions
            ready = previewed
            jobIndex = Dictionary(jobs.enumerated().map { (PyStrKey($0.element.file.prefixedPath), $0.offset) },
                                  uniquingKeysWith: { first, _ in first })
        }

        /// The rewrite computed ahead for `name`, computing the window that starts with it first.
        func take(_ name: PyStrKey) -> Prerewrite? {
            if let found = ready.removeValue(forKey: name) { return found }
            guard let index = jobIndex[name], index >= computedUpTo else { return nil }
            let window = Array(jobs[index..<min(index + Self.window, jobs.count)])
            computedUpTo = index + window.count
            let (processor, known) = (self.processor, self.known)
            let slots = ResultSlots<Prerewrite?, Never>(count: window.count)
            DispatchQueue.concurrentPerform(iterations: window.count) { slot in
                let (file, limit) = window[slot]
                slots.set(slot, .success(processor.prerewrite(file, known: KnownBefore(positions: known, limit: limit))))
            }
            var computed = 0
            for (job, result) in zip(window, slots.successes ?? []) {
                if let result {
                    ready[PyStrKey(job.file.prefixedPath)] = result
                    computed += 1
                }
            }
            processor.prerewrites.computed(computed)
            return ready.removeValue(forKey: name)
        }
    }

    /// The first pass's rewrites, computed on the cores the setup leaves idle from a preview of
    /// the description and the sources read ahead, before anything is collected (`ReadAhead.read`):
    /// each against the hashed names the pass will know when it reaches the file — those of the
    /// files before it whose hashed copy is their source's bytes (`StaticCopies`), named from the
    /// digests read ahead — with stored files hashed from the sources they will be copied from.
    /// The pass takes one only when the description is the same, its source has the same digest,
    /// every lookup answers the same and every stored file hashes the same; it rewrites the file
    /// itself otherwise. Nothing when the pass would not take them (WhiteNoise, names with `?`,
    /// `#` or a backslash); stops when `stop` is set, or once the rewrites hold `previewBudget`
    /// bytes (they are kept until the pass takes them: the first ones it reaches are computed
    /// first, the rest after setup, a window at a time).
    static func previewRewrites(_ description: CollectDescription, files: [FoundFile], version: DjangoVersion, pythonVersion: String,
                                readAhead: ReadAhead, workers: Int, stop: StopFlag) -> [PyStrKey: Prerewrite] {
        var located = description  // an S3 storage has none; nothing is read there (sources are hashed)
        if located.storage?.location == nil { located.storage?.location = "/" }
        guard description.storage?.compression == nil, !StaticCopies.hasNameThatHashesApart(files),
              var processor = try? ManifestPostProcessor(description: located, version: version, pythonVersion: pythonVersion)
        else { return [:] }
        processor.readAhead = readAhead
        var sources: [PyStrKey: String] = [:]
        for file in files { sources[PyStrKey(file.prefixedPath)] = try? file.source.path(file.sourcePath) }
        processor.previewSources = sources
        var known: [PyStrKey: (position: Int, hashed: String)] = [:]
        var jobs: [(file: FoundFile, limit: Int)] = []
        for (position, file) in depthOrdered(files).enumerated() {
            guard let source = sources[PyStrKey(file.prefixedPath)] else { continue }
            let adjustable = processor.isAdjustable(file.prefixedPath)
            if let digest = try? processor.copiedDigest(file, source: source, rewritten: adjustable),
               let hashed = try? processor.hashedName(file.prefixedPath, digest: digest) {
                known[PyStrKey(file.prefixedPath)] = (position, hashed)
            } else if adjustable {
                jobs.append((file, position))
            }
        }
        let slots = ResultSlots<Prerewrite?, Never>(count: jobs.count)
        let held = ByteCount()
        DispatchQueue.concurrentPerform(iterations: workers) { [processor, jobs, known] worker in
            for index in stride(from: worker, to: jobs.count, by: workers) {
                if stop.isSet || held.value >= previewBudget { break }
                let (file, limit) = jobs[index]
                let rewrite = processor.prerewrite(file, known: KnownBefore(positions: known, limit: limit))
                held.add(rewrite?.bytes.count ?? 0)
                slots.set(index, .success(rewrite))
            }
        }
        var rewrites: [PyStrKey: Prerewrite] = [:]
        for (index, job) in jobs.enumerated() {
            if case .success(let rewrite?)? = slots.result(index) { rewrites[PyStrKey(job.file.prefixedPath)] = rewrite }
        }
        return rewrites
    }

    /// The MD5 of a file whose hashed copy is its source's bytes: one the manifest does not
    /// rewrite, or (`rewritten`) CSS/JS none of whose patterns matches its text, read ahead; nil
    /// for CSS/JS that is not known to be such.
    func copiedDigest(_ file: FoundFile, source: String, rewritten: Bool) throws(CollectError) -> [UInt8]? {
        guard rewritten else { return try readAhead.md5(source) }
        return readAhead.unmatchedDigest(source, sourcePath: file.sourcePath, patterns: manifest.patterns)
    }

    /// The most bytes of rewritten CSS/JS `previewRewrites` keeps.
    static let previewBudget = 32 << 20

    /// A byte count several threads add to.
    final class ByteCount: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add(_ bytes: Int) { lock.withLock { count += bytes } }
        var value: Int { lock.withLock { count } }
    }

    func prerewrite(_ file: FoundFile, known: KnownBefore) -> Prerewrite? {
        guard let full = try? file.source.path(file.sourcePath),
              !readAhead.unmatched(full, sourcePath: file.sourcePath, patterns: manifest.patterns),
              let source = try? readAhead.read(full), let content = UTF8Encoding.scalars(source.bytes) else { return nil }
        let lookups = Lookups()
        guard let rewritten = try? rewriteAll(content, name: file.prefixedPath, sourcePath: file.sourcePath, hashed: known,
                                              lookups: lookups, failed: { error throws(CollectError) in throw error })
        else { return nil }
        return Prerewrite(sourceDigest: source.md5 ?? Array(Insecure.MD5.hash(data: source.bytes)), bytes: UTF8Encoding.bytes(rewritten),
                          lookups: lookups)
    }

    /// What the first pass knows of hashed names when it reaches a file: those of the files before
    /// it (by position in its order) that are not rewritten.
    struct KnownBefore: HashedNames {
        let positions: [PyStrKey: (position: Int, hashed: String)]
        let limit: Int
        subscript(key: String) -> String? {
            positions[PyStrKey(key)].flatMap { $0.position < limit ? $0.hashed : nil }
        }
    }

    /// `pattern.sub(converter, content)`.
    private func rewrite<H: HashedNames>(_ content: [Unicode.Scalar], name: String, pattern: ReferenceGrammar.Pattern,
                                         hashed: H, lookups: Lookups) throws(CollectError) -> [Unicode.Scalar] {
        let blocks = grammar.ignoredBlocks(pattern, in: content)
        do {
            return try pattern.regex.sub(content) { match in
                try convert(match, in: content, name: name, template: pattern.template, blocks: blocks, hashed: hashed,
                            lookups: lookups)
            }
        } catch let error as CollectError {
            throw error
        } catch {
            throw CollectError("RuntimeError", "\(error)")
        }
    }

    /// `url_converter(name, hashed_files, template, ignored_blocks)` for one match.
    private func convert<H: HashedNames>(_ match: PyMatch, in content: [Unicode.Scalar], name: String, template: String,
                                         blocks: [Range<Int>], hashed: H, lookups: Lookups) throws(CollectError) -> [Unicode.Scalar] {
        let matchedRange = match.range("matched") ?? match.range
        let matched = Array(content[matchedRange])
        guard let reference = try grammar.reference(match, name: name, blocks: blocks) else { return matched }
        let (urlPath, fragment, url) = (reference.path, reference.fragment, reference.url)
        let hashedURL: String
        do {
            hashedURL = try self.url(PyURL.unquote(reference.targetName), hashed: hashed, lookups: lookups)
        } catch let error where error.type == "ValueError" && version >= DjangoVersion(6, 1) {
            var noted = error
            noted.notes.append(PyRepr.str(name) + " contains this reference " + PyRepr.str(UTF8Encoding.string(matched))
                + " on line " + Self.lineAt(content, match.range.lowerBound))
            throw noted
        }
        var transformed = (urlPath.components(separatedBy: "/").dropLast() + hashedURL.components(separatedBy: "/").suffix(1))
            .joined(separator: "/")
        if !fragment.isEmpty { transformed += (url.contains("?#") ? "?#" : "#") + fragment }
        var values: [String: String] = [:]
        for group in ["import", "exports", "quote"] { values[group] = match.string(group) }
        values["url"] = PyURL.unquote(transformed)
        values["matched"] = UTF8Encoding.string(matched)
        return Array(Self.format(template, values).unicodeScalars)
    }

    /// Python `template % dict` for `%(name)s` fields (a group that did not participate is None).
    static func format(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.range(of: "%(") {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.range(of: ")s") else { break }
            out += values[String(after[..<close.lowerBound])] ?? "None"
            rest = after[close.upperBound...]
        }
        return out + rest
    }

    /// 6.1's `_line_at_position`: "\n<N>: <line>", or "\n<N>" when longer than 79 characters.
    static func lineAt(_ content: [Unicode.Scalar], _ position: Int) -> String {
        var start = position
        while start > 0 && content[start - 1] != "\n" { start -= 1 }
        var end = position
        while end < content.count && content[end] != "\n" { end += 1 }
        let number = content[..<start].filter { $0 == "\n" }.count + 1
        let message = "\n\(number): " + UTF8Encoding.string(content[start..<end])
        return message.unicodeScalars.count > 79 ? "\n\(number)" : message
    }

    // MARK: hashing and URLs

    static func fileHash(_ bytes: [UInt8]) -> String {
        fileHash(digest: Array(Insecure.MD5.hash(data: bytes)))
    }

    /// `file_hash`: the first 12 hex digits of the MD5 digest.
    static func fileHash(digest: [UInt8]) -> String {
        digest.prefix(6).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// `hashed_name(name, content=None, filename=None)`; `digest`: the MD5 of the content, when
    /// it was streamed rather than read.
    func hashedName(_ name: String, content: [UInt8]? = nil, digest: [UInt8]? = nil) throws(CollectError) -> String {
        let (parsed, clean) = try grammar.storedPath(name)
        var md5 = digest ?? content.map { Array(Insecure.MD5.hash(data: $0)) }
        if md5 == nil, let previewSources {
            guard let source = previewSources[PyStrKey(clean)] else {
                throw CollectError("ValueError", "'\(clean)' is not collected from a source (preview)")
            }
            md5 = try readAhead.md5(source)
        }
        if md5 == nil {
            guard try target.exists(clean) else {
                throw CollectError("ValueError", "The file '\(clean)' could not be found with \(storageRepr).")
            }
            do {
                md5 = try storedDigests.md5(try target.path(clean))
            } catch {
                hashedNameLog?.insert(PyString.replace(name, "\\", with: "/"))
                return name  // a directory
            }
        }
        let hash = Self.fileHash(digest: md5 ?? [])
        let (directory, base) = PyPath.split(clean)
        let (root, ext) = PyPath.splitext(base)
        var path = PyPath.join(directory, root + "." + hash + ext)
        if name.contains("?#") && parsed.query.isEmpty { path += "?" }
        var unsplit = parsed
        unsplit.path = path
        let hashed = PyURL.urlunsplit(unsplit, flavor: grammar.flavor)
        hashedNameLog?.insert(PyString.replace(hashed, "\\", with: "/"))
        return hashed
    }

    /// `_stored_name(name, hashed_files)`.
    func storedName<H: HashedNames>(_ name: String, hashed: H, lookups: Lookups) throws(CollectError) -> String {
        let normalised = PyPath.normpath(name)
        let key = PyString.replace(normalised, "\\", with: "/")
        let cached = hashed[key]
        lookups.entries.append((key, cached))
        if let cached { return cached }
        let stored = try hashedName(normalised)
        if previewSources != nil { lookups.stored.append((normalised, stored)) }  // hashed from a source: checked later
        return PyString.replace(stored, "\\", with: "/")
    }

    /// `_url(self._stored_name, name, force=True, hashed_files=...)`.
    func url<H: HashedNames>(_ name: String, hashed: H, lookups: Lookups) throws(CollectError) -> String {
        let (clean, fragment) = try grammar.urldefrag(name)
        let hashedName = try grammar.urlsplit(clean).path.hasSuffix("/") ? name : try storedName(clean, hashed: hashed, lookups: lookups)
        var final = try storageURL(hashedName)
        let queryFragment = name.contains("?#")
        if !fragment.isEmpty || queryFragment {
            var parts = try grammar.urlsplit(final)
            if !fragment.isEmpty && parts.fragment.isEmpty { parts.fragment = fragment }
            if queryFragment && parts.query.isEmpty { parts.path += "?" }
            final = PyURL.urlunsplit(parts, flavor: grammar.flavor)
        }
        return PyURL.unquote(final)
    }

    /// `FileSystemStorage.url(name)`.
    func storageURL(_ name: String) throws(CollectError) -> String {
        guard let baseURL else { throw CollectError("ValueError", "This file is not accessible via a URL.") }
        var quoted = Substring(PyURL.quote(PyString.replace(name, "\\", with: "/"), safe: "/~!*()'"))
        while quoted.hasPrefix("/") { quoted = quoted.dropFirst() }
        return try grammar.urljoin(baseURL, String(quoted))
    }

    // MARK: the manifest

    /// `save_manifest()`: `{"paths": …, "version": "1.1", "hash": …}` as `json.dumps` writes it.
    func saveManifest() throws(CollectError) {
        let sortedPairs = hashedFiles.pairs.sorted { PyString.codePointLess($0.0, $1.0) }
        let hashInput = PyJSON.dumps(.array(sortedPairs.map { .array([.string($0.0), .string($0.1)]) }))
        let hash = Self.fileHash(Array(hashInput.utf8))
        let paths = version >= DjangoVersion(6, 0) ? sortedPairs : hashedFiles.pairs
        let payload = PyJSON.dumps(.object([
            ("paths", .object(paths.map { ($0.0, PyJSONValue.string($0.1)) })),
            ("version", .string(manifest.version)),
            ("hash", .string(hash)),
        ]))
        // Django deletes the manifest, then writes the new one: a failure in between (a full disk)
        // leaves none, or a truncated one. The new one is written aside, fsynced and renamed over
        // it: the previous manifest stays until the new one is complete.
        if try manifestStorage.isRealDirectory(manifest.name) { try manifestStorage.delete(manifest.name) }
        try manifestStorage.save(manifest.name, bytes: Array(payload.utf8), durable: true)
    }
}

/// `ManifestPostProcessor.prerewrites` (shared by the copies of the processor).
public final class PrerewriteCount: @unchecked Sendable {
    /// Rewrites computed after the setup, computed while it ran (from a preview of the same
    /// description), and taken by the pass.
    public typealias Counts = (computed: Int, previewed: Int, taken: Int)
    private let lock = NSLock()
    private var counts: Counts = (computed: 0, previewed: 0, taken: 0)
    func computed(_ count: Int) { lock.withLock { counts.computed += count } }
    func previewed(_ count: Int) { lock.withLock { counts.previewed += count } }
    func took() { lock.withLock { counts.taken += 1 } }
    public var value: Counts { lock.withLock { counts } }
}

/// The hashed names a reference lookup consults: the pass's `hashed_files`, or what it will hold
/// when the first pass reaches a file (`ManifestPostProcessor.KnownBefore`).
protocol HashedNames {
    subscript(key: String) -> String? { get }
}

extension OrderedMap: HashedNames {}

/// An insertion-ordered `str -> str` map with Python (code point) key equality.
public struct OrderedMap: Sendable {
    private var index: [PyStrKey: Int] = [:]
    public private(set) var pairs: [(String, String)] = []

    public subscript(key: String) -> String? {
        get { index[PyStrKey(key)].map { pairs[$0].1 } }
        set {
            let k = PyStrKey(key)
            if let i = index[k] {
                if let newValue { pairs[i].1 = newValue }
            } else if let newValue {
                index[k] = pairs.count
                pairs.append((key, newValue))
            }
        }
    }
}

/// `processed_adjustable_paths`: insertion-ordered, overwritten by later passes.
struct OrderedResults {
    private var index: [PyStrKey: Int] = [:]
    private(set) var values: [ManifestPostProcessor.PassResult] = []
    mutating func set(_ result: ManifestPostProcessor.PassResult) {
        let key = PyStrKey(result.name)
        if let i = index[key] { values[i] = result } else {
            index[key] = values.count
            values.append(result)
        }
    }
}

/// Python `repr()` of a str (for 6.1's error notes).
enum PyRepr {
    static func str(_ s: String) -> String { SettingValue.quote(s) }
}
