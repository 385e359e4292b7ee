import PythonStdlib
import DJSettings
import DJStaticFiles
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

/// One result of post-processing, as Django's `post_process` generator yields it.
public enum PostProcessResult: Sendable {
    case processed(original: String, hashed: String)
    case skipped(original: String)
    case failed(original: String, error: CollectError)

    public var original: String {
        switch self {
        case .processed(let original, _), .skipped(let original), .failed(let original, _): original
        }
    }
}

/// A storage's `post_process(found_files, dry_run)`.
public protocol PostProcessor {
    mutating func postProcess(_ files: [FoundFile], dryRun: Bool,
                              yield: (PostProcessResult) throws(CollectError) -> Void) throws(CollectError)
}

/// How far a run has got, for a progress display.
public enum CollectProgress: Sendable, Equatable {
    /// Files found by the finders so far (the walk's total is not known in advance).
    case collecting(found: Int)
    /// Distinct files post-processed so far, of `total`.
    case postProcessing(done: Int, total: Int)
}

/// Where collectstatic's console output goes.
public struct CollectConsole {
    /// `self.stdout.write(msg)`: the text plus "\n".
    public var out: (String) -> Void
    /// `self.stderr.write(msg)`.
    public var err: (String) -> Void
    /// `input(prompt)`; nil at end of input.
    public var ask: (String) -> String?
    /// Progress, reported after every file (the receiver throttles).
    public var progress: ((CollectProgress) -> Void)?

    public init(out: @escaping (String) -> Void, err: @escaping (String) -> Void, ask: @escaping (String) -> String?,
                progress: ((CollectProgress) -> Void)? = nil) {
        self.out = out
        self.err = err
        self.ask = ask
        self.progress = progress
    }
}

/// What a run did: the counts behind collectstatic's summary line.
public struct CollectSummary: Sendable, Equatable, Codable {
    public var destination: String
    public var dryRun: Bool
    public var link: Bool
    /// Files copied (or symlinked with `link`).
    public var modified: Int
    public var unmodified: Int
    public var postProcessed: Int
    /// Files deleted by `--clear`.
    public var deleted: Int
    /// Later files with an already collected destination path (in the summary line from Django 6.0).
    public var skipped: Int

    /// collectstatic's summary line for `version` (printed at verbosity >= 1).
    public func line(for version: DjangoVersion) -> String {
        let sixOrLater = version >= DjangoVersion(6, 0)
        var summary = "\n"
        if sixOrLater && deleted > 0 {
            summary += "\(deleted) static file\(deleted == 1 ? "" : "s") deleted, "
        }
        summary += "\(modified) static file\(modified == 1 ? "" : "s") \(link ? "symlinked" : "copied")"
        if !destination.isEmpty { summary += " to '\(destination)'" }
        if unmodified > 0 { summary += ", \(unmodified) unmodified" }
        if postProcessed > 0 { summary += ", \(postProcessed) post-processed" }
        if sixOrLater && skipped > 0 { summary += ", \(skipped) skipped due to conflict" }
        return summary + "."
    }
}

/// `collectstatic`'s `handle()` and `collect()`, for Django 4.2 to 6.1.
public struct Collector {
    public var description: CollectDescription
    public var options: CollectOptions
    public var version: DjangoVersion
    public var console: CollectConsole
    public var target: LocalStorage
    /// What the prompt and the summary call the destination: the target's location, or "" for a
    /// remote storage (which collect stages locally before uploading).
    public var displayedDestination: String

    private var copied = OrderedPathSet()
    private var symlinked = OrderedPathSet()
    private var unmodified = OrderedPathSet()
    /// Every file post-processing reported processed, with its hashed name (Django's
    /// `post_processed_files`: a file processed again in a later pass appears again).
    private(set) var postProcessed: [(original: String, hashed: String)] = []
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
        self.displayedDestination = location
    }

    private var sixOrLater: Bool { version >= DjangoVersion(6, 0) }

    /// The names copied (or linked) by the last run, as stored (after `get_available_name`).
    public var copiedNames: [String] {
        (copied.items + symlinked.items).map { PyString.replace($0, "\\", with: "/") }
    }

    private func log(_ message: String, level: Int = 2) {
        if options.verbosity >= level { console.out(message) }
    }

    /// Runs the command; returns what it did.
    public mutating func handle(postProcessor: (any PostProcessor)?) throws(CollectError) -> CollectSummary {
        var message = "\n"
        if options.dryRun {
            message += "You have activated the --dry-run option so no files will be modified.\n\n"
        }
        message += "You have requested to collect static files at the destination\nlocation as specified in your settings"
        let destination = displayedDestination
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
        return CollectSummary(destination: destination, dryRun: options.dryRun, link: options.link,
                              modified: copied.count + symlinked.count, unmodified: unmodified.count,
                              postProcessed: postProcessed.count, deleted: deleted.count,
                              skipped: skipped.count)
    }

    mutating func collect(postProcessor: (any PostProcessor)?) throws(CollectError) {
        if !options.dryRun && !target.location.isEmpty {
            // What a killed run was writing: never under a final name, removed before anything else.
            SafeIO.removeAbandonedPartials(under: PyPath.abspath(target.location, cwd: "/"))
        }
        if options.clear { try clearDirectory("") }
        let finders = StaticFinders(description)
        let patterns = finders.ignorePatterns(extra: options.ignorePatterns, useDefaults: options.useDefaultIgnorePatterns)
        let targetRoot = target.location + "/"
        deferCopies = !target.location.isEmpty && !description.finders.contains { finder in
            finder.roots.contains { targetRoot.hasPrefix($0.location + "/") || $0.location.hasPrefix(targetRoot) }
        }
        var found: [FoundFile] = []
        var foundKeys = Set<PyStrKey>()
        try finders.walk(ignoring: patterns) { file throws(CollectError) in
            if foundKeys.insert(PyStrKey(file.prefixedPath)).inserted {
                found.append(file)
                console.progress?(.collecting(found: found.count))
                if options.link { try linkFile(file) } else { try copyFile(file) }
            } else {
                skipped.append(file.prefixedPath)
                log("Found another file with the destination path '\(file.prefixedPath)'. It will be ignored since only "
                    + "the first encountered file is collected. If this is not what you want, make sure every "
                    + "static file has a unique path.", level: sixOrLater ? 2 : 1)
            }
        }
        try writePendingCopies()
        guard options.postProcess, var processor = postProcessor else { return }
        var reported = Set<PyStrKey>()
        try processor.postProcess(found, dryRun: options.dryRun) { result throws(CollectError) in
            if let progress = console.progress, reported.insert(PyStrKey(result.original)).inserted {
                progress(.postProcessing(done: reported.count, total: found.count))
            }
            switch result {
            case .failed(let original, let error):
                console.err("Post-processing '\(original)' failed!")
                console.err("")
                // 6.1 re-raises yielded exceptions as CommandError (notes included in the message).
                throw version >= DjangoVersion(6, 1) ? CollectError("CommandError", ([error.message] + error.notes).joined(separator: "\n")) : error
            case .processed(let original, let hashed):
                log("Post-processed '\(original)' as '\(hashed)'")
                postProcessed.append((original, hashed))
            case .skipped(let original):
                log("Skipped post-processing '\(original)'")
            }
        }
    }

    private mutating func clearDirectory(_ path: String) throws(CollectError) {
        guard try target.exists(path) else { return }
        let (directories, files) = try target.listdir(path)
        for name in directories where try target.isSymlink(PyPath.join(path, name)) {
            // Django follows it and deletes the files of the directory it points to, wherever that
            // is; djstatic never deletes outside the destination.
            log("Not following '\(PyPath.join(path, name))': a symbolic link to a directory is left as it is",
                level: sixOrLater ? 2 : 1)
        }
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
        for name in directories where !(try target.isSymlink(PyPath.join(path, name))) {
            try clearDirectory(PyPath.join(path, name))
        }
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
            // A file or link is replaced by the rename that puts the new copy in place: until
            // then the old one stays, and a failed copy never leaves the name empty (the old
            // file's older mtime makes the next run copy it again).
            if try target.isRealDirectory(file.prefixedPath) {
                try target.delete(file.prefixedPath)
            }
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
            // `Storage.save` stores under `get_available_name(name)`, which turns backslashes
            // into slashes (a copy of `a\b.png` is `a/b.png`).
            let stored = PyString.replace(file.prefixedPath, "\\", with: "/")
            if deferCopies {
                pendingCopies.append((sourcePath, stored))
            } else {
                try target.save(stored, copying: sourcePath)
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
            if lstat(full, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR && unlink(full) != 0 {
                throw CollectError("CommandError", CollectError.os("unlink", full).message)
            }
            // The link is made under a temporary name and renamed over the old one.
            let partial = SafeIO.partialName(for: full)
            if PartialFiles.shared.create(partial, { symlink(sourcePath, partial) }) != 0 {
                let code = errno
                throw CollectError("CommandError", CollectError.os("symlink", full, errno: code).message)
            }
            if !PartialFiles.shared.commit(partial, as: full) {
                let code = errno
                unlink(partial)
                PartialFiles.shared.end(partial)
                throw CollectError("CommandError", CollectError.os("symlink", full, errno: code).message)
            }
        }
        symlinked.insert(file.prefixedPath)
    }

    /// Writes the queued copies on every core; the first failure (in discovery order) is thrown.
    private mutating func writePendingCopies() throws(CollectError) {
        let jobs = pendingCopies
        pendingCopies = []
        guard !jobs.isEmpty else { return }
        let failures = ResultSlots<Void, CollectError>(count: jobs.count)
        let target = self.target
        // Parent directories first, sequentially: concurrent makedirs of one tree would race.
        var made = Set<PyStrKey>()
        for job in jobs {
            let parent = PyPath.dirname(try target.path(job.name))
            if made.insert(PyStrKey(parent)).inserted { try target.makeDirectories(parent) }
        }
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            failures.set(index, Result { () throws(CollectError) in try target.save(jobs[index].name, copying: jobs[index].source) })
        }
        if let failure = failures.firstError { throw failure }
    }

    /// `validate_file_name(name, allow_relative_path=True)`.
    static func validateName(_ name: String) throws(CollectError) {
        let base = PyPath.basename(name)
        if base.isEmpty || base == "." || base == ".." {
            throw CollectError("SuspiciousFileOperation", "Could not derive file name from '\(name)'")
        }
        let posix = PyString.replace(name, "\\", with: "/")
        if posix.hasPrefix("/") || posix.split(separator: "/").contains("..") {
            throw CollectError("SuspiciousFileOperation", "Detected path traversal attempt in '\(name)'")
        }
    }
}

/// Results of concurrent jobs, by job index.
public final class ResultSlots<Value, Failure: Error>: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<Value, Failure>?]
    public init(count: Int) { results = Array(repeating: nil, count: count) }
    public func set(_ index: Int, _ result: Result<Value, Failure>) { lock.withLock { results[index] = result } }
    /// One job's result, if it ran.
    public func result(_ index: Int) -> Result<Value, Failure>? { lock.withLock { results[index] } }
    /// The first failure in job order.
    public var firstError: Failure? {
        lock.withLock {
            for case .failure(let error)? in results { return error }
            return nil
        }
    }
    /// Every value, in job order, or nil if a job failed.
    public var successes: [Value]? {
        lock.withLock {
            var values: [Value] = []
            for case .success(let value)? in results { values.append(value) }
            return values.count == results.count ? values : nil
        }
    }
}

/// Insertion-ordered set of paths compared by code points (Python `str` semantics, not Swift's
/// canonical equivalence).
struct OrderedPathSet {
    private var keys = Set<PyStrKey>()
    private(set) var items: [String] = []
    var count: Int { items.count }
    func contains(_ path: String) -> Bool { keys.contains(PyStrKey(path)) }
    mutating func insert(_ path: String) {
        if keys.insert(PyStrKey(path)).inserted { items.append(path) }
    }
}
