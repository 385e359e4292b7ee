import PythonStdlib
import DJSettings
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file a finder provided: where it goes (`prefixedPath`) and where it comes from.
public struct FoundFile: Sendable {
    public init(prefixedPath: String, sourcePath: String, source: LocalStorage) {
        self.prefixedPath = prefixedPath
        self.sourcePath = sourcePath
        self.source = source
    }

    public var prefixedPath: String
    public var sourcePath: String
    public var source: LocalStorage
}

/// Django's staticfiles finders over a `CollectDescription`: `list()` (collectstatic's walk) and
/// `find()` (findstatic).
public struct StaticFinders: Sendable {
    public var description: CollectDescription

    public init(_ description: CollectDescription) {
        self.description = description
    }

    /// The ignore patterns collectstatic uses: `-i` patterns plus the staticfiles app's defaults,
    /// each through `os.path.normpath`, de-duplicated (any match ignores).
    public func ignorePatterns(extra: [String], useDefaults: Bool) -> [String] {
        var seen = Set<PyStrKey>()
        return (extra + (useDefaults ? description.defaultIgnorePatterns : []))
            .map(PyPath.normpath).filter { seen.insert(PyStrKey($0)).inserted }
    }

    /// Every `finder.list(ignore_patterns)` result in order, duplicates included (the caller keeps
    /// the first of each destination). Directories are listed when the walk reaches them, so a
    /// caller that writes while walking sees what Django would.
    public func walk(ignoring patterns: [String], _ body: (FoundFile) throws(CollectError) -> Void) throws(CollectError) {
        for finder in description.finders {
            for root in finder.roots {
                let source = LocalStorage(location: root.location, prefix: root.prefix)
                guard try Self.isListed(finder.kind, source) else { continue }
                try Self.walk(source, patterns, location: "") { path throws(CollectError) in
                    let prefixed = source.prefix.isEmpty ? path : PyPath.join(source.prefix, path)
                    try body(FoundFile(prefixedPath: prefixed, sourcePath: path, source: source))
                }
            }
        }
    }

    /// FileSystemFinder skips roots that are not directories; AppDirectoriesFinder roots that do
    /// not exist; DefaultStorageFinder walks its storage unconditionally.
    package static func isListed(_ kind: CollectDescription.Finder.Kind, _ source: LocalStorage) throws(CollectError) -> Bool {
        switch kind {
        case .filesystem: return LocalStorage.isDirectory(source.location)
        case .appDirectories: return try source.exists("")
        case .defaultStorage: return true
        }
    }

    /// `utils.get_files`: files first (basename, then full relative path, against the patterns),
    /// then sub-directories (basename only).
    package static func walk(_ storage: LocalStorage, _ patterns: [String], location: String,
                     _ body: (String) throws(CollectError) -> Void) throws(CollectError) {
        let (directories, files) = try storage.listdir(location)
        for name in files {
            if PyFnmatch.matchesPatterns(name, patterns) { continue }
            var path = name
            if !location.isEmpty {
                path = PyPath.join(location, name)
                if PyFnmatch.matchesPatterns(path, patterns) { continue }
            }
            try body(path)
        }
        for name in directories where !PyFnmatch.matchesPatterns(name, patterns) {
            try walk(storage, patterns, location: location.isEmpty ? name : PyPath.join(location, name), body)
        }
    }

    /// `finders.find(path, find_all)`: absolute matches (first only unless `all`) and the
    /// locations searched, as findstatic reports them.
    public func find(_ path: String, all: Bool) -> (matches: [String], searched: [String]) {
        var matches: [String] = []
        var searched: [String] = []
        for finder in description.finders {
            for root in finder.roots {
                if !searched.contains(root.searched) { searched.append(root.searched) }
                var relative = path
                if finder.kind == .filesystem && !root.findPrefix.isEmpty {
                    let prefix = root.findPrefix + "/"
                    guard path.hasPrefix(prefix) else { continue }
                    relative = String(path.dropFirst(prefix.count))
                }
                let storage = LocalStorage(location: root.location)
                guard let full = try? storage.path(relative) else { continue }
                var info = stat()
                let found = finder.kind == .filesystem ? stat(full, &info) == 0 : lstat(full, &info) == 0
                if found {
                    matches.append(full)
                    if !all { return (matches, searched) }
                }
            }
        }
        return (matches, searched)
    }
}

extension CollectDescription {
    /// The staticfiles storage collect writes to.
    public func requireStorage() throws(CollectError) -> Storage {
        guard let storage else { throw CollectError("RuntimeError", "the staticfiles storage was not described") }
        return storage
    }
}
