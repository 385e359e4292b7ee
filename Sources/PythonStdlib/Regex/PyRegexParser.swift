// A port of the subset of CPython's Lib/re/_parser.py (3.11/3.12) that PyRegex supports.
// The parse tree mirrors sre's (op, av) items so that the compiler can follow
// Lib/re/_compiler.py step by step.

/// Error thrown for invalid patterns and for valid Python syntax PyRegex does not implement.
public struct PyRegexError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// CPython would reject the pattern too (`re.error`).
        case invalidPattern
        /// Valid Python syntax that PyRegex deliberately does not implement.
        case unsupported
    }
    public var kind: Kind
    public var message: String
    /// Offset (in Unicode scalars) into the pattern.
    public var position: Int

    public var description: String {
        "\(kind == .unsupported ? "unsupported regular expression syntax" : "invalid regular expression"): \(message) at position \(position)"
    }
}

enum PyAtCode: Int, Sendable {
    case beginning = 0          // ^
    case beginningLine          // ^ with MULTILINE
    case beginningString        // \A
    case end                    // $
    case endLine                // $ with MULTILINE
    case endString              // \Z
    case boundary               // \b
    case nonBoundary            // \B
}

enum PyCategory: Int, Sendable {
    case digit = 0, notDigit, space, notSpace, word, notWord
}

enum PySetItem: Equatable, Hashable, Sendable {
    case negate
    case literal(UInt32)
    case range(UInt32, UInt32)
    case category(PyCategory)
}

/// Internal flag bits (same values as sre's SRE_FLAG_*).
struct PyFlagBits: OptionSet, Sendable {
    let rawValue: Int
    static let ignoreCase = PyFlagBits(rawValue: 2)
    static let multiline = PyFlagBits(rawValue: 8)
    static let dotAll = PyFlagBits(rawValue: 16)
    static let unicode = PyFlagBits(rawValue: 32)
    static let verbose = PyFlagBits(rawValue: 64)
    static let ascii = PyFlagBits(rawValue: 256)
}

let pyMaxRepeat = 4_294_967_295  // _sre.MAXREPEAT on 64-bit builds

indirect enum PyNode: Sendable {
    case literal(UInt32)
    case notLiteral(UInt32)
    case any
    case set([PySetItem])
    case at(PyAtCode)
    case branch([[PyNode]])
    /// greedy: MAX_REPEAT, !greedy: MIN_REPEAT
    case `repeat`(min: Int, max: Int, greedy: Bool, item: [PyNode])
    case subpattern(group: Int?, add: PyFlagBits, del: PyFlagBits, body: [PyNode])
    case groupref(Int)

    var isRepeat: Bool {
        if case .repeat = self { return true }
        return false
    }
}

struct PyParsedPattern {
    var nodes: [PyNode]
    var flags: PyFlagBits
    var groups: Int           // number of groups + 1 (like state.groups)
    var groupIndex: [String: Int]
    var hasGroupRef: Bool
    /// Groups referenced by backreferences.
    var referencedGroups: Set<Int>
}

struct PyRegexParser {
    private let src: [Unicode.Scalar]
    private var index = 0
    /// Current token: a single scalar, or a backslash plus the following scalar.
    private var next: [Unicode.Scalar]?
    private var flags: PyFlagBits
    private var groupIndex: [String: Int] = [:]
    private var groupCount = 1
    private var openGroups: Set<Int> = []
    private var hasGroupRef = false
    private var referencedGroups: Set<Int> = []

    init(_ pattern: String, flags: PyFlagBits) throws {
        src = Array(pattern.unicodeScalars)
        self.flags = flags
        try advance()
    }

    static func parse(_ pattern: String, flags: PyFlagBits) throws -> PyParsedPattern {
        var p = try PyRegexParser(pattern, flags: flags)
        let nodes = try p.parseSub(nested: 0)
        if p.next != nil {
            throw p.error("unbalanced parenthesis")
        }
        if p.flags.contains(.verbose) {
            throw p.unsupported("the VERBOSE flag (?x)", at: 0)
        }
        if p.flags.contains(.ascii) {
            throw p.unsupported("the ASCII flag (?a)", at: 0)
        }
        return PyParsedPattern(nodes: nodes, flags: p.flags, groups: p.groupCount,
                               groupIndex: p.groupIndex, hasGroupRef: p.hasGroupRef,
                               referencedGroups: p.referencedGroups)
    }

    // MARK: tokenizer (Tokenizer in _parser.py)

    private mutating func advance() throws {
        if index >= src.count {
            next = nil
            return
        }
        var tok = [src[index]]
        if src[index] == "\\" {
            index += 1
            if index >= src.count {
                throw PyRegexError(kind: .invalidPattern, message: "bad escape (end of pattern)",
                                   position: src.count - 1)
            }
            tok.append(src[index])
        }
        index += 1
        next = tok
    }

    private var tell: Int { index - (next?.count ?? 0) }

    private mutating func match(_ c: Unicode.Scalar) throws -> Bool {
        if let n = next, n.count == 1, n[0] == c {
            try advance()
            return true
        }
        return false
    }

    private mutating func get() throws -> [Unicode.Scalar]? {
        let t = next
        try advance()
        return t
    }

    private func peekIs(_ c: Unicode.Scalar) -> Bool {
        if let n = next, n.count == 1, n[0] == c { return true }
        return false
    }

    private func nextIsDigit() -> Bool {
        if let n = next, n.count == 1, ("0"..."9").contains(n[0]) { return true }
        return false
    }

    private mutating func seek(_ i: Int) throws {
        index = i
        try advance()
    }

    private func error(_ msg: String, offset: Int = 0) -> PyRegexError {
        PyRegexError(kind: .invalidPattern, message: msg, position: tell - offset)
    }

    private func unsupported(_ what: String, at pos: Int? = nil) -> PyRegexError {
        PyRegexError(kind: .unsupported, message: what, position: pos ?? tell)
    }

    private mutating func getUntil(_ terminator: Unicode.Scalar, _ name: String) throws -> String {
        var result = String.UnicodeScalarView()
        while true {
            let c = next
            try advance()
            guard let c else {
                if result.isEmpty { throw error("missing " + name) }
                throw error("missing \(terminator), unterminated name", offset: result.count)
            }
            if c.count == 1 && c[0] == terminator {
                if result.isEmpty { throw error("missing " + name, offset: 1) }
                break
            }
            result.append(contentsOf: c)
        }
        return String(result)
    }

    private func checkGroupName(_ name: String, offset: Int) throws {
        // str.isidentifier(); PyRegex only accepts ASCII identifiers (non-ASCII names are
        // legal in Python but are rejected here rather than risk a different rule).
        let scalars = Array(name.unicodeScalars)
        func isStart(_ c: Unicode.Scalar) -> Bool {
            c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c)
        }
        func isCont(_ c: Unicode.Scalar) -> Bool { isStart(c) || ("0"..."9").contains(c) }
        if scalars.contains(where: { !$0.isASCII }) {
            throw unsupported("non-ASCII group name \(name)", at: tell - name.unicodeScalars.count - offset)
        }
        guard let first = scalars.first, isStart(first), scalars.allSatisfy(isCont) else {
            throw error("bad character in group name '\(name)'", offset: name.unicodeScalars.count + offset)
        }
    }

    // MARK: escapes

    private static func asciiLetters(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c)
    }

    private static func simpleEscape(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "a": return 7
        case "b": return 8
        case "f": return 12
        case "n": return 10
        case "r": return 13
        case "t": return 9
        case "v": return 11
        case "\\": return 0x5c
        default: return nil
        }
    }

    private static func categoryEscape(_ c: Unicode.Scalar) -> PyCategory? {
        switch c {
        case "d": return .digit
        case "D": return .notDigit
        case "s": return .space
        case "S": return .notSpace
        case "w": return .word
        case "W": return .notWord
        default: return nil
        }
    }

    private static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": return c.value - 0x30
        case "a"..."f": return c.value - 0x61 + 10
        case "A"..."F": return c.value - 0x41 + 10
        default: return nil
        }
    }

    private static func octValue(_ c: Unicode.Scalar) -> UInt32? {
        ("0"..."7").contains(c) ? c.value - 0x30 : nil
    }

    /// `getwhile(n, HEXDIGITS)` / `getwhile(n, OCTDIGITS)`
    private mutating func getDigits(_ n: Int, _ value: (Unicode.Scalar) -> UInt32?, radix: UInt32)
        throws -> (count: Int, value: UInt32)
    {
        var count = 0
        var v: UInt32 = 0
        while count < n, let t = next, t.count == 1, let d = value(t[0]) {
            v = v &* radix &+ d
            count += 1
            try advance()
        }
        return (count, v)
    }

    /// Handles \x, \u, \U (shared by both escape functions). Returns nil if `c` is not one of them.
    private mutating func numericEscape(_ c: Unicode.Scalar) throws -> UInt32? {
        let width: Int
        switch c {
        case "x": width = 2
        case "u": width = 4
        case "U": width = 8
        default: return nil
        }
        let (n, v) = try getDigits(width, Self.hexValue, radix: 16)
        if n != width {
            throw error("incomplete escape \\\(c)", offset: n + 2)
        }
        if v > 0x10FFFF {
            throw error("bad escape \\\(c)", offset: n + 2)
        }
        return v
    }

    private enum ClassCode {
        case literal(UInt32)
        case category(PyCategory)
    }

    /// `_class_escape`
    private mutating func classEscape(_ esc: [Unicode.Scalar]) throws -> ClassCode {
        let c = esc[1]
        if let v = Self.simpleEscape(c) { return .literal(v) }
        if let cat = Self.categoryEscape(c) { return .category(cat) }
        if let v = try numericEscape(c) { return .literal(v) }
        if c == "N" { throw unsupported("\\N{...} escapes", at: tell - 2) }
        if let o = Self.octValue(c) {
            let (n, v) = try getDigits(2, Self.octValue, radix: 8)
            let value = n == 0 ? o : (n == 1 ? o * 8 + v : o * 64 + v)
            if value > 0o377 {
                throw error("octal escape value outside of range 0-0o377", offset: n + 2)
            }
            return .literal(value)
        }
        if ("0"..."9").contains(c) || Self.asciiLetters(c) {
            throw error("bad escape \\\(c)", offset: 2)
        }
        return .literal(c.value)
    }

    /// `_escape`
    private mutating func escape(_ esc: [Unicode.Scalar]) throws -> PyNode {
        let c = esc[1]
        switch c {
        case "A": return .at(.beginningString)
        case "Z": return .at(.endString)
        case "b": return .at(.boundary)
        case "B": return .at(.nonBoundary)
        default: break
        }
        if let cat = Self.categoryEscape(c) { return .set([.category(cat)]) }
        if let v = Self.simpleEscape(c) { return .literal(v) }
        if let v = try numericEscape(c) { return .literal(v) }
        if c == "N" { throw unsupported("\\N{...} escapes", at: tell - 2) }
        if c == "0" {
            let (n, v) = try getDigits(2, Self.octValue, radix: 8)
            _ = n
            return .literal(v)
        }
        if ("1"..."9").contains(c) {
            var digits = [c]
            if nextIsDigit() {
                let d = next![0]
                try advance()
                digits.append(d)
                if Self.octValue(digits[0]) != nil, Self.octValue(digits[1]) != nil,
                   let t = next, t.count == 1, Self.octValue(t[0]) != nil
                {
                    try advance()
                    digits.append(t[0])
                    let v = digits.reduce(UInt32(0)) { $0 * 8 + Self.octValue($1)! }
                    if v > 0o377 {
                        throw error("octal escape value outside of range 0-0o377", offset: 4)
                    }
                    return .literal(v)
                }
            }
            let group = digits.reduce(0) { $0 * 10 + Int($1.value - 0x30) }
            if group < groupCount {
                if openGroups.contains(group) {
                    throw error("cannot refer to an open group", offset: digits.count + 1)
                }
                hasGroupRef = true
                referencedGroups.insert(group)
                return .groupref(group)
            }
            throw error("invalid group reference \(group)", offset: digits.count)
        }
        if Self.asciiLetters(c) {
            throw error("bad escape \\\(c)", offset: 2)
        }
        return .literal(c.value)
    }

    // MARK: grammar

    /// `_parse_sub`
    private mutating func parseSub(nested: Int) throws -> [PyNode] {
        var items: [[PyNode]] = []
        while true {
            items.append(try parse(nested: nested + 1, first: nested == 0 && items.isEmpty))
            if !(try match("|")) { break }
        }
        if items.count == 1 { return items[0] }
        // (The common-prefix factoring of _parse_sub is a pure optimisation and is not needed.)
        // Check if the branch can be replaced by a character set (this changes how the
        // compiler treats repeats and IGNORECASE literals, so it is replicated).
        var set: [PySetItem] = []
        var allSet = true
        for item in items {
            guard item.count == 1 else { allSet = false; break }
            switch item[0] {
            case .literal(let c):
                set.append(.literal(c))
            case .set(let av) where av.first != .negate:
                set.append(contentsOf: av)
            default:
                allSet = false
            }
            if !allSet { break }
        }
        if allSet {
            return [.set(Self.uniq(set))]
        }
        return [.branch(items)]
    }

    private static func uniq(_ items: [PySetItem]) -> [PySetItem] {
        var seen = Set<PySetItem>()
        return items.filter { seen.insert($0).inserted }
    }

    /// `_parse`
    private mutating func parse(nested: Int, first: Bool) throws -> [PyNode] {
        var sub: [PyNode] = []
        while true {
            guard let this = next else { break }
            if this.count == 1 && (this[0] == "|" || this[0] == ")") { break }
            try advance()
            if this.count == 2 {
                sub.append(try escape(this))
                continue
            }
            let ch = this[0]
            switch ch {
            case "[":
                sub.append(try parseClass(start: tell - 1))
            case "*", "+", "?", "{":
                let here = tell
                var minR = 0, maxR = pyMaxRepeat
                switch ch {
                case "?": maxR = 1
                case "+": minR = 1
                case "{":
                    if peekIs("}") {
                        sub.append(.literal(ch.value))
                        continue
                    }
                    var lo = "", hi = ""
                    while nextIsDigit() { lo.unicodeScalars.append(try get()![0]) }
                    if try match(",") {
                        while nextIsDigit() { hi.unicodeScalars.append(try get()![0]) }
                    } else {
                        hi = lo
                    }
                    if !(try match("}")) {
                        sub.append(.literal(ch.value))
                        try seek(here)
                        continue
                    }
                    if !lo.isEmpty {
                        guard lo.count < 11, let v = Int(lo), v < pyMaxRepeat else {
                            throw error("the repetition number is too large")
                        }
                        minR = v
                    }
                    if !hi.isEmpty {
                        guard hi.count < 11, let v = Int(hi), v < pyMaxRepeat else {
                            throw error("the repetition number is too large")
                        }
                        maxR = v
                        if maxR < minR {
                            throw error("min repeat greater than max repeat", offset: tell - here)
                        }
                    }
                default: break
                }
                guard let last = sub.last else {
                    throw error("nothing to repeat", offset: tell - here + 1)
                }
                if case .at = last {
                    throw error("nothing to repeat", offset: tell - here + 1)
                }
                if last.isRepeat {
                    throw error("multiple repeat", offset: tell - here + 1)
                }
                var item = [last]
                if case .subpattern(nil, let add, let del, let body) = last, add.isEmpty, del.isEmpty {
                    item = body
                }
                let greedy: Bool
                if try match("?") {
                    greedy = false
                } else if peekIs("+") {
                    throw unsupported("possessive quantifiers")
                } else {
                    greedy = true
                }
                sub[sub.count - 1] = .repeat(min: minR, max: maxR, greedy: greedy, item: item)
            case ".":
                sub.append(.any)
            case "(":
                let start = tell - 1
                var capture = true
                var name: String? = nil
                var addFlags: PyFlagBits = []
                var delFlags: PyFlagBits = []
                if try match("?") {
                    guard let c = try get() else { throw error("unexpected end of pattern") }
                    let cc = c.count == 1 ? c[0] : "\\"
                    if cc == "P" {
                        if try match("<") {
                            let n = try getUntil(">", "group name")
                            try checkGroupName(n, offset: 1)
                            name = n
                        } else if try match("=") {
                            let n = try getUntil(")", "group name")
                            try checkGroupName(n, offset: 1)
                            guard let gid = groupIndex[n] else {
                                throw error("unknown group name '\(n)'", offset: n.unicodeScalars.count + 1)
                            }
                            if openGroups.contains(gid) {
                                throw error("cannot refer to an open group", offset: n.unicodeScalars.count + 1)
                            }
                            hasGroupRef = true
                            referencedGroups.insert(gid)
                            sub.append(.groupref(gid))
                            continue
                        } else {
                            guard let c2 = try get() else { throw error("unexpected end of pattern") }
                            throw error("unknown extension ?P" + String(String.UnicodeScalarView(c2)))
                        }
                    } else if cc == ":" {
                        capture = false
                    } else if cc == "#" {
                        while true {
                            guard next != nil else {
                                throw error("missing ), unterminated comment", offset: tell - start)
                            }
                            if let t = try get(), t.count == 1, t[0] == ")" { break }
                        }
                        continue
                    } else if cc == "=" || cc == "!" || cc == "<" {
                        throw unsupported("lookahead/lookbehind assertions", at: start)
                    } else if cc == "(" {
                        throw unsupported("conditional groups", at: start)
                    } else if cc == ">" {
                        throw unsupported("atomic groups", at: start)
                    } else if "imsxauLt-".unicodeScalars.contains(cc) && c.count == 1 {
                        let parsed = try parseFlags(cc)
                        if let (a, d) = parsed {
                            addFlags = a
                            delFlags = d
                            capture = false
                        } else {
                            if !first || !sub.isEmpty {
                                throw error("global flags not at the start of the expression",
                                            offset: tell - start)
                            }
                            continue
                        }
                    } else {
                        throw error("unknown extension ?" + String(String.UnicodeScalarView(c)))
                    }
                }
                var group: Int? = nil
                if capture {
                    let gid = groupCount
                    groupCount += 1
                    if let name {
                        if groupIndex[name] != nil {
                            throw error("redefinition of group name '\(name)'",
                                        offset: name.unicodeScalars.count + 1)
                        }
                        groupIndex[name] = gid
                    }
                    openGroups.insert(gid)
                    group = gid
                }
                let body = try parseSub(nested: nested + 1)
                if !(try match(")")) {
                    throw error("missing ), unterminated subpattern", offset: tell - start)
                }
                if let group { openGroups.remove(group) }
                sub.append(.subpattern(group: group, add: addFlags, del: delFlags, body: body))
            case "^":
                sub.append(.at(.beginning))
            case "$":
                sub.append(.at(.end))
            default:
                sub.append(.literal(ch.value))
            }
        }
        // unpack non-capturing groups without flags
        var out: [PyNode] = []
        out.reserveCapacity(sub.count)
        for node in sub {
            if case .subpattern(nil, let add, let del, let body) = node, add.isEmpty, del.isEmpty {
                out.append(contentsOf: body)
            } else {
                out.append(node)
            }
        }
        return out
    }

    private static func flagBit(_ c: Unicode.Scalar) -> PyFlagBits? {
        switch c {
        case "i": return .ignoreCase
        case "m": return .multiline
        case "s": return .dotAll
        case "x": return .verbose
        case "a": return .ascii
        case "u": return .unicode
        default: return nil
        }
    }

    /// `_parse_flags`. Returns nil for global flags `(?imsx)`.
    private mutating func parseFlags(_ first: Unicode.Scalar) throws -> (PyFlagBits, PyFlagBits)? {
        var char: Unicode.Scalar? = first
        var add: PyFlagBits = []
        var del: PyFlagBits = []
        func single(_ t: [Unicode.Scalar]?) -> Unicode.Scalar? {
            guard let t else { return nil }
            return t.count == 1 ? t[0] : "\\"
        }
        if char != "-" {
            while true {
                guard let c = char else { throw error("missing -, : or )") }
                if c == "L" { throw error("bad inline flags: cannot use 'L' flag with a str pattern") }
                if c == "t" { throw unsupported("the TEMPLATE flag") }
                guard let bit = Self.flagBit(c) else { throw error("unknown flag") }
                add.insert(bit)
                if add.contains(.ascii) && add.contains(.unicode) {
                    throw error("bad inline flags: flags 'a', 'u' and 'L' are incompatible")
                }
                char = single(try get())
                guard let n = char else { throw error("missing -, : or )") }
                if n == ")" || n == "-" || n == ":" { break }
                if Self.flagBit(n) == nil && n != "L" && n != "t" {
                    throw error(n.properties.isAlphabetic ? "unknown flag" : "missing -, : or )")
                }
            }
        }
        if char == ")" {
            flags.formUnion(add)
            if add.contains(.verbose) { throw unsupported("the VERBOSE flag (?x)") }
            if add.contains(.ascii) { throw unsupported("the ASCII flag (?a)") }
            return nil
        }
        if char == "-" {
            guard let c = single(try get()) else { throw error("missing flag") }
            char = c
            guard Self.flagBit(c) != nil || c == "L" || c == "t" else {
                throw error(c.properties.isAlphabetic ? "unknown flag" : "missing flag")
            }
            while true {
                guard let c = char else { throw error("missing :") }
                if c == "a" || c == "u" || c == "L" {
                    throw error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'")
                }
                if c == "t" { throw error("bad inline flags: cannot turn off global flag") }
                guard let bit = Self.flagBit(c) else { throw error("unknown flag") }
                del.insert(bit)
                char = single(try get())
                guard let n = char else { throw error("missing :") }
                if n == ":" { break }
                if Self.flagBit(n) == nil && n != "L" && n != "t" {
                    throw error(n.properties.isAlphabetic ? "unknown flag" : "missing :")
                }
            }
        }
        if !add.intersection(del).isEmpty {
            throw error("bad inline flags: flag turned on and off")
        }
        if add.contains(.verbose) || del.contains(.verbose) {
            throw unsupported("the VERBOSE flag (?x)")
        }
        if add.contains(.ascii) { throw unsupported("the ASCII flag (?a)") }
        return (add, del)
    }

    /// Character class, after the opening `[`.
    private mutating func parseClass(start here: Int) throws -> PyNode {
        var set: [PySetItem] = []
        let negate = try match("^")
        while true {
            guard let this = try get() else {
                throw error("unterminated character set", offset: tell - here)
            }
            if this.count == 1 && this[0] == "]" && !set.isEmpty {
                break
            }
            var code1: ClassCode
            if this.count == 2 {
                code1 = try classEscape(this)
            } else {
                code1 = .literal(this[0].value)
            }
            if try match("-") {
                guard let that = try get() else {
                    throw error("unterminated character set", offset: tell - here)
                }
                if that.count == 1 && that[0] == "]" {
                    set.append(Self.item(code1))
                    set.append(.literal(0x2d))
                    break
                }
                let code2: ClassCode
                if that.count == 2 {
                    code2 = try classEscape(that)
                } else {
                    code2 = .literal(that[0].value)
                }
                guard case .literal(let lo) = code1, case .literal(let hi) = code2 else {
                    throw error("bad character range", offset: this.count + 1 + that.count)
                }
                if hi < lo {
                    throw error("bad character range", offset: this.count + 1 + that.count)
                }
                set.append(.range(lo, hi))
            } else {
                set.append(Self.item(code1))
            }
        }
        set = Self.uniq(set)
        if set.count == 1, case .literal(let c) = set[0] {
            return negate ? .notLiteral(c) : .literal(c)
        }
        if negate { set.insert(.negate, at: 0) }
        return .set(set)
    }

    private static func item(_ c: ClassCode) -> PySetItem {
        switch c {
        case .literal(let v): return .literal(v)
        case .category(let cat): return .category(cat)
        }
    }
}
