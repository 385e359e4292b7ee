/// Python `str` comparison and whitespace semantics.
///
/// Python compares strings code point by code point (`"e\u{301}" != "\u{e9}"`), whereas Swift's
/// `==` and `<` on `String` use canonical equivalence. Use these wherever the result must match
/// CPython (e.g. `sorted()` of manifest keys, dictionary-key identity).
public enum PyString {
    /// `s.replace(old, new)` for one ASCII character by another, e.g. Django's
    /// `name.replace("\\", "/")`: a string without `old` comes back as it is, without a copy.
    public static func replace(_ s: String, _ old: Unicode.Scalar, with new: Unicode.Scalar) -> String {
        precondition(old.isASCII && new.isASCII, "ASCII characters only")
        let (from, to) = (UInt8(old.value), UInt8(new.value))
        guard s.utf8.contains(from) else { return s }
        return String(decoding: s.utf8.map { $0 == from ? to : $0 }, as: UTF8.self)
    }

    /// Python `a < b` for `str`: lexicographic comparison of code points.
    public static func codePointLess(_ a: String, _ b: String) -> Bool {
        var ia = a.unicodeScalars.makeIterator()
        var ib = b.unicodeScalars.makeIterator()
        while true {
            switch (ia.next(), ib.next()) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case let (x?, y?):
                if x.value != y.value { return x.value < y.value }
            }
        }
    }

    /// Python `a == b` for `str`: identical code point sequences.
    public static func codePointEqual(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)  // the same code points: the same UTF-8 (a String is valid Unicode)
    }

    /// `s.startswith(prefix)`: code points, where Swift's `hasPrefix` compares characters
    /// (`"/\u{301}x"` does not have the prefix "/" to Swift).
    public static func startsWith(_ s: String, _ prefix: String) -> Bool {
        s.utf8.starts(with: prefix.utf8)
    }

    /// `s.endswith(suffix)`.
    public static func endsWith(_ s: String, _ suffix: String) -> Bool {
        s.utf8.count >= suffix.utf8.count && s.utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
    }

    /// `s[len(prefix):]` for a `prefix` that `s` starts with (`startsWith`).
    public static func dropping(prefix: String, from s: String) -> String {
        precondition(startsWith(s, prefix), "not a prefix")
        return String(decoding: s.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
    }

    /// Three-way code-point comparison: negative, zero or positive.
    public static func codePointCompare(_ a: String, _ b: String) -> Int {
        if codePointLess(a, b) { return -1 }
        if codePointLess(b, a) { return 1 }
        return 0
    }

    /// Python `sorted(strings)` (stable, code-point order).
    public static func sorted(_ strings: [String]) -> [String] {
        strings.sorted { codePointLess($0, $1) }
    }

    /// `str.isspace()` for a single code point (`Py_UNICODE_ISSPACE`: bidirectional class
    /// WS, B or S, or general category Zs). Identical for CPython 3.11 (Unicode 14) and 3.12
    /// (Unicode 15).
    public static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A,
             0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Python `str.strip()` (no argument): removes leading and trailing `str.isspace()` code points.
    public static func strip(_ s: String) -> String {
        let sc = PySemUtil.scalars(s)
        return PySemUtil.string(stripScalars(sc))
    }

    /// Python `str.lstrip()`.
    public static func lstrip(_ s: String) -> String {
        let sc = PySemUtil.scalars(s)
        var i = 0
        while i < sc.count && isSpace(sc[i]) { i += 1 }
        return PySemUtil.string(sc[i...])
    }

    /// Python `str.rstrip()`.
    public static func rstrip(_ s: String) -> String {
        let sc = PySemUtil.scalars(s)
        var j = sc.count
        while j > 0 && isSpace(sc[j - 1]) { j -= 1 }
        return PySemUtil.string(sc[..<j])
    }

    static func stripScalars(_ sc: PyScalars) -> PyScalars {
        var i = 0
        var j = sc.count
        while i < j && isSpace(sc[i]) { i += 1 }
        while j > i && isSpace(sc[j - 1]) { j -= 1 }
        return Array(sc[i..<j])
    }
}
