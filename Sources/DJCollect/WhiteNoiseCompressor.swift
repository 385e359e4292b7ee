import PythonStdlib
import CCompressZlib
import CompressNIO
import Crypto
import DJSettings
import DJStaticFiles
import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Brotli through the project's interpreter: writes each job's compressed `source` into its
/// `destination` and returns the compressed sizes (DJCollect never sees Python; the command
/// passes DJPython's follow-up call).
public typealias BrotliBatch = ([(source: String, destination: String)]) throws -> [Int]

/// Names `hashed_name` returned (WhiteNoise's `_new_files`), recorded from any thread.
public final class NameLog: @unchecked Sendable {
    private let lock = NSLock()
    private var keys = Set<[UInt8]>()
    private(set) var names: [String] = []
    public init() {}
    func insert(_ name: String) {
        lock.withLock {
            if keys.insert(Array(name.utf8)).inserted { names.append(name) }
        }
    }
}

/// CPython's `gzip.GzipFile(filename="", mode="wb", compresslevel=9, mtime=0)` as whitenoise's
/// `Compressor.compress_gzip` writes it: the 10-byte header (no name, mtime 0, XFL 2 for level 9,
/// OS 255), zlib's raw deflate at level 9 (window 15, memory level 8), CRC-32 and size mod 2^32.
public enum PythonGzip {
    public static func compress(_ data: [UInt8]) throws(CollectError) -> [UInt8] {
        var input = ByteBuffer(bytes: data)
        let configuration = ZlibConfiguration(windowSize: .window128k, compressionLevel: .bestCompression,
                                              memoryLevel: .memory128K, strategy: .default)
        var deflated: ByteBuffer
        do {
            deflated = try input.compress(with: .deflate(configuration: configuration))
        } catch {
            throw CollectError("zlib.error", "\(error)")
        }
        var out: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0xFF]
        out.reserveCapacity(deflated.readableBytes + 18)
        out += deflated.readBytes(length: deflated.readableBytes) ?? []
        for value in [crc32(data), UInt32(truncatingIfNeeded: data.count)] {
            for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
        }
        return out
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        data.withUnsafeBufferPointer { buffer in
            var crc: uLong = CCompressZlib.crc32(0, nil, 0)
            var offset = 0
            while offset < buffer.count {
                let length = min(buffer.count - offset, 1 << 30)
                crc = CCompressZlib.crc32(crc, buffer.baseAddress! + offset, uInt(length))
                offset += length
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }

    /// The zlib the deflate runs on (part of the cache key: another zlib may deflate differently).
    static var zlibVersion: String { String(cString: CCompressZlib.zlibVersion()) }
}

/// Compressed outputs by content, shared by every run: `<directory>/<encoder>/<sha256>`. An empty
/// entry records "not effective" (whitenoise never writes an empty variant: it never compresses an
/// empty file, and a compressed stream is never empty).
struct CompressionCache {
    let directory: String
    /// A directory made for this run only, removed at the end (the shared one was unusable).
    let temporary: Bool

    /// `$DJSTATIC_COMPRESS_CACHE`, else `$XDG_CACHE_HOME/djstatic/compress`, else
    /// `~/.cache/djstatic/compress`; a private temporary directory when none can be created.
    static func open(environment: [String: String] = ProcessInfo.processInfo.environment) -> CompressionCache {
        let configured: String?
        if let override = environment["DJSTATIC_COMPRESS_CACHE"], !override.isEmpty {
            configured = override
        } else if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            configured = xdg + "/djstatic/compress"
        } else {
            configured = environment["HOME"].map { $0 + "/.cache/djstatic/compress" }
        }
        if let configured, (try? FileManager.default.createDirectory(atPath: configured + "/tmp", withIntermediateDirectories: true)) != nil {
            return CompressionCache(directory: configured, temporary: false)
        }
        var template = Array((NSTemporaryDirectory() + "/djstatic-compress-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) }
        let directory = made ?? NSTemporaryDirectory()
        try? FileManager.default.createDirectory(atPath: directory + "/tmp", withIntermediateDirectories: true)
        return CompressionCache(directory: directory, temporary: true)
    }

    func entry(_ encoder: String, _ key: String) -> String { "\(directory)/\(encoder)/\(key.prefix(2))/\(key)" }

    /// A scratch file name for this process.
    func scratch(_ name: String) -> String { "\(directory)/tmp/\(name).\(getpid())" }

    /// The cached output (empty: not effective), or nil.
    func load(_ encoder: String, _ key: String) -> [UInt8]? {
        try? LocalStorage.readFile(entry(encoder, key))
    }

    /// Stores an output (atomically: a concurrent djstatic never reads half an entry).
    func store(_ encoder: String, _ key: String, _ bytes: [UInt8]) {
        let scratch = self.scratch(key + "-" + encoder)
        guard (try? Data(bytes).write(to: URL(fileURLWithPath: scratch))) != nil else { return }
        adopt(scratch, as: encoder, key)
    }

    /// Moves a finished scratch file into place.
    func adopt(_ scratch: String, as encoder: String, _ key: String) {
        let path = entry(encoder, key)
        try? FileManager.default.createDirectory(atPath: PyPath.dirname(path), withIntermediateDirectories: true)
        if rename(scratch, path) != 0 { unlink(scratch) }
    }

    func close() {
        if temporary { try? FileManager.default.removeItem(atPath: directory) }
    }
}

/// whitenoise's `Compressor` over stored files: for each name not matching the skip-extension
/// regex, `.br` (when the project has brotli) then `.gz`, each written only when it is at most 95%
/// of the original; when Brotli is not effective gzip is not tried. Identical contents are
/// compressed once, and outputs are cached by content across runs.
public struct WhiteNoiseCompressor {
    let compression: CollectDescription.Compression
    let skip: PyRegex
    let brotli: BrotliBatch?
    /// Jobs per call into the interpreter (largest files first, so no thread idles at the end).
    static let brotliBatchSize = 4096

    public init(_ compression: CollectDescription.Compression, brotli: BrotliBatch?) throws(CollectError) {
        self.compression = compression
        self.brotli = compression.brotli ? brotli : nil
        do {
            skip = try PyRegex(compression.skipPattern, flags: compression.skipIgnoreCase ? [.ignoreCase] : [])
        } catch {
            throw CollectError("re.error", "djstatic cannot compile WhiteNoise's pattern \(compression.skipPattern): \(error)")
        }
        if compression.brotli && brotli == nil { throw CollectError("RuntimeError", "no Brotli compressor available") }
    }

    /// `should_compress(name)`.
    public func shouldCompress(_ name: String) -> Bool { skip.search(name) == nil }

    /// One stored file about to be compressed.
    struct Item: Sendable {
        var name: String
        var full: String
        var size: Int
        var key: String
        var atime: timespec
        var mtime: timespec
    }

    /// What one content compresses to (nil: that variant is not written).
    struct Outputs {
        var brotli: [UInt8]?
        var gzip: [UInt8]?
    }

    /// Compresses `names` (stored in `target`) as whitenoise's `compress_files` does; returns
    /// `(name, compressed name)` for each variant written, in `names` order, `.br` before `.gz`.
    public func compress(_ names: [String], in target: LocalStorage) throws(CollectError) -> [(String, String)] {
        let candidates = names.filter(shouldCompress)
        let items = try Self.readAll(candidates, in: target)
        var representatives: [String: Item] = [:]
        for item in items where item.size > 0 && representatives[item.key] == nil { representatives[item.key] = item }
        let unique = representatives.values.sorted { $0.key < $1.key }
        let cache = CompressionCache.open()
        defer { cache.close() }
        var outputs: [String: Outputs] = [:]
        var brotliEffective: [String: Bool] = [:]
        if let brotli {
            let encoder = "br-" + (compression.brotliVersion ?? "unknown")
            let found = try Self.loadAll(unique, encoder, cache)
            var missing: [Item] = []
            for (item, bytes) in zip(unique, found) {
                if let bytes { outputs[item.key, default: Outputs()].brotli = bytes.isEmpty ? nil : bytes } else { missing.append(item) }
            }
            missing.sort { $0.size > $1.size }
            for start in stride(from: 0, to: missing.count, by: Self.brotliBatchSize) {
                let batch = Array(missing[start..<min(start + Self.brotliBatchSize, missing.count)])
                let jobs = batch.map { (source: $0.full, destination: cache.scratch($0.key + "-br")) }
                let sizes: [Int]
                do { sizes = try brotli(jobs) } catch { throw CollectError("RuntimeError", "brotli compression failed: \(error)") }
                for ((item, job), size) in zip(zip(batch, jobs), sizes) {
                    if Self.isEffective(size, of: item.size) {
                        cache.adopt(job.destination, as: encoder, item.key)
                        outputs[item.key, default: Outputs()].brotli = try LocalStorage.readFile(cache.entry(encoder, item.key))
                    } else {
                        unlink(job.destination)
                        cache.store(encoder, item.key, [])
                    }
                }
            }
            for item in unique { brotliEffective[item.key] = outputs[item.key]?.brotli != nil }
        }
        if compression.gzip {
            let encoder = "gz-zlib" + PythonGzip.zlibVersion
            let wanted = unique.filter { brotli == nil || brotliEffective[$0.key] == true }
            let found = try Self.loadAll(wanted, encoder, cache)
            let missing = zip(wanted, found).filter { $0.1 == nil }.map(\.0)
            let slots = ResultSlots<[UInt8], CollectError>(count: missing.count)
            DispatchQueue.concurrentPerform(iterations: missing.count) { index in
                slots.set(index, Result { () throws(CollectError) -> [UInt8] in
                    let item = missing[index]
                    let data = try LocalStorage.readFile(item.full)
                    let compressed = try PythonGzip.compress(data)
                    let kept = Self.isEffective(compressed.count, of: data.count) ? compressed : []
                    cache.store(encoder, item.key, kept)
                    return kept
                })
            }
            if let failure = slots.firstError { throw failure }
            var computed: [String: [UInt8]] = [:]
            for (item, bytes) in zip(missing, slots.successes ?? []) { computed[item.key] = bytes }
            for (item, cached) in zip(wanted, found) {
                let bytes = cached ?? computed[item.key] ?? []
                outputs[item.key, default: Outputs()].gzip = bytes.isEmpty ? nil : bytes
            }
        }
        return try Self.writeAll(items, outputs)
    }

    /// `is_compressed_effectively`: `compressed / original <= 0.95` (as Python floats); never for an empty file.
    static func isEffective(_ compressed: Int, of original: Int) -> Bool {
        original > 0 && Double(compressed) / Double(original) <= 0.95
    }

    /// Stats and hashes every file (on all cores), as `compress` opens it: the stat is taken
    /// before reading (its times go onto the variants).
    static func readAll(_ names: [String], in target: LocalStorage) throws(CollectError) -> [Item] {
        var paths: [String] = []
        for name in names {
            let path = try target.path(name)
            try target.confine(PyPath.dirname(path))  // its variants are written beside it
            paths.append(path)
        }
        let fulls = paths
        let slots = ResultSlots<Item, CollectError>(count: names.count)
        DispatchQueue.concurrentPerform(iterations: names.count) { index in
            slots.set(index, Result { () throws(CollectError) -> Item in
                let full = fulls[index]
                let fd = SafeIO.open(full, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw CollectError.os("open", full) }
                var info = stat()
                fstat(fd, &info)
                Glibc.close(fd)
                let (key, size) = try SafeIO.sha256(full)  // bounded memory, whatever the size
                return Item(name: names[index], full: full, size: size, key: key, atime: info.st_atim, mtime: info.st_mtim)
            })
        }
        if let failure = slots.firstError { throw failure }
        return slots.successes ?? []
    }

    static func loadAll(_ items: [Item], _ encoder: String, _ cache: CompressionCache) throws(CollectError) -> [[UInt8]?] {
        let slots = ResultSlots<[UInt8]?, CollectError>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            slots.set(index, .success(cache.load(encoder, items[index].key)))
        }
        return slots.successes ?? []
    }

    /// `write_data`: `open(path + suffix, "wb")` (umask permissions, an existing file keeps its
    /// mode), then `os.utime` with the original's float atime/mtime.
    static func writeAll(_ items: [Item], _ outputs: [String: Outputs]) throws(CollectError) -> [(String, String)] {
        var jobs: [(item: Item, suffix: String, bytes: [UInt8])] = []
        var yielded: [(String, String)] = []
        for item in items {
            guard let output = outputs[item.key] else { continue }
            // compressed_path[prefix_len:], prefix_len = len(full_path) - len(path), in code points.
            let prefixLength = item.full.unicodeScalars.count - item.name.unicodeScalars.count
            for (suffix, bytes) in [(".br", output.brotli), (".gz", output.gzip)] {
                guard let bytes else { continue }
                jobs.append((item, suffix, bytes))
                var scalars = String.UnicodeScalarView()
                scalars.append(contentsOf: (item.full + suffix).unicodeScalars.dropFirst(max(prefixLength, 0)))
                yielded.append((item.name, String(scalars)))
            }
        }
        let slots = ResultSlots<Void, CollectError>(count: jobs.count)
        let work = jobs
        DispatchQueue.concurrentPerform(iterations: work.count) { index in
            let job = work[index]
            slots.set(index, Result { () throws(CollectError) in
                let path = job.item.full + job.suffix
                // Written aside and renamed into place: a variant is complete or absent (a stale
                // one from an earlier run stays until the new one replaces it). An existing
                // variant's mode is kept, as `open(path, "wb")` keeps it.
                var existing = stat()
                let keepMode = stat(path, &existing) == 0 && (existing.st_mode & S_IFMT) == S_IFREG
                try SafeIO.writeAtomically(path, body: { fd throws(CollectError) in
                    if !job.bytes.withUnsafeBytes({ SafeIO.writeAll(fd, $0) }) { throw CollectError.os(errno: errno) }
                }, prepare: { fd, partial throws(CollectError) in
                    if keepMode { fchmod(fd, existing.st_mode & 0o7777) }
                    var times = [pythonUtime(job.item.atime), pythonUtime(job.item.mtime)]
                    if futimens(fd, &times) != 0 { throw CollectError.os("utime", path) }
                })
            })
        }
        if let failure = slots.firstError { throw failure }
        return yielded
    }

    /// `os.utime(path, (st_atime, st_mtime))`: the float timestamp (`sec + nsec * 1e-9`) back to a
    /// timespec, rounding the nanoseconds down (CPython's `_PyTime_ObjectToTimespec`, ROUND_FLOOR).
    static func pythonUtime(_ time: timespec) -> timespec {
        let value = Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
        var whole = 0.0
        var fraction = modf(value, &whole)
        fraction = (fraction * 1e9).rounded(.down)
        if fraction >= 1e9 {
            fraction -= 1e9
            whole += 1
        } else if fraction < 0 {
            fraction += 1e9
            whole -= 1
        }
        return timespec(tv_sec: Int(whole), tv_nsec: Int(fraction))
    }
}

/// `CompressedStaticFilesStorage.post_process` (no manifest) and
/// `CompressedManifestStaticFilesStorage.post_process` (Django's hashing and manifest, then
/// `post_process_with_compression`): compressed variants, the deletion of unhashed files with
/// WHITENOISE_KEEP_ONLY_HASHED_FILES, and `make_helpful_exception` on missing references.
public struct WhiteNoisePostProcessor: PostProcessor {
    var manifest: ManifestPostProcessor?
    let target: LocalStorage
    let compressor: WhiteNoiseCompressor
    let compression: CollectDescription.Compression
    let missingFile: PyRegex?

    public init(description: CollectDescription, manifest: ManifestPostProcessor?, brotli: BrotliBatch?) throws(CollectError) {
        let storage = try description.requireStorage()
        guard let compression = storage.compression else { throw CollectError("ValueError", "not a WhiteNoise storage") }
        self.manifest = manifest
        self.compression = compression
        self.target = LocalStorage(location: storage.location ?? "", filePermissions: storage.filePermissions,
                                   directoryPermissions: storage.directoryPermissions)
        self.compressor = try WhiteNoiseCompressor(compression, brotli: brotli)
        self.missingFile = try compression.missingFilePattern.map { pattern throws(CollectError) in
            do { return try PyRegex(pattern) } catch { throw CollectError("re.error", "\(pattern): \(error)") }
        }
    }

    public mutating func postProcess(_ files: [FoundFile], dryRun: Bool,
                                     yield: (PostProcessResult) throws(CollectError) -> Void) throws(CollectError) {
        guard var manifest else {
            if dryRun { return }
            for (name, compressed) in try compressor.compress(files.map(\.prefixedPath), in: target) {
                try yield(.processed(original: name, hashed: compressed))
            }
            return
        }
        let log = NameLog()
        manifest.hashedNameLog = log
        try manifest.postProcess(files, dryRun: dryRun) { result throws(CollectError) in
            if case .failed(let original, let error) = result {
                try yield(.failed(original: original, error: helpful(error, original)))
            } else {
                try yield(result)
            }
        }
        manifest.hashedNameLog = nil
        self.manifest = manifest
        if dryRun { return }
        // hashed_names: {clean_name(name): hashed_name} of every successful yield, which is the
        // manifest's own mapping.
        let originals = manifest.hashedFiles.pairs.map(\.0)
        var hashed = OrderedPathSet()
        for (_, name) in manifest.hashedFiles.pairs { hashed.insert(name) }
        var toCompress = OrderedPathSet()
        if compression.keepOnlyHashedFiles {
            for name in originals + log.names where !hashed.contains(name) { try Self.unlink(try target.path(name)) }
            toCompress = hashed
        } else {
            for name in originals + hashed.items { toCompress.insert(name) }
        }
        for (name, compressed) in try compressor.compress(toCompress.items, in: target) {
            try yield(.processed(original: name, hashed: compressed))
        }
    }

    /// `delete_files`: `os.unlink`, a missing file ignored.
    static func unlink(_ path: String) throws(CollectError) {
        if Glibc.unlink(path) != 0 && errno != ENOENT { throw CollectError.os("unlink", path) }
    }

    /// `make_helpful_exception`: a ValueError about a file that could not be found becomes a
    /// MissingFileError naming the referencing file (its `args[0]` only: notes are not carried).
    func helpful(_ error: CollectError, _ name: String) -> CollectError {
        guard error.type == "ValueError", let missingFile, let template = compression.missingFileMessage,
              let match = missingFile.search(error.message) else { return error }
        let ext = PyPath.splitext(name).ext.drop { $0 == "." }.uppercased()
        let values = ["orig_message": error.message, "filename": name, "missing": match.string(1) ?? "", "ext": ext]
        var message = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            message += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}"),
                  let value = values[String(rest[rest.index(after: open)..<close])] else {
                message += rest[open...open]
                rest = rest[rest.index(after: open)...]
                continue
            }
            message += value
            rest = rest[rest.index(after: close)...]
        }
        return CollectError("MissingFileError", message + rest)
    }
}
