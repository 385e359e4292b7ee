/// Port of CPython's `fnmatch.fnmatchcase` (identical in 3.11 and 3.12).
///
/// `fnmatch.translate` turns the pattern into a regular expression whose pieces each match
/// exactly one character (`?` -> `.`, `[...]` -> a character class, other characters
/// literally) separated by `*` (-> `.*`, consecutive stars collapsed); the regex is matched
/// against the whole name with DOTALL, so `*` also matches `/`, newlines and leading dots.
/// This port reproduces `translate` token by token — including its treatment of `[`
/// without a closing `]` (a literal `[`), `]` as the first member of a set, `[!...]`
/// negation, ranges (with CPython's removal of empty ranges such as `z-a`) and the
/// resulting regex character class as parsed by `re` — and then matches the tokens with a
/// linear glob matcher (equivalent to the atomic-group regex `translate` produces).
public enum PyFnmatch {
    /// `fnmatch.fnmatchcase(name, pat)`.
    public static func fnmatchcase(_ name: String, _ pattern: String) -> Bool {
        let toks = compile(PySemUtil.scalars(pattern))
        return match(toks, PySemUtil.scalars(name))
    }

    /// `fnmatch.fnmatch(name, pat)`; `os.path.normcase` is the identity on POSIX, so this is
    /// `fnmatchcase`.
    public static func fnmatch(_ name: String, _ pattern: String) -> Bool {
        fnmatchcase(name, pattern)
    }

    /// Django's `matches_patterns(path, patterns)`: any pattern matches.
    public static func matchesPatterns(_ path: String, _ patterns: [String]) -> Bool {
        patterns.contains { fnmatchcase(path, $0) }
    }

    /// A compiled pattern, for matching many names against one pattern.
    public struct Pattern: Sendable {
        let tokens: [Token]
        public init(_ pattern: String) { tokens = PyFnmatch.compile(PySemUtil.scalars(pattern)) }
        public func matches(_ name: String) -> Bool { PyFnmatch.match(tokens, PySemUtil.scalars(name)) }
    }

    // MARK: - Translation

    struct ClassItem: Sendable {
        let lo: UInt32
        let hi: UInt32
    }

    enum Token: Sendable {
        case star
        case any
        case never
        case literal(Unicode.Scalar)
        case set(negate: Bool, items: [ClassItem])

        func matches(_ c: Unicode.Scalar) -> Bool {
            switch self {
            case .star: return false
            case .any: return true
            case .never: return false
            case .literal(let l): return l == c
            case .set(let negate, let items):
                let v = c.value
                var inSet = false
                for it in items where it.lo <= v && v <= it.hi {
                    inSet = true
                    break
                }
                return inSet != negate
            }
        }

        var isStar: Bool {
            if case .star = self { return true }
            return false
        }
    }

    private static let bang = Unicode.Scalar(UInt8(0x21))
    private static let rbr = Unicode.Scalar(UInt8(0x5D))
    private static let lbr = Unicode.Scalar(UInt8(0x5B))
    private static let hyphen = Unicode.Scalar(UInt8(0x2D))
    private static let backslash = Unicode.Scalar(UInt8(0x5C))
    private static let caret = Unicode.Scalar(UInt8(0x5E))

    /// `fnmatch.translate`, producing tokens instead of regex text.
    static func compile(_ pat: PyScalars) -> [Token] {
        var res: [Token] = []
        var i = 0
        let n = pat.count
        while i < n {
            let c = pat[i]
            i += 1
            if c.value == 0x2A {  // '*'
                if res.isEmpty || !res[res.count - 1].isStar { res.append(.star) }
            } else if c.value == 0x3F {  // '?'
                res.append(.any)
            } else if c == lbr {
                var j = i
                if j < n && pat[j] == bang { j += 1 }
                if j < n && pat[j] == rbr { j += 1 }
                while j < n && pat[j] != rbr { j += 1 }
                if j >= n {
                    res.append(.literal(lbr))
                    continue
                }
                var stuff: PyScalars
                if !pat[i..<j].contains(hyphen) {
                    stuff = escape(pat[i..<j], escapingHyphen: false)
                } else {
                    var chunks: [PyScalars] = []
                    var k = pat[i] == bang ? i + 2 : i + 1
                    while true {
                        k = PySemUtil.find(pat, hyphen, k, j)
                        if k < 0 { break }
                        chunks.append(Array(pat[i..<k]))
                        i = k + 1
                        k = k + 3
                    }
                    let chunk = Array(pat[i..<j])
                    if !chunk.isEmpty {
                        chunks.append(chunk)
                    } else {
                        chunks[chunks.count - 1].append(hyphen)
                    }
                    // Remove empty ranges -- invalid in RE.
                    var kk = chunks.count - 1
                    while kk > 0 {
                        if chunks[kk - 1][chunks[kk - 1].count - 1].value > chunks[kk][0].value {
                            chunks[kk - 1] = Array(chunks[kk - 1].dropLast()) + Array(chunks[kk].dropFirst())
                            chunks.remove(at: kk)
                        }
                        kk -= 1
                    }
                    stuff = PySemUtil.join(chunks.map { escape($0[...], escapingHyphen: true) }, [hyphen])
                }
                // Escape set operations (&&, ~~ and ||).
                var escaped: PyScalars = []
                for ch in stuff {
                    if ch.value == 0x26 || ch.value == 0x7E || ch.value == 0x7C { escaped.append(backslash) }
                    escaped.append(ch)
                }
                stuff = escaped
                i = j + 1
                if stuff.isEmpty {
                    res.append(.never)
                } else if stuff == [bang] {
                    res.append(.any)
                } else {
                    if stuff[0] == bang {
                        stuff[0] = caret
                    } else if stuff[0] == caret || stuff[0] == lbr {
                        stuff.insert(backslash, at: 0)
                    }
                    res.append(parseClass(stuff) ?? .never)
                }
            } else {
                res.append(.literal(c))
            }
        }
        return res
    }

    private static func escape(_ s: ArraySlice<Unicode.Scalar>, escapingHyphen: Bool) -> PyScalars {
        var out: PyScalars = []
        for ch in s {
            if ch == backslash || (escapingHyphen && ch == hyphen) { out.append(backslash) }
            out.append(ch)
        }
        return out
    }

    /// Parses the regex character class `[` + `body` + `]` the way `re._parser` does, for the
    /// bodies `translate` can produce (every backslash escapes a non-alphanumeric character).
    /// Returns nil where `re` would raise (not reachable from `translate` output).
    private static func parseClass(_ body: PyScalars) -> Token? {
        let src = body + [rbr]
        var pos = 0
        var negate = false
        if src[pos] == caret {
            negate = true
            pos += 1
        }
        // (char, wasEscaped)
        func get() -> (Unicode.Scalar, Bool)? {
            guard pos < src.count else { return nil }
            let c = src[pos]
            pos += 1
            if c == backslash {
                guard pos < src.count else { return nil }
                let e = src[pos]
                pos += 1
                return (e, true)
            }
            return (c, false)
        }
        var items: [ClassItem] = []
        while true {
            guard let (this, thisEsc) = get() else { return nil }
            if this == rbr && !thisEsc && !items.isEmpty { break }
            if thisEsc && (PySemUtil.isASCIIAlpha(this) || PySemUtil.isASCIIDigit(this)) { return nil }
            if pos < src.count && src[pos] == hyphen {
                pos += 1
                guard let (that, thatEsc) = get() else { return nil }
                if that == rbr && !thatEsc {
                    items.append(ClassItem(lo: this.value, hi: this.value))
                    items.append(ClassItem(lo: hyphen.value, hi: hyphen.value))
                    break
                }
                if thatEsc && (PySemUtil.isASCIIAlpha(that) || PySemUtil.isASCIIDigit(that)) { return nil }
                if that.value < this.value { return nil }
                items.append(ClassItem(lo: this.value, hi: that.value))
            } else {
                items.append(ClassItem(lo: this.value, hi: this.value))
            }
        }
        return .set(negate: negate, items: items)
    }

    // MARK: - Matching

    /// Whole-string glob match of single-character tokens and stars.
    static func match(_ toks: [Token], _ name: PyScalars) -> Bool {
        var ti = 0, ni = 0
        var starTi = -1, starNi = 0
        let tn = toks.count
        while ni < name.count {
            if ti < tn {
                if toks[ti].isStar {
                    starTi = ti
                    starNi = ni
                    ti += 1
                    continue
                }
                if toks[ti].matches(name[ni]) {
                    ti += 1
                    ni += 1
                    continue
                }
            }
            if starTi >= 0 {
                ti = starTi + 1
                starNi += 1
                ni = starNi
                continue
            }
            return false
        }
        while ti < tn && toks[ti].isStar { ti += 1 }
        return ti == tn
    }
}
