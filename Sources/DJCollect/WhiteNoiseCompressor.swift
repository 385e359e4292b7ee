import PythonStdlib
import CCompressZlib
import Crypto
import DJSettings
import DJStaticFiles
import Foundation
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
    private var keys = Set<PyStrKey>()
    private(set) var names: [String] = []
    public init() {}
    func insert(_ name: String) {
        lock.withLock {
            if keys.insert(PyStrKey(name)).inserted { names.append(name) }
        }
    }
}

/// CPython's `gzip.GzipFile(filename="", mode="wb", compresslevel=9, mtime=0)` as whitenoise's
/// `Compressor.compress_gzip` writes it: the 10-byte header (no name, mtime 0, XFL 2 for level 9,
/// OS 255), zlib's raw deflate at level 9 (window 15, memory level 8), CRC-32 and size mod 2^32.
/// Streamed in bounded chunks: zlib's output does not depend on how its input is split (no flush
/// before the end), so it is whitenoise's `gzip.write(data)` of the whole file, byte for byte.
public enum PythonGzip {
    /// Compresses the file `source` into the new file `destination`; returns the compressed size.
    public static func compress(file source: String, into destination: String) throws(CollectError) -> Int {
        try stream(file: source, into: destination, windowBits: -15, gzipFile: true)
    }

    /// `zlib.compressobj(level=9, wbits=31)` over the file `source` (django-storages'
    /// `GzipCompressionWrapper`: zlib's own gzip framing, no name, mtime 0), streamed likewise.
    public static func compressobj(file source: String, into destination: String) throws(CollectError) -> Int {
        try stream(file: source, into: destination, windowBits: 31, gzipFile: false)
    }

    /// Level 9, memory level 8, default strategy; `gzipFile`: GzipFile's header and trailer
    /// around a raw deflate stream.
    static func stream(file source: String, into destination: String, windowBits: Int32,
                        gzipFile: Bool) throws(CollectError) -> Int {
        let input = SafeIO.open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw CollectError.os("open", source) }
        defer { Glibc.close(input) }
        let output = SafeIO.open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard output >= 0 else { throw CollectError.os("open", destination) }
        defer { Glibc.close(output) }
        // On the heap: zlib's state points back at its stream, which must not move between calls.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard CCompressZlib_deflateInit2(stream, 9, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY) == Z_OK else {
            throw CollectError("zlib.error", "Error -2 while compressing data: deflateInit2 failed")
        }
        defer { deflateEnd(stream) }
        let inBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: SafeIO.chunk)
        let outBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: SafeIO.chunk)
        defer {
            inBuffer.deallocate()
            outBuffer.deallocate()
        }
        var written = 0
        func emit(_ bytes: UnsafeRawBufferPointer) throws(CollectError) {
            if !SafeIO.writeAll(output, bytes) { throw CollectError.os(errno: errno) }
            written += bytes.count
        }
        func emit(_ bytes: [UInt8]) throws(CollectError) {
            if !bytes.withUnsafeBytes({ SafeIO.writeAll(output, $0) }) { throw CollectError.os(errno: errno) }
            written += bytes.count
        }
        if gzipFile { try emit([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0xFF]) }
        var crc = CCompressZlib.crc32(0, nil, 0)
        var size: UInt64 = 0
        var finished = false
        while !finished {
            let count = SafeIO.read(input, inBuffer, SafeIO.chunk)
            if count < 0 { throw CollectError.os(errno: errno) }
            crc = CCompressZlib.crc32(crc, inBuffer, uInt(count))
            size += UInt64(count)
            stream.pointee.next_in = inBuffer
            stream.pointee.avail_in = uInt(count)
            repeat {
                stream.pointee.next_out = outBuffer
                stream.pointee.avail_out = uInt(SafeIO.chunk)
                let code = CCompressZlib.deflate(stream, count == 0 ? Z_FINISH : Z_NO_FLUSH)
                if code == Z_STREAM_ERROR { throw CollectError("zlib.error", "Error \(code) while compressing data") }
                try emit(UnsafeRawBufferPointer(start: outBuffer, count: SafeIO.chunk - Int(stream.pointee.avail_out)))
                finished = code == Z_STREAM_END
            } while stream.pointee.avail_out == 0
        }
        guard gzipFile else { return written }
        var trailer: [UInt8] = []
        for value in [UInt32(truncatingIfNeeded: crc), UInt32(truncatingIfNeeded: size)] {
            for shift in stride(from: 0, to: 32, by: 8) { trailer.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
        }
        try emit(trailer)
        return written
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

    /// The size of the cached output (0: not effective), or nil.
    func lookup(_ encoder: String, _ key: String) -> Int? {
        var info = stat()
        guard stat(entry(encoder, key), &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// Records "not effective" (an empty entry); a failure only costs a recompression next time.
    func storeIneffective(_ encoder: String, _ key: String) {
        let scratch = self.scratch(key + "-" + encoder)
        guard (try? Data().write(to: URL(fileURLWithPath: scratch))) != nil else { return }
        _ = try? adopt(scratch, as: encoder, key)
    }

    /// Moves a finished scratch file into place (atomically: a concurrent djstatic never reads
    /// half an entry) and returns its path.
    @discardableResult
    func adopt(_ scratch: String, as encoder: String, _ key: String) throws(CollectError) -> String {
        let path = entry(encoder, key)
        try? FileManager.default.createDirectory(atPath: PyPath.dirname(path), withIntermediateDirectories: true)
        if rename(scratch, path) != 0 {
            let error = CollectError.os("rename", path)
            unlink(scratch)
            throw error
        }
        return path
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

    /// The cache entries holding what one content compresses to (nil: that variant is not written).
    struct Outputs {
        var brotli: String?
        var gzip: String?
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
            var missing: [Item] = []
            for (item, size) in zip(unique, Self.lookupAll(unique, encoder, cache)) {
                if let size {
                    if size > 0 { outputs[item.key, default: Outputs()].brotli = cache.entry(encoder, item.key) }
                } else {
                    missing.append(item)
                }
            }
            missing.sort { $0.size > $1.size }
            for start in stride(from: 0, to: missing.count, by: Self.brotliBatchSize) {
                let batch = Array(missing[start..<min(start + Self.brotliBatchSize, missing.count)])
                let jobs = batch.map { (source: $0.full, destination: cache.scratch($0.key + "-br")) }
                let sizes: [Int]
                do { sizes = try brotli(jobs) } catch { throw CollectError("RuntimeError", "brotli compression failed: \(error)") }
                for ((item, job), size) in zip(zip(batch, jobs), sizes) {
                    if Self.isEffective(size, of: item.size) {
                        outputs[item.key, default: Outputs()].brotli = try cache.adopt(job.destination, as: encoder, item.key)
                    } else {
                        unlink(job.destination)
                        cache.storeIneffective(encoder, item.key)
                    }
                }
            }
            for item in unique { brotliEffective[item.key] = outputs[item.key]?.brotli != nil }
        }
        if compression.gzip {
            let encoder = "gz-zlib" + PythonGzip.zlibVersion
            let wanted = unique.filter { brotli == nil || brotliEffective[$0.key] == true }
            let found = Self.lookupAll(wanted, encoder, cache)
            let missing = zip(wanted, found).filter { $0.1 == nil }.map(\.0)
            let slots = ResultSlots<String?, CollectError>(count: missing.count)
            DispatchQueue.concurrentPerform(iterations: missing.count) { index in
                slots.set(index, Result { () throws(CollectError) -> String? in
                    let item = missing[index]
                    let scratch = cache.scratch(item.key + "-" + encoder)
                    let size: Int
                    do throws(CollectError) {
                        size = try PythonGzip.compress(file: item.full, into: scratch)
                    } catch {
                        unlink(scratch)
                        throw error
                    }
                    if Self.isEffective(size, of: item.size) { return try cache.adopt(scratch, as: encoder, item.key) }
                    unlink(scratch)
                    cache.storeIneffective(encoder, item.key)
                    return nil
                })
            }
            if let failure = slots.firstError { throw failure }
            var computed: [String: String] = [:]
            for (item, entry) in zip(missing, slots.successes ?? []) { computed[item.key] = entry }
            for (item, size) in zip(wanted, found) {
                let entry = size.map { $0 > 0 ? cache.entry(encoder, item.key) : nil } ?? computed[item.key]
                outputs[item.key, default: Outputs()].gzip = entry
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

    static func lookupAll(_ items: [Item], _ encoder: String, _ cache: CompressionCache) -> [Int?] {
        items.map { cache.lookup(encoder, $0.key) }
    }

    /// `write_data`: `open(path + suffix, "wb")` (umask permissions, an existing file keeps its
    /// mode), then `os.utime` with the original's float atime/mtime.
    static func writeAll(_ items: [Item], _ outputs: [String: Outputs]) throws(CollectError) -> [(String, String)] {
        var jobs: [(item: Item, suffix: String, entry: String)] = []
        var yielded: [(String, String)] = []
        for item in items {
            guard let output = outputs[item.key] else { continue }
            // compressed_path[prefix_len:], prefix_len = len(full_path) - len(path), in code points.
            let prefixLength = item.full.unicodeScalars.count - item.name.unicodeScalars.count
            for (suffix, entry) in [(".br", output.brotli), (".gz", output.gzip)] {
                guard let entry else { continue }
                jobs.append((item, suffix, entry))
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
                    let input = SafeIO.open(job.entry, O_RDONLY | O_CLOEXEC)
                    guard input >= 0 else { throw CollectError.os("open", job.entry) }
                    defer { Glibc.close(input) }
                    let code = SafeIO.copy(from: input, to: fd)
                    if code != 0 { throw CollectError.os(errno: code) }
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
