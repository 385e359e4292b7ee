import DJSettings
import PythonStdlib

/// How `HashedFilesMixin` finds references in CSS/JS and what each one names, before any hashing:
/// the storage's own compiled `patterns` (taken from the live object), the installed Django
/// version's skip rules (schemes, `//`, absolute URLs outside STATIC_URL, 6.1's comments and
/// strings) and the resolution of a reference to the stored name it needs. The manifest
/// post-processor rewrites with it; the asset audit reports what it cannot find.
public struct ReferenceGrammar: Sendable {
    public struct Pattern: Sendable {
        public var regex: PyRegex
        public var template: String
        /// 6.1: matches starting strictly inside these blocks (comments, strings) are left alone.
        public var ignored: PyRegex?
    }

    public struct Group: Sendable {
        public var glob: String
        public var patterns: [Pattern]
    }

    /// A match the converter acts on (`url_converter` before its `_url` lookup).
    public struct Reference: Sendable {
        /// The reference as written (the `url` group).
        public var url: String
        /// `url` without its fragment.
        public var path: String
        public var fragment: String
        /// The stored name it resolves to: relative to the referencing file's directory, or to
        /// STATIC_URL for a root-relative URL (still percent-encoded, as Django joins it).
        public var targetName: String
    }

    public let groups: [Group]
    public let version: DjangoVersion
    /// `settings.STATIC_URL` (effective), which the converter compares root-relative URLs with.
    public let staticURL: String
    /// The project's interpreter's urllib.parse behaviour.
    public let flavor: PyURL.Flavor

    public init(patterns: [CollectDescription.PatternGroup], version: DjangoVersion, staticURL: String,
                pythonVersion: String) throws(CollectError) {
        // `\w` follows the Unicode database of the project's interpreter (3.11: 14.0, 3.12+: 15.0).
        let minor = pythonVersion.split(separator: ".").dropFirst().first.flatMap { Int($0) } ?? 11
        self.groups = try Self.groups(patterns, unicode: minor >= 12 ? .python312 : .python311)
        self.version = version
        self.staticURL = staticURL
        self.flavor = Self.flavor(pythonVersion)
    }

    /// CPython 3.12 changed urllib.parse's scheme lists; the bracketed-netloc check (CVE-2025-0938)
    /// arrived in 3.12.9 / 3.13.2 and was backported to Debian's 3.11.2 and upstream 3.11.12.
    public static func flavor(_ pythonVersion: String) -> PyURL.Flavor {
        let parts = pythonVersion.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 3 else { return .python311 }
        let (minor, patch) = (parts[1], parts[2])
        let checks = minor == 11 ? (patch == 2 || patch >= 12) : minor == 12 ? patch >= 9 : minor == 13 ? patch >= 2 : minor > 13
        return PyURL.Flavor(schemeLists: minor >= 12 ? .python312 : .python311, checksBracketedNetloc: checks)
    }

    /// The live storage's `_patterns`, compiled for djstatic's port of `re`.
    static func groups(_ described: [CollectDescription.PatternGroup], unicode: PyUnicodeVersion) throws(CollectError) -> [Group] {
        func compile(_ regex: CollectDescription.Regex) throws(CollectError) -> PyRegex {
            do {
                return try PyRegex(regex.pattern, flags: PyRegex.Flags(rawValue: regex.flags), unicode: unicode)
            } catch {
                throw CollectError("RuntimeError", "djstatic cannot compile the storage's pattern \(regex.pattern) (from its patterns): \(error)")
            }
        }
        var groups: [Group] = []
        for group in described {
            var patterns: [Pattern] = []
            for pattern in group.patterns {
                patterns.append(Pattern(regex: try compile(pattern.regex), template: pattern.template,
                                        ignored: try pattern.ignored.map(compile)))
            }
            groups.append(Group(glob: group.glob, patterns: patterns))
        }
        return groups
    }

    // urllib.parse functions that raise ValueError (e.g. an invalid IPv6 netloc in a URL).
    public func urlsplit(_ url: String) throws(CollectError) -> PyURL.SplitResult {
        do { return try PyURL.urlsplit(url, flavor: flavor) } catch { throw CollectError("ValueError", error.message) }
    }

    public func urldefrag(_ url: String) throws(CollectError) -> (url: String, fragment: String) {
        do { return try PyURL.urldefrag(url, flavor: flavor) } catch { throw CollectError("ValueError", error.message) }
    }

    public func urljoin(_ base: String, _ url: String) throws(CollectError) -> String {
        do { return try PyURL.urljoin(base, url, flavor: flavor) } catch { throw CollectError("ValueError", error.message) }
    }

    /// Whether post-processing rewrites this stored path (its name matches a group's glob).
    public func isAdjustable(_ path: String) -> Bool {
        groups.contains { PyFnmatch.fnmatchcase(path, $0.glob) }
    }

    /// The groups `_post_process` applies to a file (by its path within its source root). 6.1
    /// skips a group none of whose patterns matches; the outcome is the same either way.
    public func groups(for sourcePath: String) -> [Group] {
        groups.filter { PyFnmatch.fnmatchcase(sourcePath, $0.glob) }
    }

    /// The blocks (6.1: comments and strings) whose matches the pattern leaves alone.
    public func ignoredBlocks(_ pattern: Pattern, in content: [Unicode.Scalar]) -> [Range<Int>] {
        pattern.ignored.map { $0.matches(content).map(\.range) } ?? []
    }

    /// `url_converter`'s decisions for one match of a pattern in the file stored as `name`: nil
    /// when Django leaves the match as written (inside an ignored block, a URL with a scheme,
    /// a protocol-relative URL from 5.1, a root-relative URL outside STATIC_URL, only a fragment).
    public func reference(_ match: PyMatch, name: String, blocks: [Range<Int>]) throws(CollectError) -> Reference? {
        if blocks.contains(where: { $0.lowerBound < match.range.lowerBound && match.range.lowerBound < $0.upperBound }) {
            return nil
        }
        let url = match.string("url") ?? ""
        if Self.hasLowercaseScheme(url) || (version >= DjangoVersion(5, 1) && url.hasPrefix("//")) { return nil }
        if url.hasPrefix("/") && !url.hasPrefix(staticURL) { return nil }
        let (urlPath, fragment) = try urldefrag(url)
        if urlPath.isEmpty { return nil }
        let targetName = urlPath.hasPrefix("/")
            ? String(urlPath.dropFirst(staticURL.count))
            : PyPath.join(PyPath.dirname(name), urlPath)
        return Reference(url: url, path: urlPath, fragment: fragment, targetName: targetName)
    }

    /// The name `_url` → `_stored_name` → `hashed_name` looks for in the storage for a reference
    /// (the converter passes `unquote(targetName)`): nil when it names a directory (a path ending
    /// in "/", never looked up).
    public func lookupName(_ targetName: String) throws(CollectError) -> String? {
        let (clean, _) = try urldefrag(PyURL.unquote(targetName))
        if try urlsplit(clean).path.hasSuffix("/") { return nil }
        return try storedPath(PyPath.normpath(clean)).clean
    }

    /// `hashed_name`'s parse of a name: `urlsplit(unquote(name))` and its stripped path, the
    /// stored file whose bytes are hashed.
    public func storedPath(_ name: String) throws(CollectError) -> (parsed: PyURL.SplitResult, clean: String) {
        let parsed = try urlsplit(PyURL.unquote(name))
        return (parsed, PyString.strip(parsed.path))
    }

    /// `re.match(r"^[a-z]+:", url)`.
    static func hasLowercaseScheme(_ url: String) -> Bool {
        var sawLetter = false
        for scalar in url.unicodeScalars {
            if scalar.value >= 0x61 && scalar.value <= 0x7A { sawLetter = true; continue }
            return sawLetter && scalar == ":"
        }
        return false
    }

    /// Python's `UnicodeDecodeError` message for the first invalid UTF-8 sequence: the error spans
    /// the lead byte and the valid continuation bytes after it, as CPython's decoder reports it.
    public static func decodeError(_ bytes: [UInt8]) -> CollectError {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let (length, second): (Int, ClosedRange<UInt8>) = switch lead {
            case 0x00...0x7F: (1, 0x80...0xBF)
            case 0xC2...0xDF: (2, 0x80...0xBF)
            case 0xE0: (3, 0xA0...0xBF)
            case 0xED: (3, 0x80...0x9F)
            case 0xE1...0xEF: (3, 0x80...0xBF)
            case 0xF0: (4, 0x90...0xBF)
            case 0xF1...0xF3: (4, 0x80...0xBF)
            case 0xF4: (4, 0x80...0x8F)
            default: (0, 0x80...0xBF)
            }
            if length == 0 { return decodeError(lead, index, index, "invalid start byte") }
            var end = index + 1
            while end < index + length && end < bytes.count
                    && (end == index + 1 ? second.contains(bytes[end]) : (0x80...0xBF).contains(bytes[end])) {
                end += 1
            }
            if end == index + length { index = end; continue }
            return decodeError(lead, index, end - 1, end == bytes.count ? "unexpected end of data" : "invalid continuation byte")
        }
        return CollectError("UnicodeDecodeError", "'utf-8' codec can't decode bytes")
    }

    private static func decodeError(_ lead: UInt8, _ first: Int, _ last: Int, _ reason: String) -> CollectError {
        let hex = String(lead, radix: 16)
        let what = first == last
            ? "byte 0x\(hex.count == 1 ? "0" + hex : hex) in position \(first)"
            : "bytes in position \(first)-\(last)"
        return CollectError("UnicodeDecodeError", "'utf-8' codec can't decode \(what): \(reason)")
    }
}
