import PythonStdlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An error collectstatic would die of (Django raises the same exception type and message).
public struct CollectError: Error, Sendable, CustomStringConvertible {
    /// Python exception class name, e.g. "SuspiciousFileOperation", "CommandError".
    public var type: String
    public var message: String
    /// Python's `__notes__` (Django 6.1 adds one to a post-processing error).
    public var notes: [String] = []
    public init(_ type: String, _ message: String) {
        self.type = type
        self.message = message
    }
    public var description: String { "\(type): \(message)" }

    package static func os(_ operation: String, _ path: String, errno code: Int32 = errno) -> CollectError {
        let text = String(cString: strerror(code))
        return CollectError(Self.pythonOSErrorName(code), "[Errno \(code)] \(text): '\(path)'")
    }

    /// An OSError raised by a read or write on an open file: Python names no file.
    package static func os(errno code: Int32) -> CollectError {
        CollectError(Self.pythonOSErrorName(code), "[Errno \(code)] \(String(cString: strerror(code)))")
    }

    private static func pythonOSErrorName(_ code: Int32) -> String {
        switch code {
        case ENOENT: "FileNotFoundError"
        case EEXIST: "FileExistsError"
        case EACCES, EPERM: "PermissionError"
        case EISDIR: "IsADirectoryError"
        case ENOTDIR: "NotADirectoryError"
        default: "OSError"
        }
    }
}

/// Django's `FileSystemStorage` as collectstatic uses it (both as a source and as the target).
public struct LocalStorage: Sendable {
    /// The configuration and what writes found out, in one shared object: every found file
    /// carries its source storage, and a copy of this is one reference (the five fields made a
    /// found file 120 bytes; at 50k files, about 20 MB of peak memory were copies of them).
    private let state: State

    private final class State: Sendable {
        let location: String
        /// `abspath(location)`, computed once: `path` runs for every file.
        let base: String
        let known = KnownState()
        let filePermissions: Int?
        let directoryPermissions: Int?
        let prefix: String

        init(location: String, filePermissions: Int?, directoryPermissions: Int?, prefix: String) {
            self.location = location
            self.base = PyPath.abspath(location, cwd: "/")
            self.filePermissions = filePermissions
            self.directoryPermissions = directoryPermissions
            self.prefix = prefix
        }
    }

    /// The configured root (made absolute by `path`).
    public var location: String { state.location }
    private var base: String { state.base }
    /// What writes found out about the location and need not ask the file system again.
    private var known: KnownState { state.known }
    public var filePermissions: Int? { state.filePermissions }
    public var directoryPermissions: Int? { state.directoryPermissions }
    /// Destination prefix, for FileSystemFinder roots.
    public var prefix: String { state.prefix }

    public init(location: String, filePermissions: Int? = nil, directoryPermissions: Int? = nil, prefix: String = "") {
        state = State(location: location, filePermissions: filePermissions, directoryPermissions: directoryPermissions, prefix: prefix)
    }

    /// `safe_join(location, name)`; a storage without location (no STATIC_ROOT) fails like
    /// StaticFilesStorage.path().
    public func path(_ name: String) throws(CollectError) -> String {
        if location.isEmpty {
            throw CollectError("ImproperlyConfigured",
                               "You're using the staticfiles app without having set the STATIC_ROOT setting to a filesystem path.")
        }
        if Self.isNormalRelative(name) { return base == "/" ? "/" + name : base + "/" + name }
        let final = PyPath.abspath(PyPath.join(base, name), cwd: "/")
        if !final.hasPrefix(base + "/") && final != base && PyPath.dirname(base) != base {
            throw CollectError("SuspiciousFileOperation",
                               "The joined path (\(final)) is located outside of the base path component (\(base))")
        }
        return final
    }

    /// Whether `normpath(join(base, name))` is just `base + "/" + name`: a relative name without
    /// empty, "." or ".." components (what nearly every static path is).
    package static func isNormalRelative(_ name: String) -> Bool {
        var componentLength = 0
        var dots = 0
        for byte in name.utf8 {
            if byte == UInt8(ascii: "/") {
                if componentLength == 0 || (componentLength == dots && dots <= 2) { return false }
                componentLength = 0
                dots = 0
            } else {
                componentLength += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return componentLength > 0 && !(componentLength == dots && dots <= 2)
    }

    /// `os.path.isdir` (follows symlinks).
    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// nil when `full` can be opened for reading, else the OSError `open()` raises.
    package static func isReadable(_ full: String) -> CollectError? {
        let fd = SafeIO.open(full, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return CollectError.os("open", full) }
        close(fd)
        return nil
    }

    /// `os.path.lexists` of the stored name (a dangling symlink exists).
    public func exists(_ name: String) throws(CollectError) -> Bool {
        var info = stat()
        return lstat(try path(name), &info) == 0
    }

    /// `os.scandir` order (raw readdir, unsorted), split by `is_dir()` (which follows symlinks).
    public func listdir(_ name: String) throws(CollectError) -> (directories: [String], files: [String]) {
        try LocalStorage.scandir(try path(name))
    }

    package static func scandir(_ directory: String) throws(CollectError) -> (directories: [String], files: [String]) {
        guard let handle = opendir(directory) else { throw CollectError.os("scandir", directory) }
        defer { closedir(handle) }
        var directories: [String] = [], files: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            var isDirectory = false
            let type = entry.pointee.d_type
            if type == UInt8(DT_DIR) {
                isDirectory = true
            } else if type == UInt8(DT_LNK) || type == UInt8(DT_UNKNOWN) {
                var info = stat()
                isDirectory = stat(directory + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            if isDirectory { directories.append(name) } else { files.append(name) }
        }
        return (directories, files)
    }

    /// `get_modified_time`: whole seconds of `datetime.fromtimestamp(getmtime(path))`, i.e. the
    /// float timestamp rounded half-even to microseconds, microseconds then dropped.
    public func modifiedSecond(_ name: String) throws(CollectError) -> Int64 {
        let full = try path(name)
        var info = stat()
        guard stat(full, &info) == 0 else { throw CollectError.os("stat", full) }
        return Self.pythonSecond(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec))
    }

    package static func pythonSecond(seconds: Int64, nanoseconds: Int64) -> Int64 {
        let timestamp = Double(seconds) + Double(nanoseconds) * 1e-9  // os.stat().st_mtime
        var whole = timestamp.rounded(.down)
        let micro = ((timestamp - whole) * 1e6).rounded(.toNearestOrEven)
        if micro >= 1e6 { whole += 1 }
        return Int64(whole)
    }

    public func isSymlink(_ name: String) throws(CollectError) -> Bool {
        var info = stat()
        return lstat(try path(name), &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// The stored name is a regular file (not a link) with exactly these bytes and, when
    /// FILE_UPLOAD_PERMISSIONS is set, that mode: what `_save` of these bytes would leave.
    public func holds(_ name: String, _ bytes: [UInt8]) -> Bool {
        guard let full = try? path(name) else { return false }
        var info = stat()
        guard lstat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == bytes.count else { return false }
        if let filePermissions, Int(info.st_mode & 0o7777) != filePermissions { return false }
        return (try? LocalStorage.readFile(full)) == bytes
    }

    /// The stored name is a directory itself (not a link to one): the only thing a new file
    /// cannot simply be renamed over.
    public func isRealDirectory(_ name: String) throws(CollectError) -> Bool {
        var info = stat()
        return lstat(try path(name), &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// `delete`: rmdir for directories, remove otherwise; a vanished file is ignored.
    public func delete(_ name: String) throws(CollectError) {
        if name.isEmpty { throw CollectError("ValueError", "The name must be given to delete().") }
        let full = try path(name)
        try confine(PyPath.dirname(full))
        var info = stat()
        if stat(full, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            known.forgetDirectories(under: full)
            if rmdir(full) != 0 && errno != ENOENT { throw CollectError.os("rmdir", full) }
        } else if unlink(full) != 0 && errno != ENOENT {
            throw CollectError.os("remove", full)
        }
    }

    /// `_save(name, content)` with bytes already in memory (`durable`: fsynced before it is
    /// renamed into place).
    @discardableResult
    public func save(_ name: String, bytes: [UInt8], durable: Bool = false) throws(CollectError) -> String {
        let full = try path(name)
        try makeDirectories(PyPath.dirname(full))
        try write(full, durable: durable) { fd throws(CollectError) in
            let ok = bytes.withUnsafeBytes { SafeIO.writeAll(fd, $0) }
            if !ok { throw CollectError.os(errno: errno) }
        }
        return name
    }

    /// `_save(name, open(source))`: a byte-exact copy of `source`, in bounded memory. As in Django
    /// the source is opened first: when it cannot be, nothing is created (not even the directory).
    @discardableResult
    public func save(_ name: String, copying source: String) throws(CollectError) -> String {
        let input = SafeIO.open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw CollectError.os("open", source) }
        defer { close(input) }
        var info = stat()
        if fstat(input, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw CollectError("IsADirectoryError", "[Errno 21] Is a directory: '\(source)'")
        }
        let full = try path(name)
        try makeDirectories(PyPath.dirname(full))
        try write(full) { fd throws(CollectError) in
            let code = SafeIO.copy(from: input, to: fd)
            if code != 0 { throw CollectError.os(errno: code) }
        }
        return name
    }

    /// Writes `full` atomically (a temporary file renamed over it once complete) with the mode
    /// FILE_UPLOAD_PERMISSIONS gives and the storage root's group, as `_save` leaves them.
    /// `durable`: fsynced before the rename (the manifest).
    package func write(_ full: String, durable: Bool = false, body: (Int32) throws(CollectError) -> Void) throws(CollectError) {
        try SafeIO.writeAtomically(full, durable: durable, body: body) { fd, _ throws(CollectError) in
            if let filePermissions { fchmod(fd, mode_t(filePermissions)) }
            alignGroup(fd)
        }
    }

    /// `os.makedirs(directory, exist_ok=True)`; with directory permissions every level created
    /// gets exactly that mode (existing directories are left alone). Refused (see `confine`) when
    /// it goes through a symbolic link that leads out of the location.
    package func makeDirectories(_ directory: String) throws(CollectError) {
        if known.hasDirectory(directory) { return }
        try confine(directory)
        try makeDirectoriesUnchecked(directory)
        known.addDirectory(directory)
    }

    private func makeDirectoriesUnchecked(_ directory: String) throws(CollectError) {
        var info = stat()
        if stat(directory, &info) == 0 {
            if (info.st_mode & S_IFMT) != S_IFDIR {
                throw CollectError("FileExistsError", "\(directory) exists and is not a directory.")
            }
            return
        }
        let parent = PyPath.dirname(directory)
        if parent != directory { try makeDirectoriesUnchecked(parent) }
        let mode = mode_t(directoryPermissions ?? 0o777)
        if mkdir(directory, mode) != 0 {
            if errno == EEXIST { return }
            throw CollectError.os("mkdir", directory)
        }
        if let directoryPermissions { chmod(directory, mode_t(directoryPermissions)) }
    }

    /// Nothing is written or deleted outside the location: every existing directory between the
    /// location and `directory` must be a directory, or a symbolic link that resolves inside the
    /// location (`STATIC_ROOT/media -> /srv/media` is refused, naming the link, before anything is
    /// created through it; Django's `FileSystemStorage` follows such a link wherever it points).
    package func confine(_ directory: String) throws(CollectError) {
        let prefix = base == "/" ? "/" : base + "/"
        guard directory.hasPrefix(prefix) else { return }  // the location itself (`path` refuses the outside)
        var current = base == "/" ? "" : base
        for component in directory.dropFirst(prefix.count).split(separator: "/") {
            current += "/" + component
            var info = stat()
            guard lstat(current, &info) == 0 else { return }  // the rest is created as real directories
            guard (info.st_mode & S_IFMT) == S_IFLNK else { continue }
            if let resolved = Self.realpath(current), let root = Self.realpath(base),
               resolved == root || resolved.hasPrefix(root == "/" ? "/" : root + "/") { continue }
            var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &target, target.count - 1)
            let destination = length >= 0 ? String(decoding: target[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
            throw CollectError("SuspiciousFileOperation",
                               "'\(current.dropFirst(prefix.count))' in \(base) is a symbolic link to '\(destination)', outside "
                               + "of it: djstatic writes and deletes nothing outside the storage's location (collectstatic "
                               + "would write through the link); remove the link, or make it point inside \(base)")
        }
    }

    /// `os.path.realpath` of an existing path, or nil (a dangling link, a loop).
    static func realpath(_ path: String) -> String? {
        guard let resolved = Glibc.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `_ensure_location_group_id`: give the file the group of the storage root when it differs.
    private func alignGroup(_ fd: Int32) {
        var file = stat()
        guard let group = known.rootGroup(location), fstat(fd, &file) == 0, group != file.st_gid else { return }
        _ = fchown(fd, uid_t.max, group)
    }

    /// Reads a stored file.
    public func read(_ name: String) throws(CollectError) -> [UInt8] {
        try Self.readFile(try path(name))
    }

    package static func readFile(_ full: String) throws(CollectError) -> [UInt8] {
        let fd = SafeIO.open(full, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CollectError.os("open", full) }
        defer { close(fd) }
        var info = stat()
        fstat(fd, &info)
        if (info.st_mode & S_IFMT) == S_IFDIR { throw CollectError("IsADirectoryError", "[Errno 21] Is a directory: '\(full)'") }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var offset = 0
        while offset < size {
            let n = bytes.withUnsafeMutableBytes { SafeIO.read(fd, $0.baseAddress! + offset, size - offset) }
            if n < 0 { throw CollectError.os("read", full) }
            if n == 0 { break }
            offset += n
        }
        if offset < bytes.count { bytes.removeLast(bytes.count - offset) }
        var extra = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = extra.withUnsafeMutableBytes { SafeIO.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { throw CollectError.os("read", full) }
            if n == 0 { break }
            bytes += extra[0..<n]
        }
        return bytes
    }
}

/// What a storage's writes learnt about its location, shared by the copies of one `LocalStorage`
/// (collect writes on all cores): the directories already confined and made (forgotten when
/// deleted), and the location's group.
private final class KnownState: @unchecked Sendable {
    private let lock = NSLock()
    private var directories = Set<PyStrKey>()
    private var group: gid_t?

    func hasDirectory(_ directory: String) -> Bool { lock.withLock { directories.contains(PyStrKey(directory)) } }
    func addDirectory(_ directory: String) { lock.withLock { _ = directories.insert(PyStrKey(directory)) } }
    func forgetDirectories(under directory: String) {
        let (key, prefix) = (PyStrKey(directory), Array((directory + "/").utf8))
        lock.withLock { directories = directories.filter { $0 != key && !$0.string.utf8.starts(with: prefix) } }
    }

    /// The location's group, once the location exists.
    func rootGroup(_ location: String) -> gid_t? {
        lock.withLock {
            if group == nil {
                var root = stat()
                if stat(location, &root) == 0 { group = root.st_gid }
            }
            return group
        }
    }
}
