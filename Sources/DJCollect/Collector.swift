import DJSettings
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `manage.py collectstatic` options.
public struct CollectOptions: Sendable {
    public var interactive = true
    public var postProcess = true
    public var ignorePatterns: [String] = []
    public var dryRun = false
    public var clear = false
    public var link = false
    public var useDefaultIgnorePatterns = true
    public var verbosity = 1
    public init() {}
}

/// A file a finder provided: where it goes (`prefixedPath`) and where it comes from.
public struct FoundFile: Sendable {
    public var prefixedPath: String
    public var sourcePath: String
    public var source: LocalStorage
}

/// One result of post-processing, as Django's `post_process` generator yields it.
public enum PostProcessResult: Sendable {
    case processed(original: String, hashed: String)
    case skipped(original: String)
    case failed(original: String, error: CollectError)
}

/// A storage's `post_process(found_files, dry_run)`.
public protocol PostProcessor {
    mutating func postProcess(_ files: [FoundFile], dryRun: Bool,
                              yield: (PostProcessResult) throws(CollectError) -> Void) throws(CollectError)
}

/// Where collectstatic's console output goes.
public struct CollectConsole {
    /// `self.stdout.write(msg)`: the text plus "\n".
    public var out: (String) -> Void
    /// `self.stderr.write(msg)`.
    public var err: (String) -> Void
    /// `input(prompt)`; nil at end of input.
    public var ask: (String) -> String?

    public init(out: @escaping (String) -> Void, err: @escaping (String) -> Void, ask: @escaping (String) -> String?) {
        self.out = out
        self.err = err
        self.ask = ask
    }
}

/// `collectstatic`'s `handle()` and `collect()`, for Django 4.2 to 6.1.
public struct Collector {
    public var description: CollectDescription
    public var options: CollectOptions
    public var version: DjangoVersion
    public var console: CollectConsole
    public var target: LocalStorage

    private var copied = OrderedPathSet()
    private var symlinked = OrderedPathSet()
    private var unmodified = OrderedPathSet()
    private var postProcessed: [String] = []
    /// Copies decided during the walk, written on all cores once the walk is done (unless the
    /// target lies inside a source root, where Django's walk would see its own output).
    private var pendingCopies: [(source: String, name: String)] = []
    private var deferCopies = false
    private var skipped: [String] = []
    private var deleted: [String] = []

    public init(description: CollectDescription, options: CollectOptions, version: DjangoVersion, console: CollectConsole)
        throws(CollectError) {
        let storage = try description.requireStorage()
        let location = storage.location ?? ""  // unset: Django prompts, then fails at the first path()
        self.description = description
        self.options = options
        self.version = version
        self.console = console
        self.target = LocalStorage(location: location, filePermissions: storage.filePermissions,
                                   directoryPermissions: storage.directoryPermissions)
    }

    private var sixOrLater: Bool { version >= DjangoVersion(6, 0) }

    private func log(_ message: String, level: Int = 2) {
        if options.verbosity >= level { console.out(message) }
    }

    /// Runs the command; returns the summary (nil at verbosity 0).
    public mutating func handle(postProcessor: (any PostProcessor)?) throws(CollectError) -> String? {
        var message = "\n"
        if options.dryRun {
            message += "You have activated the --dry-run option so no files will be modified.\n\n"
        }
        message += "You have requested to collect static files at the destination\nlocation as specified in your settings"
        let destination = target.location
        let shouldWarn: Bool
        if destination.isEmpty {
            message += ".\n\n"
            shouldWarn = true  // destination unknown: play it safe and warn
        } else {
            message += ":\n\n    \(destination)\n\n"
            let listing = try? LocalStorage.scandir(destination)
            shouldWarn = listing.map { !$0.directories.isEmpty || !$0.files.isEmpty } ?? false
        }
        if options.interactive && shouldWarn {
            message += options.clear ? "This will DELETE ALL FILES in this location!\n" : "This will overwrite existing files!\n"
            message += "Are you sure you want to do this?\n\nType 'yes' to continue, or 'no' to cancel: "
            guard let answer = console.ask(message) else { throw CollectError("EOFError", "EOF when reading a line") }
            if answer != "yes" {
                throw CollectError("CommandError", "Collecting static files cancelled.")
            }
        }
        try collect(postProcessor: postProcessor)
        guard options.verbosity >= 1 else { return nil }
        let modified = copied.count + symlinked.count
        var summary = "\n"
        if sixOrLater && !deleted.isEmpty {
            summary += "\(deleted.count) static file\(deleted.count == 1 ? "" : "s") deleted, "
        }
        summary += "\(modified) static file\(modified == 1 ? "" : "s") \(options.link ? "symlinked" : "copied")"
        if !destination.isEmpty { summary += " to '\(destination)'" }
        if unmodified.count > 0 { summary += ", \(unmodified.count) unmodified" }
        if !postProcessed.isEmpty { summary += ", \(postProcessed.count) post-processed" }
        if sixOrLater && !skipped.isEmpty { summary += ", \(skipped.count) skipped due to conflict" }
        return summary + "."
    }

    mutating func collect(postProcessor: (any PostProcessor)?) throws(CollectError) {
        if options.clear { try clearDirectory("") }
        let finders = StaticFinders(description)
        let patterns = finders.ignorePatterns(extra: options.ignorePatterns, useDefaults: options.useDefaultIgnorePatterns)
        let targetRoot = target.location + "/"
        deferCopies = !target.location.isEmpty && !description.finders.contains { finder in
            finder.roots.contains { targetRoot.hasPrefix($0.location + "/") || $0.location.hasPrefix(targetRoot) }
        }
        var found: [FoundFile] = []
        var foundKeys = Set<[UInt8]>()
        try finders.walk(ignoring: patterns) { file throws(CollectError) in
            if foundKeys.insert(Array(file.prefixedPath.utf8)).inserted {
                found.append(file)
                if options.link { try linkFile(file) } else { try copyFile(file) }
            } else {
                if sixOrLater { skipped.append(file.prefixedPath) }
                log("Found another file with the destination path '\(file.prefixedPath)'. It will be ignored since only "
                    + "the first encountered file is collected. If this is not what you want, make sure every "
                    + "static file has a unique path.", level: sixOrLater ? 2 : 1)
            }
        }
        try writePendingCopies()
        guard options.postProcess, var processor = postProcessor else { return }
        try processor.postProcess(found, dryRun: options.dryRun) { result throws(CollectError) in
            switch result {
            case .failed(let original, let error):
                console.err("Post-processing '\(original)' failed!")
                console.err("")
                // 6.1 re-raises yielded exceptions as CommandError (notes included in the message).
                throw version >= DjangoVersion(6, 1) ? CollectError("CommandError", error.message) : error
            case .processed(let original, let hashed):
                log("Post-processed '\(original)' as '\(hashed)'")
                postProcessed.append(original)
            case .skipped(let original):
                log("Skipped post-processing '\(original)'")
            }
        }
    }

    private mutating func clearDirectory(_ path: String) throws(CollectError) {
        guard try target.exists(path) else { return }
        let (directories, files) = try target.listdir(path)
        for name in files {
            let file = PyPath.join(path, name)
            deleted.append(file)
            if options.dryRun {
                log("Pretending to delete '\(file)'", level: sixOrLater ? 2 : 1)
            } else {
                log("Deleting '\(file)'", level: sixOrLater ? 2 : 1)
                try target.delete(file)  // dangling symlinks are unlinked like any other file
            }
        }
        for name in directories { try clearDirectory(PyPath.join(path, name)) }
    }

    /// `delete_file`: whether the target must be (re)written; deletes the old one if so.
    private mutating func replaceTarget(_ file: FoundFile) throws(CollectError) -> Bool {
        guard try target.exists(file.prefixedPath) else { return true }
        if let targetSecond = try? target.modifiedSecond(file.prefixedPath),
           let sourceSecond = try? file.source.modifiedSecond(file.sourcePath) {
            let canSkip = !(options.link != (try target.isSymlink(file.prefixedPath)))
            if targetSecond >= sourceSecond && canSkip {
                unmodified.insert(file.prefixedPath)
                log("Skipping '\(file.sourcePath)' (not modified)")
                return false
            }
        }
        if options.dryRun {
            log("Pretending to delete '\(file.sourcePath)'")
        } else {
            log("Deleting '\(file.sourcePath)'")
            try target.delete(file.prefixedPath)
        }
        return true
    }

    private mutating func copyFile(_ file: FoundFile) throws(CollectError) {
        if copied.contains(file.prefixedPath) { return log("Skipping '\(file.sourcePath)' (already copied earlier)") }
        guard try replaceTarget(file) else { return }
        let sourcePath = try file.source.path(file.sourcePath)
        if options.dryRun {
            log("Pretending to copy '\(sourcePath)'", level: 1)
        } else {
            log("Copying '\(sourcePath)'")
            try Self.validateName(file.prefixedPath)
            if deferCopies {
                pendingCopies.append((sourcePath, file.prefixedPath))
            } else {
                try target.save(file.prefixedPath, copying: sourcePath)
            }
        }
        copied.insert(file.prefixedPath)
    }

    private mutating func linkFile(_ file: FoundFile) throws(CollectError) {
        if symlinked.contains(file.prefixedPath) { return log("Skipping '\(file.sourcePath)' (already linked earlier)") }
        guard try replaceTarget(file) else { return }
        let sourcePath = try file.source.path(file.sourcePath)
        if options.dryRun {
            log("Pretending to link '\(sourcePath)'", level: 1)
        } else {
            log("Linking '\(sourcePath)'")
            let full = try target.path(file.prefixedPath)
            try LocalStorage(location: target.location).makeDirectories(PyPath.dirname(full))
            var info = stat()
            if lstat(full, &info) == 0 && unlink(full) != 0 {
                throw CollectError("CommandError", CollectError.os("unlink", full).message)
            }
            if symlink(sourcePath, full) != 0 {
                throw CollectError("CommandError", CollectError.os("symlink", full).message)
            }
        }
        symlinked.insert(file.prefixedPath)
    }

    /// Writes the queued copies on every core; the first failure (in discovery order) is thrown.
    private mutating func writePendingCopies() throws(CollectError) {
        let jobs = pendingCopies
        pendingCopies = []
        guard !jobs.isEmpty else { return }
        let failures = FailureSlots()
        let target = self.target
        // Parent directories first, sequentially: concurrent makedirs of one tree would race.
        var made = Set<String>()
        for job in jobs {
            let parent = PyPath.dirname(try target.path(job.name))
            if made.insert(parent).inserted { try target.makeDirectories(parent) }
        }
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let result = Result { () throws(CollectError) in try target.save(jobs[index].name, copying: jobs[index].source) }
            if case .failure(let error) = result { failures.set(index, error) }
        }
        if let failure = failures.first { throw failure }
    }

    /// `validate_file_name(name, allow_relative_path=True)`.
    static func validateName(_ name: String) throws(CollectError) {
        let base = PyPath.basename(name)
        if base.isEmpty || base == "." || base == ".." {
            throw CollectError("SuspiciousFileOperation", "Could not derive file name from '\(name)'")
        }
        let posix = name.replacingOccurrences(of: "\\", with: "/")
        if posix.hasPrefix("/") || posix.split(separator: "/").contains("..") {
            throw CollectError("SuspiciousFileOperation", "Detected path traversal attempt in '\(name)'")
        }
    }
}

/// Per-job failures from concurrent copies.
final class FailureSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Int: CollectError] = [:]
    func set(_ index: Int, _ error: CollectError) { lock.withLock { errors[index] = error } }
    var first: CollectError? { lock.withLock { errors.keys.min().flatMap { errors[$0] } } }
}

/// Insertion-ordered set of paths compared by code points (Python `str` semantics, not Swift's
/// canonical equivalence).
struct OrderedPathSet {
    private var keys = Set<[UInt8]>()
    private(set) var items: [String] = []
    var count: Int { items.count }
    func contains(_ path: String) -> Bool { keys.contains(Array(path.utf8)) }
    mutating func insert(_ path: String) {
        if keys.insert(Array(path.utf8)).inserted { items.append(path) }
    }
}

extension LocalStorage {
    /// `os.path.isdir` (follows symlinks).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
