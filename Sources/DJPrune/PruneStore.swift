import DJS3
import Foundation
import PythonStdlib
#if canImport(Glibc)
import Glibc
#endif

/// One stored file, named relative to the storage's root ("css/site.3f2a.css").
public struct PruneEntry: Sendable, Equatable {
    public var name: String
    public var size: Int
    public var modified: Date
    public init(name: String, size: Int, modified: Date) {
        self.name = name
        self.size = size
        self.modified = modified
    }
}

/// A name that could not be deleted, and why.
public struct PruneFailure: Sendable, Equatable {
    public var name: String
    public var reason: String
    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }
}

/// What pruning needs of a storage: one listing, reads of manifests, a small journal write, deletes.
public protocol PruneStore: Sendable {
    /// How the storage is named in messages (a directory, or s3://bucket/prefix).
    var displayLocation: String { get }
    /// The display form of one name (an absolute path, or an object key).
    func display(_ name: String) -> String
    /// Every file under the root (never through a symbolic link to a directory).
    func list() async throws -> [PruneEntry]
    func read(_ name: String) async throws -> Data
    /// Writes `data` at `name` so that a reader sees the old bytes or the new ones, never a mix.
    func write(_ name: String, _ data: Data) async throws
    /// Deletes `names` (only names `list()` returned); the ones that failed come back, each named.
    func delete(_ names: [String]) async -> [PruneFailure]
    /// How many names one `delete` call should get (deletions are reported per call).
    var batchSize: Int { get }
}

/// A STATIC_ROOT on the local filesystem. Names come only from `list()`, which walks real
/// directories below the root (a symbolic link is listed as a file and never followed), so a
/// delete unlinks at most the link itself and never reaches outside the root.
public struct LocalPruneStore: PruneStore {
    public let root: String

    public init(root: String) {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    public var displayLocation: String { root }
    public var batchSize: Int { 1 }
    public func display(_ name: String) -> String { root + "/" + name }

    public func list() async throws -> [PruneEntry] {
        var out: [PruneEntry] = []
        var info = stat()
        guard stat(root, &info) == 0 else { return [] }  // no STATIC_ROOT yet: nothing stored
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw PruneError("\(root): not a directory") }
        try walk("", into: &out)
        return out.sorted { $0.name.unicodeScalars.lexicographicallyPrecedes($1.name.unicodeScalars) }
    }

    private func walk(_ relative: String, into out: inout [PruneEntry]) throws {
        let directory = relative.isEmpty ? root : root + "/" + relative
        guard let handle = opendir(directory) else {
            throw PruneError("\(directory): cannot list: \(String(cString: strerror(errno)))")
        }
        defer { closedir(handle) }
        var children: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { children.append(name) }
        }
        for name in children {
            let path = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(root + "/" + path, &info) == 0 else { continue }  // gone meanwhile
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                try walk(path, into: &out)
            case S_IFREG, S_IFLNK:
                let modified = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
                out.append(PruneEntry(name: path, size: Int(info.st_size), modified: modified))
            default:
                continue
            }
        }
    }

    public func read(_ name: String) async throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: display(name)))
    }

    /// Throws unless each directory on the way to `name` is a real directory below the root (a
    /// missing one is fine: `write` creates it). A symbolic link is never followed, so neither the
    /// journal nor a release record is ever written or deleted outside the root.
    func checkParents(_ name: String) throws {
        var path = root
        for component in name.split(separator: "/", omittingEmptySubsequences: false).dropLast() {
            guard !component.isEmpty, component != ".", component != ".." else { throw PruneError("\(display(name)): not a plain name") }
            path += "/" + component
            var info = stat()
            if lstat(path, &info) != 0 {
                if errno == ENOENT { return }
                throw PruneError("\(path): \(String(cString: strerror(errno)))")
            }
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw PruneError("\(path): not a directory (prune never follows a symbolic link out of \(root))")
            }
        }
    }

    public func write(_ name: String, _ data: Data) async throws {
        try checkParents(name)
        let path = display(name)
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = directory + "/.djstatic-tmp-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw PruneError("\(path): cannot write: \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw PruneError("\(path): cannot write: \(reason)")
        }
    }

    public func delete(_ names: [String]) async -> [PruneFailure] {
        var failures: [PruneFailure] = []
        for name in names {
            do {
                try checkParents(name)
            } catch {
                failures.append(PruneFailure(name: name, reason: "\(error)"))
                continue
            }
            if unlink(display(name)) != 0 && errno != ENOENT {
                failures.append(PruneFailure(name: name, reason: String(cString: strerror(errno))))
            }
        }
        return failures
    }

    /// Removes the directory holding `name` when nothing is left in it (a dropped release's
    /// directory once its manifest is gone); never the root itself.
    public func removeEmptyDirectory(of name: String) {
        let directory = PruneLayout.dirname(name)
        guard !directory.isEmpty else { return }
        rmdir(display(directory))  // fails harmlessly when not empty
    }
}

/// An S3 storage's keys under its location: one listing, DeleteObjects in batches of at most
/// 1,000 keys (each request retried by the client), every key that was not deleted named.
public struct S3PruneStore: PruneStore {
    public let client: S3Client
    /// "" for the whole bucket, else "location/".
    public let prefix: String

    public init(client: S3Client, prefix: String) {
        self.client = client
        self.prefix = prefix
    }

    public var displayLocation: String { "s3://\(client.configuration.bucket)/\(prefix)" }
    public var batchSize: Int { S3Client.deleteBatchLimit }
    public func display(_ name: String) -> String { prefix + name }

    public func list() async throws -> [PruneEntry] {
        try await client.listObjects(prefix: prefix).compactMap { object in
            guard PyString.startsWith(object.key, prefix), !PyString.endsWith(object.key, "/") else { return nil }
            return PruneEntry(name: PyString.dropping(prefix: prefix, from: object.key), size: object.size, modified: object.lastModified)
        }
    }

    public func read(_ name: String) async throws -> Data {
        try await client.getObject(key: prefix + name).body
    }

    public func write(_ name: String, _ data: Data) async throws {
        try await client.putObject(key: prefix + name, body: data, headers: [("Content-Type", "application/json")])
    }

    public func delete(_ names: [String]) async -> [PruneFailure] {
        var failures: [PruneFailure] = []
        var start = 0
        while start < names.count {
            let batch = Array(names[start..<min(start + S3Client.deleteBatchLimit, names.count)])
            start += batch.count
            do {
                for failure in try await client.deleteObjects(keys: batch.map { prefix + $0 }) {
                    let name = PyString.startsWith(failure.key, prefix) ? PyString.dropping(prefix: prefix, from: failure.key) : failure.key
                    failures.append(PruneFailure(name: name, reason: "\(failure.code): \(failure.message)"))
                }
            } catch {
                failures += batch.map { PruneFailure(name: $0, reason: "\(error)") }
            }
        }
        return failures
    }
}

public struct PruneError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
