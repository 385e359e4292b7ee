import PythonStdlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The I/O every collect write goes through: system calls retried on EINTR (a signal handler
/// installed without SA_RESTART — Python's are — must never make a copy fail), bounded buffers
/// (a file of any size is copied and hashed in constant memory), and files that appear under
/// their final name only when complete (written to a temporary name in the same directory, then
/// renamed over it).
public enum SafeIO {
    /// Bytes per read/write/sendfile call: memory stays bounded and an interrupted run stops
    /// between two chunks.
    package static let chunk = 1 << 20

    /// Temporary files are named `<prefix><16 hex digits>` in the directory of their final name.
    public static let partialPrefix = ".djstatic-partial."

    /// `open` retried on EINTR.
    package static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags, mode)
            if fd >= 0 || errno != EINTR { return fd }
        }
    }

    /// `read` retried on EINTR.
    package static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        while true {
            let n = Glibc.read(fd, buffer, count)
            if n >= 0 || errno != EINTR { return n }
        }
    }

    /// Writes every byte (short writes continued, EINTR retried); false with errno set on failure.
    package static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(fd, buffer.baseAddress! + offset, min(buffer.count - offset, chunk))
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// `fsync` retried on EINTR.
    package static func fsync(_ fd: Int32) -> Bool {
        while Glibc.fsync(fd) != 0 {
            if errno != EINTR { return false }
        }
        return true
    }

    /// Copies everything readable from `input` to `output`: in-kernel (`sendfile`) in bounded
    /// chunks, then read/write for whatever `sendfile` cannot do or what grew meanwhile.
    /// Returns 0, or the errno of the failed read or write.
    package static func copy(from input: Int32, to output: Int32) -> Int32 {
        var useSendfile = true
        while useSendfile {
            let sent = Glibc.sendfile(output, input, nil, chunk)
            if sent > 0 { continue }
            if sent == 0 { break }
            if errno == EINTR { continue }
            // Not supported for these files (EINVAL, ENOSYS), or a failure sendfile does not
            // attribute to either side: read/write carry on from the same offsets and find out.
            useSendfile = false
        }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(input, buffer, chunk)
            if n == 0 { return 0 }
            if n < 0 { return errno }
            if !writeAll(output, UnsafeRawBufferPointer(start: buffer, count: n)) { return errno }
        }
    }

    /// Feeds a file to `consume` in bounded chunks; the open and read errors are Python's
    /// (`open(path, "rb").read()`).
    package static func stream(_ path: String, _ consume: (UnsafeRawBufferPointer) -> Void) throws(CollectError) -> Int {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CollectError.os("open", path) }
        defer { Glibc.close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw CollectError("IsADirectoryError", "[Errno 21] Is a directory: '\(path)'")
        }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let n = read(fd, buffer, chunk)
            if n < 0 { throw CollectError.os(errno: errno) }
            if n == 0 { return total }
            consume(UnsafeRawBufferPointer(start: buffer, count: n))
            total += n
        }
    }

    /// A fresh temporary name in the directory of `final`.
    package static func partialName(for final: String) -> String {
        let random = String(UInt64.random(in: .min ... .max), radix: 16)
        return PyPath.dirname(final) + "/" + partialPrefix + String(repeating: "0", count: 16 - random.count) + random
    }

    /// Whether a directory entry is one of our temporary files.
    package static func isPartialName(_ name: String) -> Bool {
        guard name.hasPrefix(partialPrefix) else { return false }
        let rest = name.dropFirst(partialPrefix.count)
        return rest.count == 16 && rest.allSatisfy(\.isHexDigit)
    }

    /// Writes `final` atomically: `body` writes into a new temporary file in the same directory
    /// (exclusively locked while it is written, so a concurrent cleanup leaves it alone), `prepare`
    /// sets its mode, owner or times, and it is then renamed over `final`. On any failure the
    /// temporary file is removed and `final` is untouched. `durable` fsyncs the file before the
    /// rename and the directory after it.
    package static func writeAtomically(_ final: String, durable: Bool = false,
                                body: (Int32) throws(CollectError) -> Void,
                                prepare: (Int32, String) throws(CollectError) -> Void = { _, _ in }) throws(CollectError) {
        var partial = ""
        var fd: Int32 = -1
        for _ in 0..<16 {
            partial = partialName(for: final)
            let name = partial
            fd = PartialFiles.shared.create(name) { open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666) }
            if fd >= 0 { break }
            let code = errno
            if code != EEXIST { throw CollectError.os("open", final, errno: code) }
        }
        guard fd >= 0 else { throw CollectError.os("open", final, errno: EEXIST) }
        func abandon() {
            Glibc.close(fd)
            Glibc.unlink(partial)
            PartialFiles.shared.end(partial)
        }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        do throws(CollectError) {
            try body(fd)
            try prepare(fd, partial)
            if durable && !fsync(fd) { throw CollectError.os(errno: errno) }
        } catch {
            abandon()
            throw error
        }
        guard PartialFiles.shared.commit(partial, as: final) else {
            let code = errno
            abandon()
            throw CollectError.os("rename", final, errno: code)
        }
        Glibc.close(fd)
        if durable {
            let directory = open(PyPath.dirname(final), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if directory >= 0 {
                _ = fsync(directory)
                Glibc.close(directory)
            }
        }
    }

    /// Removes temporary files a killed run left under `root` (a directory tree walked without
    /// following symbolic links: nothing outside it is touched; `recursive` false: that directory
    /// only). A file another running djstatic
    /// is still writing is locked, and is left alone.
    public static func removeAbandonedPartials(under root: String, recursive: Bool = true) {
        guard let handle = opendir(root) else { return }
        defer { closedir(handle) }
        var directories: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let path = root + "/" + name
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: type = UInt8(DT_DIR)
                case S_IFREG: type = UInt8(DT_REG)
                case S_IFLNK: type = UInt8(DT_LNK)
                default: type = 0
                }
            }
            if type == UInt8(DT_DIR) {
                directories.append(path)
            } else if type == UInt8(DT_REG) && isPartialName(name) {
                let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
                guard fd >= 0 else { continue }
                if flock(fd, LOCK_EX | LOCK_NB) == 0 { Glibc.unlink(path) }
                Glibc.close(fd)
            } else if type == UInt8(DT_LNK) && isPartialName(name) {
                Glibc.unlink(path)  // a --link run's link, killed before its rename
            }
        }
        if recursive {
            for directory in directories { removeAbandonedPartials(under: directory) }
        }
    }
}

/// The temporary files being written right now, so that an interrupted run (Ctrl-C, SIGTERM)
/// removes them before it exits. Creating a temporary file (with its registration) and renaming
/// one into place each hold a shared lock, so writer threads never wait for each other;
/// `abandonAll`, on the signal watcher thread, takes that lock exclusively and for good: it waits
/// for every creation and rename in flight, so no file created a moment before the signal escapes
/// it, and none is created or renamed into place after it.
public final class PartialFiles: @unchecked Sendable {
    public static let shared = PartialFiles()
    /// Shared: creating or renaming a temporary file. Exclusive (never released): abandoning.
    private let gate: UnsafeMutablePointer<pthread_rwlock_t> = {
        let gate = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        // glibc prefers readers by default: busy writer threads could keep the watcher out.
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        pthread_rwlock_init(gate, &attributes)
        pthread_rwlockattr_destroy(&attributes)
        return gate
    }()
    /// Guards the two sets (the gate lets many threads in at once).
    private let lock = NSLock()
    private var paths = Set<PyStrKey>()
    private var directories = Set<PyStrKey>()

    package init() {}

    /// Creates the temporary file `path` with `make` (which returns a descriptor or 0, or -1 with
    /// errno set) and registers it, as one step for `abandonAll`. Returns what `make` returned,
    /// with errno preserved on failure.
    package func create(_ path: String, _ make: () -> Int32) -> Int32 {
        pthread_rwlock_rdlock(gate)
        let result = make()
        let code = errno
        if result >= 0 { lock.withLock { _ = paths.insert(PyStrKey(path)) } }
        pthread_rwlock_unlock(gate)
        errno = code
        return result
    }

    /// Forgets a temporary file that was removed.
    package func end(_ path: String) {
        lock.withLock { _ = paths.remove(PyStrKey(path)) }
    }

    /// Renames a finished temporary file into place; false (errno set) if it could not be.
    package func commit(_ path: String, as final: String) -> Bool {
        pthread_rwlock_rdlock(gate)
        let renamed = rename(path, final) == 0
        let code = errno
        if renamed { end(path) }
        pthread_rwlock_unlock(gate)
        errno = code
        return renamed
    }

    /// A private directory (S3 staging) removed when the run is interrupted.
    public func registerDirectory(_ path: String) {
        lock.withLock { _ = directories.insert(PyStrKey(path)) }
    }

    public func unregisterDirectory(_ path: String) {
        lock.withLock { _ = directories.remove(PyStrKey(path)) }
    }

    /// Waits for the creations and renames in flight, stops every further one and removes the
    /// files and directories in progress. Never releases the gate: the caller is about to exit.
    public func abandonAll() {
        pthread_rwlock_wrlock(gate)
        let (files, trees) = lock.withLock { (paths, directories) }
        for path in files { Glibc.unlink(path.string) }
        for directory in trees { try? FileManager.default.removeItem(atPath: directory.string) }
    }
}
