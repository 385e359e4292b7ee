// Character predicates and case mappings with exactly the semantics CPython's `_sre`
// uses for `str` patterns (SRE_FLAG_UNICODE), backed by tables generated from CPython.

/// Which CPython Unicode database the `\w` / `\d` classes follow.
/// (Python 3.11 ships Unicode 14.0, Python 3.12 ships Unicode 15.0; every other table
/// that `re` uses – whitespace, case mapping, "is cased" – is identical in both.)
public enum PyUnicodeVersion: Sendable, Hashable {
    case python311
    case python312
}

/// Sorted, non-overlapping closed ranges of code points with binary-search lookup.
struct PyRangeTable: Sendable {
    let lows: [UInt32]
    let highs: [UInt32]

    init(ranges: [(UInt32, UInt32)]) {
        lows = ranges.map { $0.0 }
        highs = ranges.map { $0.1 }
    }

    init(parsing text: String) {
        var rs: [(UInt32, UInt32)] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "," }) {
            if let dash = token.firstIndex(of: "-") {
                let a = UInt32(token[..<dash], radix: 16)!
                let b = UInt32(token[token.index(after: dash)...], radix: 16)!
                rs.append((a, b))
            } else {
                let a = UInt32(token, radix: 16)!
                rs.append((a, a))
            }
        }
        self.init(ranges: rs)
    }

    @inline(__always)
    func contains(_ c: UInt32) -> Bool {
        var lo = 0
        var hi = lows.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if lows[mid] <= c {
                lo = mid &+ 1
            } else {
                hi = mid
            }
        }
        return lo > 0 && c <= highs[lo &- 1]
    }
}

/// A case mapping stored as runs: `start, count, delta, stride`.
struct PyCaseMap: Sendable {
    let starts: [UInt32]
    let counts: [UInt32]
    let deltas: [Int32]
    let strides: [UInt32]
    /// Dense map for the BMP (most lookups), built once.
    let bmp: [UInt16]

    init(parsing text: String) {
        var s: [UInt32] = [], c: [UInt32] = [], d: [Int32] = [], st: [UInt32] = []
        for entry in text.split(separator: ",") {
            let f = entry.split(whereSeparator: { $0 == " " || $0 == "\n" })
            precondition(f.count == 4, "bad case map entry")
            s.append(UInt32(f[0], radix: 16)!)
            c.append(UInt32(f[1], radix: 16)!)
            d.append(Int32(f[2], radix: 16)!)
            st.append(UInt32(f[3], radix: 16)!)
        }
        starts = s; counts = c; deltas = d; strides = st
        var dense = [UInt16](repeating: 0, count: 0x10000)
        for i in 0..<0x10000 { dense[i] = UInt16(i) }
        for k in 0..<s.count {
            for j in 0..<c[k] {
                let from = s[k] + j * st[k]
                let to = Int64(from) + Int64(d[k])
                if from < 0x10000 {
                    precondition(to >= 0 && to < 0x10000, "BMP character mapped outside the BMP")
                    dense[Int(from)] = UInt16(to)
                }
            }
        }
        bmp = dense
    }

    @inline(__always)
    func map(_ c: UInt32) -> UInt32 {
        if c < 0x10000 { return UInt32(bmp[Int(c)]) }
        return mapSlow(c)
    }

    func mapSlow(_ c: UInt32) -> UInt32 {
        var lo = 0
        var hi = starts.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if starts[mid] <= c { lo = mid + 1 } else { hi = mid }
        }
        if lo == 0 { return c }
        let k = lo - 1
        let off = c - starts[k]
        if off % strides[k] != 0 || off / strides[k] >= counts[k] { return c }
        return UInt32(Int64(c) + Int64(deltas[k]))
    }
}

enum PyUnicode {
    static let spaceTable = PyRangeTable(parsing: PyRegexUnicodeData.space)
    static let word311 = PyRangeTable(parsing: PyRegexUnicodeData.word311)
    static let word312 = PyRangeTable(parsing: PyRegexUnicodeData.word312)
    static let digit311 = PyRangeTable(parsing: PyRegexUnicodeData.digit311)
    static let digit312 = PyRangeTable(parsing: PyRegexUnicodeData.digit312)
    static let casedTable = PyRangeTable(parsing: PyRegexUnicodeData.cased)
    static let lowerMap = PyCaseMap(parsing: PyRegexUnicodeData.lower)
    static let upperMap = PyCaseMap(parsing: PyRegexUnicodeData.upper)

    /// `_sre.unicode_tolower` (first character of the full lowercase mapping).
    @inline(__always)
    static func lower(_ c: UInt32) -> UInt32 {
        if c < 0x80 {
            return (c &- 0x41) < 26 ? c | 0x20 : c
        }
        return lowerMap.map(c)
    }

    /// `_PyUnicode_ToUppercase`.
    static func upper(_ c: UInt32) -> UInt32 {
        if c < 0x80 {
            return (c &- 0x61) < 26 ? c & ~0x20 : c
        }
        return upperMap.map(c)
    }

    /// `_sre.unicode_iscased`.
    static func isCased(_ c: UInt32) -> Bool {
        casedTable.contains(c)
    }

    /// `Py_UNICODE_ISSPACE` == `str.isspace()`.
    @inline(__always)
    static func isSpace(_ c: UInt32) -> Bool {
        if c < 0x80 {
            return (c &- 9) < 5 || (c &- 0x1c) < 5
        }
        return c == 0x85 || c == 0xa0 || (c >= 0x1680 && spaceTable.contains(c))
    }

    /// `SRE_UNI_IS_WORD`: `str.isalnum()` or `_`.
    @inline(__always)
    static func isWord(_ c: UInt32, _ version: PyUnicodeVersion) -> Bool {
        if c < 0x80 {
            return (c &- 0x30) < 10 || ((c | 0x20) &- 0x61) < 26 || c == 0x5f
        }
        return version == .python312 ? word312.contains(c) : word311.contains(c)
    }

    /// `Py_UNICODE_ISDECIMAL`.
    @inline(__always)
    static func isDigit(_ c: UInt32, _ version: PyUnicodeVersion) -> Bool {
        if c < 0x80 { return (c &- 0x30) < 10 }
        return version == .python312 ? digit312.contains(c) : digit311.contains(c)
    }

    /// `_EXTRA_CASES` from CPython's Lib/re/_casefix.py (identical in 3.11 and 3.12):
    /// maps a lowercased character to the other lowercased characters that share its uppercase.
    static let extraCases: [UInt32: [UInt32]] = [
        0x0069: [0x0131], 0x0073: [0x017f], 0x00b5: [0x03bc], 0x0131: [0x0069], 0x017f: [0x0073],
        0x0345: [0x03b9, 0x1fbe], 0x0390: [0x1fd3], 0x03b0: [0x1fe3], 0x03b2: [0x03d0], 0x03b5: [0x03f5],
        0x03b8: [0x03d1], 0x03b9: [0x0345, 0x1fbe], 0x03ba: [0x03f0], 0x03bc: [0x00b5], 0x03c0: [0x03d6],
        0x03c1: [0x03f1], 0x03c2: [0x03c3], 0x03c3: [0x03c2], 0x03c6: [0x03d5], 0x03d0: [0x03b2],
        0x03d1: [0x03b8], 0x03d5: [0x03c6], 0x03d6: [0x03c0], 0x03f0: [0x03ba], 0x03f1: [0x03c1],
        0x03f5: [0x03b5], 0x0432: [0x1c80], 0x0434: [0x1c81], 0x043e: [0x1c82], 0x0441: [0x1c83],
        0x0442: [0x1c84, 0x1c85], 0x044a: [0x1c86], 0x0463: [0x1c87], 0x1c80: [0x0432], 0x1c81: [0x0434],
        0x1c82: [0x043e], 0x1c83: [0x0441], 0x1c84: [0x0442, 0x1c85], 0x1c85: [0x0442, 0x1c84],
        0x1c86: [0x044a], 0x1c87: [0x0463], 0x1c88: [0xa64b], 0x1e61: [0x1e9b], 0x1e9b: [0x1e61],
        0x1fbe: [0x0345, 0x03b9], 0x1fd3: [0x0390], 0x1fe3: [0x03b0], 0xa64b: [0x1c88], 0xfb05: [0xfb06],
        0xfb06: [0xfb05],
    ]
}
