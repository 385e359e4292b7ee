// PyRegex: a regular-expression engine with CPython 3.11/3.12 `re` semantics (str patterns)
// for the subset of syntax that Django's static-files storages use.
//
// Text is processed as Unicode scalars (code points), exactly like Python `str` indices.
//
// Supported syntax: literals and escapes (\\ \( \. \n \t \xhh \uhhhh \Uhhhhhhhh octal ...),
// `.`, classes `[...]` / `[^...]` with ranges and escapes (\s \S \w \W \d \D inside),
// \s \S \w \W \d \D \b \B \A \Z ^ $, quantifiers * + ? {m} {m,} {,n} {m,n} and their lazy
// forms, groups ( ) (?: ) (?P<name> ), backreferences (?P=name) \1, alternation,
// comments (?#...), global inline flags (?i) (?m) (?s) (?u) at the start and scoped flags
// (?i: ) (?-i: ) (?s: ) (?m: ) etc.
// Unsupported (throws PyRegexError with kind .unsupported): lookaround, conditionals,
// atomic groups, possessive quantifiers, \N{...}, VERBOSE, ASCII, non-ASCII group names.
// Invalid patterns throw PyRegexError with kind .invalidPattern where CPython raises re.error.
//
// Matching is a port of sre (Modules/_sre/sre_lib.h), including its capture-mark rules,
// IGNORECASE via _sre.unicode_tolower + _casefix._EXTRA_CASES, and the Python 3.7+ rules for
// empty matches in finditer/sub. `\w`/`\d` follow the Unicode database of Python 3.12
// (Unicode 15.0) by default; pass `unicode: .python311` for Python 3.11 (Unicode 14.0).
// See PyRegexEngine.swift for the (result-preserving) optimisations.

public struct PyRegex: Sendable {
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// re.IGNORECASE
        public static let ignoreCase = Flags(rawValue: 2)
        /// re.MULTILINE
        public static let multiline = Flags(rawValue: 8)
        /// re.DOTALL
        public static let dotAll = Flags(rawValue: 16)
    }

    public let pattern: String
    public let flags: Flags
    let program: PyProgram

    /// Compiles `pattern` like `re.compile(pattern, flags)`.
    /// - Parameter unicode: which CPython's Unicode database `\w` and `\d` follow.
    public init(_ pattern: String, flags: Flags = [], unicode: PyUnicodeVersion = .python312) throws {
        self.pattern = pattern
        self.flags = flags
        let parsed = try PyRegexParser.parse(pattern, flags: PyFlagBits(rawValue: flags.rawValue))
        program = PyRegexCompiler.compile(parsed, version: unicode)
    }

    /// Number of capturing groups (`re.Pattern.groups`).
    public var groupCount: Int { program.groups }

    /// `re.Pattern.groupindex`
    public var groupIndex: [String: Int] { program.groupIndex }

    /// `pattern.search(text, pos)`.
    public func search(_ text: [Unicode.Scalar], from start: Int = 0) -> PyMatch? {
        let pos = min(max(start, 0), text.count)
        return Self.withEngine(program, text) { (engine: inout PyEngine) in
            guard let s = engine.search(from: pos, mustAdvance: false) else { return nil }
            return PyMatch(text: text, spans: engine.spans(matchStart: s), groupIndex: program.groupIndex)
        }
    }

    /// `pattern.search(string)` for a Swift string (offsets are Unicode scalar offsets).
    public func search(_ string: String, from start: Int = 0) -> PyMatch? {
        search(Array(string.unicodeScalars), from: start)
    }

    /// `list(pattern.finditer(text))`.
    public func matches(_ text: [Unicode.Scalar]) -> [PyMatch] {
        var out: [PyMatch] = []
        forEachMatch(text) { out.append($0) }
        return out
    }

    public func matches(_ string: String) -> [PyMatch] {
        matches(Array(string.unicodeScalars))
    }

    /// Calls `body` for every match, like iterating `pattern.finditer(text)`.
    public func forEachMatch(_ text: [Unicode.Scalar], _ body: (PyMatch) throws -> Void) rethrows {
        try Self.withEngine(program, text) { (engine: inout PyEngine) in
            var start = 0
            var mustAdvance = false
            while let s = engine.search(from: start, mustAdvance: mustAdvance) {
                let e = engine.matchEnd
                try body(PyMatch(text: text, spans: engine.spans(matchStart: s), groupIndex: program.groupIndex))
                mustAdvance = e == s
                start = e
            }
        }
    }

    /// `pattern.sub(replacement, text)` with a replacement function.
    public func sub(_ text: [Unicode.Scalar], _ replacement: (PyMatch) throws -> [Unicode.Scalar]) rethrows
        -> [Unicode.Scalar]
    {
        var out: [Unicode.Scalar] = []
        var i = 0
        var any = false
        try Self.withEngine(program, text) { (engine: inout PyEngine) in
            var start = 0
            var mustAdvance = false
            while let b = engine.search(from: start, mustAdvance: mustAdvance) {
                let e = engine.matchEnd
                if !any {
                    out.reserveCapacity(text.count + 64)
                    any = true
                }
                if i < b { out.append(contentsOf: text[i..<b]) }
                out.append(contentsOf: try replacement(
                    PyMatch(text: text, spans: engine.spans(matchStart: b), groupIndex: program.groupIndex)))
                i = e
                mustAdvance = e == b
                start = e
            }
        }
        if !any { return text }
        if i < text.count { out.append(contentsOf: text[i...]) }
        return out
    }

    /// `pattern.sub(replacement, string)` for Swift strings.
    public func sub(_ string: String, _ replacement: (PyMatch) throws -> String) rethrows -> String {
        let scalars = Array(string.unicodeScalars)
        let result = try sub(scalars) { Array(try replacement($0).unicodeScalars) }
        return UTF8Encoding.string(result)
    }

    private static func withEngine<R>(_ program: PyProgram, _ text: [Unicode.Scalar],
                                      _ body: (inout PyEngine) throws -> R) rethrows -> R
    {
        try text.withUnsafeBufferPointer { buf in
            try buf.withMemoryRebound(to: UInt32.self) { u32 in
                // An empty array may have no base address; any valid pointer will do then.
                if let base = u32.baseAddress {
                    var engine = PyEngine(program: program, text: base, count: u32.count)
                    defer { engine.release() }
                    return try body(&engine)
                }
                return try withUnsafePointer(to: UInt32(0)) { p in
                    var engine = PyEngine(program: program, text: p, count: 0)
                    defer { engine.release() }
                    return try body(&engine)
                }
            }
        }
    }
}

/// A match (`re.Match`). Offsets are Unicode scalar offsets into the searched text.
public struct PyMatch: Sendable {
    /// The searched text.
    public let text: [Unicode.Scalar]
    /// [start, end] of group 0, then of each group; -1 for groups that did not participate.
    let spans: [Int]
    let groupIndex: [String: Int]

    init(text: [Unicode.Scalar], spans: [Int], groupIndex: [String: Int]) {
        self.text = text
        self.spans = spans
        self.groupIndex = groupIndex
    }

    /// `m.span()`
    public var range: Range<Int> { spans[0]..<spans[1] }

    /// Number of capturing groups of the pattern.
    public var groupCount: Int { spans.count / 2 - 1 }

    /// `m.span(group)`, nil if the group did not participate (or does not exist).
    public func range(_ group: Int) -> Range<Int>? {
        guard group >= 0, 2 * group + 1 < spans.count, spans[2 * group] >= 0 else { return nil }
        return spans[2 * group]..<spans[2 * group + 1]
    }

    /// `m.span(name)`, nil if the group did not participate (or does not exist).
    public func range(_ name: String) -> Range<Int>? {
        guard let g = groupIndex[name] else { return nil }
        return range(g)
    }

    /// `m.group(group)` as scalars.
    public func scalars(_ group: Int) -> ArraySlice<Unicode.Scalar>? {
        range(group).map { text[$0] }
    }

    /// `m.group(name)` as scalars.
    public func scalars(_ name: String) -> ArraySlice<Unicode.Scalar>? {
        range(name).map { text[$0] }
    }

    /// `m.group(group)`
    public func string(_ group: Int) -> String? {
        scalars(group).map(Self.makeString)
    }

    /// `m.group(name)`
    public func string(_ name: String) -> String? {
        scalars(name).map(Self.makeString)
    }

    /// Whether the pattern defines a group with this name (`name in m.re.groupindex`).
    public func hasGroup(_ name: String) -> Bool { groupIndex[name] != nil }

    static func makeString(_ s: ArraySlice<Unicode.Scalar>) -> String {
        UTF8Encoding.string(s)
    }
}
