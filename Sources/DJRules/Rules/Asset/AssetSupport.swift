import DJSettings
import Dispatch
import DJStaticFiles
import PythonStdlib

/// One walk of every static root and one scan of every file the storage's patterns apply to,
/// shared by the ASSET rules: what collectstatic's post-processing would resolve, with Django's
/// own grammar (the storage's live patterns, the version's skip rules, the same resolution as
/// `ManifestPostProcessor`), against the files the finders provide after the default ignore
/// patterns (first of each destination path, as collectstatic keeps it).
struct AssetScan {
    /// A reference post-processing cannot resolve.
    struct Problem {
        enum Kind {
            /// ASSET001: a CSS/JS reference names a file no finder provides.
            case missing
            /// ASSET002: a template's literal `{% static %}` path names a file no finder provides.
            case template
            /// ASSET003: climbs above the root it resolves against, or collectstatic refuses it.
            case refused
        }
        var kind: Kind
        var message: String
        var location: SourceLocation
        /// Error where the deploy breaks (collectstatic fails, rendering raises), warning for a 404.
        var severity: Severity
    }

    /// The audit could not run (collect description or walk failed): the reason.
    var unavailable: String?
    var audit: AssetAudit?
    var problems: [Problem] = []
    /// Destination paths of the collected files (what STATIC_ROOT holds after collectstatic).
    var collected = Set<String>()
    var directories = Set<String>()

    static func of(_ context: RuleContext) -> AssetScan? {
        guard let snapshot = context.snapshot, let collect = snapshot.collect else { return nil }
        return context.shared.value { () -> AssetScan in
            var scan = AssetScan()
            switch collect {
            case .failure(let failure):
                scan.unavailable = failure.message
            case .success(let description):
                switch description.audit {
                case .failure(let failure): scan.unavailable = failure.message
                case .success(let audit): scan.run(description, audit, context.djangoVersion, snapshot.pythonVersion)
                case nil: scan.unavailable = "the evaluation did not describe the templates and the storage's patterns"
                }
            }
            return scan
        }
    }

    /// Where post-processing looks for a name, relative to the storage root (`safe_join`), or
    /// nil when it is outside it.
    static func storedPath(_ name: String) -> String? {
        let root = "/djstatic-root"
        let full = PyPath.abspath(PyPath.join(root, name), cwd: "/")
        if full == root { return "" }
        return full.hasPrefix(root + "/") ? String(full.dropFirst(root.count + 1)) : nil
    }

    func provides(_ stored: String) -> Bool {
        stored.isEmpty || collected.contains(stored) || directories.contains(stored)
    }

    private mutating func run(_ description: CollectDescription, _ audit: AssetAudit, _ version: DjangoVersion,
                              _ pythonVersion: String) {
        self.audit = audit
        let finders = StaticFinders(description)
        var files: [FoundFile] = []
        do throws(CollectError) {
            try finders.walk(ignoring: finders.ignorePatterns(extra: [], useDefaults: true)) { file in
                guard !collected.contains(file.prefixedPath) else { return }
                collected.insert(file.prefixedPath)
                files.append(file)
                var directory = PyPath.dirname(file.prefixedPath)
                while !directory.isEmpty && directories.insert(directory).inserted {
                    directory = PyPath.dirname(directory)
                }
            }
        } catch {
            unavailable = "walking the static files failed: \(error)"
            return
        }
        let grammar: ReferenceGrammar
        do throws(CollectError) {
            grammar = try ReferenceGrammar(patterns: audit.patterns, version: version,
                                           staticURL: description.staticURL ?? "", pythonVersion: pythonVersion)
        } catch {
            unavailable = error.message
            return
        }
        // Each file on its own core: its problems depend only on it and the walk's result.
        let scanner = self, collectedFiles = files, rewrites = audit.rewrites
        let results = UnsafeMutableBufferPointer<[Problem]>.allocate(capacity: files.count)
        results.initialize(repeating: [])
        defer { results.deinitialize().deallocate() }
        nonisolated(unsafe) let slots = results  // each index written by one worker only
        DispatchQueue.concurrentPerform(iterations: collectedFiles.count) { index in
            let file = collectedFiles[index]
            var found: [Problem] = []
            if grammar.isAdjustable(file.prefixedPath) {
                scanner.scan(file, grammar, rewrites: rewrites, into: &found)
            } else if let error = file.unreadable {  // collectstatic's copy fails on it
                found.append(Problem(kind: .refused, message: "\(file.prefixedPath) cannot be read (\(error)): collectstatic fails on it",
                                     location: SourceLocation(file: file.source.location + "/" + file.sourcePath, line: 1, column: 1),
                                     severity: .error))
            }
            slots[index] = found
        }
        problems += results.joined()
        for reference in audit.templates {
            check(reference, audit, grammar)
        }
    }

    /// What `{% static path %}` does with a literal path: `staticfiles_storage.url(path)`. A
    /// manifest storage looks the path up in the manifest (strict: the exact key, else a missing
    /// file) and raises ValueError; other storages give a URL the browser gets a 404 for.
    private mutating func check(_ reference: AssetAudit.TemplateReference, _ audit: AssetAudit, _ grammar: ReferenceGrammar) {
        let at = SourceLocation(file: reference.file, line: reference.line, column: reference.column)
        let tag = reference.engine == "jinja2" ? "static(\(SettingValue.quote(reference.path)))" : "{% static \(SettingValue.quote(reference.path)) %}"
        do throws(CollectError) {
            let (clean, _) = try grammar.urldefrag(reference.path)
            if try grammar.urlsplit(clean).path.hasSuffix("/") { return }
            let key = try grammar.storedPath(clean).clean
            if audit.manifestStrict == true {
                if !collected.contains(key) {
                    problems.append(Problem(kind: .template, message: "\(tag): no finder provides '\(key)': rendering raises "
                                            + "ValueError: Missing staticfiles manifest entry for '\(key)'", location: at, severity: .error))
                }
                return
            }
            guard let stored = Self.storedPath(key), provides(stored) else {
                problems.append(Problem(
                    kind: .template,
                    message: audit.manifestStrict == nil
                        ? "\(tag): no finder provides '\(PyPath.normpath(key))': the browser gets a 404"
                        : "\(tag): no finder provides '\(PyPath.normpath(key))': rendering raises ValueError (the file could not be found)",
                    location: at, severity: audit.manifestStrict == nil ? .warning : .error))
                return
            }
        } catch {
            problems.append(Problem(kind: .template, message: "\(tag): rendering raises \(error)", location: at, severity: .error))
        }
    }

    private func scan(_ file: FoundFile, _ grammar: ReferenceGrammar, rewrites: Bool, into problems: inout [Problem]) {
        let path = (try? file.source.path(file.sourcePath)) ?? file.source.location + "/" + file.sourcePath
        let whole = SourceLocation(file: path, line: 1, column: 1)
        let bytes: [UInt8]
        do throws(CollectError) {
            bytes = try file.source.read(file.sourcePath)
        } catch {
            problems.append(Problem(kind: .refused, message: "\(file.prefixedPath) cannot be read (\(error)): collectstatic fails on it",
                                    location: whole, severity: .error))
            return
        }
        guard let content = UTF8Encoding.scalars(bytes) else {
            if rewrites {
                problems.append(Problem(
                    kind: .refused,
                    message: "\(file.prefixedPath) is not UTF-8 (\(ReferenceGrammar.decodeError(bytes))): collectstatic's post-processing fails on it",
                    location: whole, severity: .error))
            }
            return
        }
        let lines = LineIndex(content)
        for group in grammar.groups(for: file.sourcePath) {
            for pattern in group.patterns {
                let blocks = grammar.ignoredBlocks(pattern, in: content)
                for match in pattern.regex.matches(content) {
                    let at = lines.location(of: match.range("url")?.lowerBound ?? match.range.lowerBound, in: path)
                    check(match, file.prefixedPath, blocks, grammar, at, rewrites ? .error : .warning, into: &problems)
                }
            }
        }
    }

    private func check(_ match: PyMatch, _ name: String, _ blocks: [Range<Int>], _ grammar: ReferenceGrammar,
                       _ at: SourceLocation, _ severity: Severity, into problems: inout [Problem]) {
        let written = match.string("url") ?? ""
        do throws(CollectError) {
            guard let reference = try grammar.reference(match, name: name, blocks: blocks),
                  let lookup = try grammar.lookupName(reference.targetName) else { return }
            guard let stored = Self.storedPath(lookup) else {
                problems.append(Problem(
                    kind: .refused,
                    message: "'\(written)' in \(name) resolves to '\(PyPath.normpath(lookup))', above the static root: collectstatic raises SuspiciousFileOperation",
                    location: at, severity: severity))
                return
            }
            if !provides(stored) {
                problems.append(Problem(kind: .missing, message: "'\(written)' in \(name) names '\(stored)', which no finder provides",
                                        location: at, severity: severity))
            }
        } catch {
            problems.append(Problem(kind: .refused, message: "'\(written)' in \(name): collectstatic raises \(error)", location: at, severity: severity))
        }
    }
}

extension FoundFile {
    /// Why the file cannot be opened (a dangling link, a symlink loop), as Python's OSError says it.
    var unreadable: CollectError? {
        guard let full = try? source.path(sourcePath) else { return nil }
        return LocalStorage.isReadable(full)
    }
}

/// Line and column (1-based, in characters) of positions in a text.
struct LineIndex {
    private var starts: [Int] = [0]

    init(_ content: [Unicode.Scalar]) {
        for (index, scalar) in content.enumerated() where scalar == "\n" { starts.append(index + 1) }
    }

    func location(of position: Int, in file: String) -> SourceLocation {
        var low = 0, high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= position { low = middle } else { high = middle - 1 }
        }
        return SourceLocation(file: file, line: low + 1, column: position - starts[low] + 1)
    }
}

/// The examples' project: a static directory (`assets/`), a templates directory, a storage.
enum AssetExamples {
    static let manifest = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    static let plain = "django.contrib.staticfiles.storage.StaticFilesStorage"

    static func settings(storage: String, templates: Bool = false) -> String {
        var text = """
            from pathlib import Path
            BASE_DIR = Path(__file__).resolve().parent
            INSTALLED_APPS = ["django.contrib.staticfiles"]
            STATIC_URL = "/static/"
            STATIC_ROOT = BASE_DIR / "collected"
            STATICFILES_DIRS = [BASE_DIR / "assets"]
            STORAGES = {"staticfiles": {"BACKEND": "\(storage)"}}
            """
        if templates {
            text += "\nTEMPLATES = [{\"BACKEND\": \"django.template.backends.django.DjangoTemplates\", \"DIRS\": [BASE_DIR / \"templates\"]}]"
        }
        return text
    }
}
