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
    private var skipped: [String] = []
    private var deleted: [String] = []

    public init(description: CollectDescription, options: CollectOptions, version: DjangoVersion, console: CollectConsole)
        throws(CollectError) {
        guard let location = description.storage.location, !location.isEmpty else {
            throw CollectError("ImproperlyConfigured",
                               "You're using the staticfiles app without having set the STATIC_ROOT setting to a filesystem path.")
        }
        self.description = description
        self.options = options
        self.version = version
        self.console = console
        self.target = LocalStorage(location: location, filePermissions: description.storage.filePermissions,
                                   directoryPermissions: description.storage.directoryPermissions)
    }

    private var sixOrLater: Bool { version >= DjangoVersion(6, 0) }

    private func log(_ message: String, level: Int = 2) {
        if options.verbosity >= level { console.out(message) }
    }

    /// The ignore patterns collectstatic uses: `-i` patterns plus the staticfiles app's defaults,
    /// each through `os.path.normpath`, de-duplicated (order is irrelevant: any match ignores).
    var ignorePatterns: [String] {
        var patterns = options.ignorePatterns
        if options.useDefaultIgnorePatterns { patterns += description.defaultIgnorePatterns }
        var seen = Set<[UInt8]>()
        return patterns.map(PyPath.normpath).filter { seen.insert(Array($0.utf8)).inserted }
    }

    /// Runs the command; returns the summary (nil at verbosity 0).
    public mutating func handle(postProcessor: (any PostProcessor)?) throws(CollectError) -> String? {
        var message = "\n"
        if options.dryRun {
            message += "You have activated the --dry-run option so no files will be modified.\n\n"
        }
        message += "You have requested to collect static files at the destination\nlocation as specified in your settings"
        let destination = target.location
        message += ":\n\n    \(destination)\n\n"
        let listing = try? LocalStorage.scandir(destination)
        let shouldWarn = listing.map { !$0.directories.isEmpty || !$0.files.isEmpty } ?? false
        if options.interactive && shouldWarn {
            message += options.clear ? "This will DELETE ALL FILES in this location!\n" : "This will overwrite existing files!\n"
            message += "Are you sure you want to do this?\n\nType 'yes' to continue, or 'no' to cancel: "
            if console.ask(message) != "yes" {
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
        summary += " to '\(destination)'"
        if unmodified.count > 0 { summary += ", \(unmodified.count) unmodified" }
        if !postProcessed.isEmpty { summary += ", \(postProcessed.count) post-processed" }
        if sixOrLater && !skipped.isEmpty { summary += ", \(skipped.count) skipped due to conflict" }
        return summary + "."
    }

    mutating func collect(postProcessor: (any PostProcessor)?) throws(CollectError) {
        if options.clear { try clearDirectory("") }
        let patterns = ignorePatterns
        var found: [FoundFile] = []
        var foundKeys = Set<[UInt8]>()
        for finder in description.finders {
            for root in finder.roots {
                let source = LocalStorage(location: root.location, prefix: root.prefix)
                guard try rootIsListed(finder.kind, source) else { continue }
                try walk(source, patterns, location: "") { path throws(CollectError) in
                    let prefixed = source.prefix.isEmpty ? path : PyPath.join(source.prefix, path)
                    if foundKeys.insert(Array(prefixed.utf8)).inserted {
                        let file = FoundFile(prefixedPath: prefixed, sourcePath: path, source: source)
                        found.append(file)
                        if options.link { try linkFile(file) } else { try copyFile(file) }
                    } else {
                        if sixOrLater { skipped.append(prefixed) }
                        log("Found another file with the destination path '\(prefixed)'. It will be ignored since only "
                            + "the first encountered file is collected. If this is not what you want, make sure every "
                            + "static file has a unique path.", level: sixOrLater ? 2 : 1)
                    }
                }
            }
        }
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

    /// FileSystemFinder skips roots that are not directories; AppDirectoriesFinder roots that do
    /// not exist; DefaultStorageFinder walks its storage unconditionally.
    private func rootIsListed(_ kind: CollectDescription.Finder.Kind, _ source: LocalStorage) throws(CollectError) -> Bool {
        switch kind {
        case .filesystem: return LocalStorage.isDirectory(source.location)
        case .appDirectories: return try source.exists("")
        case .defaultStorage: return true
        }
    }

    /// `utils.get_files`: files first (basename, then full relative path, against the patterns),
    /// then sub-directories (basename only), each directory listed when the walk reaches it.
    private func walk(_ storage: LocalStorage, _ patterns: [String], location: String,
                      _ body: (String) throws(CollectError) -> Void) throws(CollectError) {
        let (directories, files) = try storage.listdir(location)
        for name in files {
            if matches(name, patterns) { continue }
            var path = name
            if !location.isEmpty {
                path = PyPath.join(location, name)
                if matches(path, patterns) { continue }
            }
            try body(path)
        }
        for name in directories {
            if matches(name, patterns) { continue }
            try walk(storage, patterns, location: location.isEmpty ? name : PyPath.join(location, name), body)
        }
    }

    private func matches(_ path: String, _ patterns: [String]) -> Bool {
        patterns.contains { PyFnmatch.fnmatchcase(path, $0) }
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
            try target.save(file.prefixedPath, copying: sourcePath)
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
