// Internal helpers shared by the Python-semantics ports.
//
// Python `str` is a sequence of code points and every operation (indexing, slicing, find,
// comparison) is defined on code points. Swift `String` compares canonically-equivalent strings
// as equal and indexes by grapheme cluster, so every port here first converts its input to an
// array of `Unicode.Scalar` (exactly the code points — Swift never normalises stored text), works
// on that array with the Python algorithm, and converts back at the end.

/// A Python `str` value: its code points.
typealias PyScalars = [Unicode.Scalar]

enum PySemUtil {
    @inline(__always)
    static func scalars(_ s: String) -> PyScalars { Array(s.unicodeScalars) }

    @inline(__always)
    static func string<C: Collection>(_ s: C) -> String where C.Element == Unicode.Scalar {
        UTF8Encoding.string(s)
    }

    @inline(__always)
    static func sc(_ v: UInt8) -> Unicode.Scalar { Unicode.Scalar(v) }

    /// `s.find(sub, start, end)`; -1 when absent.
    static func find(_ s: PyScalars, _ sub: PyScalars, _ start: Int = 0, _ end: Int? = nil) -> Int {
        let e = min(end ?? s.count, s.count)
        let st = max(start, 0)
        if sub.isEmpty { return st <= e ? st : -1 }
        if e - st < sub.count { return -1 }
        var i = st
        while i + sub.count <= e {
            if s[i] == sub[0] {
                var ok = true
                var k = 1
                while k < sub.count {
                    if s[i + k] != sub[k] { ok = false; break }
                    k += 1
                }
                if ok { return i }
            }
            i += 1
        }
        return -1
    }

    /// `s.find(ch, start, end)` for a single code point.
    static func find(_ s: PyScalars, _ ch: Unicode.Scalar, _ start: Int = 0, _ end: Int? = nil) -> Int {
        let e = min(end ?? s.count, s.count)
        var i = max(start, 0)
        while i < e {
            if s[i] == ch { return i }
            i += 1
        }
        return -1
    }

    /// `s.rfind(ch)`.
    static func rfind(_ s: PyScalars, _ ch: Unicode.Scalar) -> Int {
        var i = s.count - 1
        while i >= 0 {
            if s[i] == ch { return i }
            i -= 1
        }
        return -1
    }

    static func contains(_ s: PyScalars, _ ch: Unicode.Scalar) -> Bool { s.contains(ch) }

    /// `s.split(sep)` with a single-code-point separator (maxsplit = -1), or `s.split(sep, maxsplit)`.
    static func split(_ s: PyScalars, _ sep: Unicode.Scalar, maxsplit: Int = -1) -> [PyScalars] {
        var out: [PyScalars] = []
        var cur: PyScalars = []
        var splits = 0
        for c in s {
            if c == sep && (maxsplit < 0 || splits < maxsplit) {
                out.append(cur)
                cur = []
                splits += 1
            } else {
                cur.append(c)
            }
        }
        out.append(cur)
        return out
    }

    /// `sep.join(parts)`.
    static func join(_ parts: [PyScalars], _ sep: PyScalars) -> PyScalars {
        var out: PyScalars = []
        for (i, p) in parts.enumerated() {
            if i > 0 { out.append(contentsOf: sep) }
            out.append(contentsOf: p)
        }
        return out
    }

    static func startsWith(_ s: PyScalars, _ prefix: PyScalars) -> Bool {
        s.count >= prefix.count && s[0..<prefix.count].elementsEqual(prefix)
    }

    static func endsWith(_ s: PyScalars, _ suffix: PyScalars) -> Bool {
        s.count >= suffix.count && s[(s.count - suffix.count)...].elementsEqual(suffix)
    }

    /// `s.partition(ch)` -> (before, found, after).
    static func partition(_ s: PyScalars, _ ch: Unicode.Scalar) -> (PyScalars, Bool, PyScalars) {
        let i = find(s, ch)
        if i < 0 { return (s, false, []) }
        return (Array(s[..<i]), true, Array(s[(i + 1)...]))
    }

    /// `s.rpartition(ch)` -> (before, found, after).
    static func rpartition(_ s: PyScalars, _ ch: Unicode.Scalar) -> (PyScalars, Bool, PyScalars) {
        let i = rfind(s, ch)
        if i < 0 { return ([], false, s) }
        return (Array(s[..<i]), true, Array(s[(i + 1)...]))
    }

    /// `s.replace(ch, "")`.
    static func removeAll(_ s: PyScalars, _ ch: Unicode.Scalar) -> PyScalars {
        s.filter { $0 != ch }
    }

    static func isASCII(_ s: PyScalars) -> Bool { s.allSatisfy { $0.value < 0x80 } }

    static func isASCIIAlpha(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
    }

    static func isASCIIDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

    static func isHexDigit(_ c: Unicode.Scalar) -> Bool {
        isASCIIDigit(c) || (c.value >= 0x41 && c.value <= 0x46) || (c.value >= 0x61 && c.value <= 0x66)
    }

    static func hexValue(_ c: Unicode.Scalar) -> Int {
        switch c.value {
        case 0x30...0x39: return Int(c.value - 0x30)
        case 0x41...0x46: return Int(c.value - 0x41 + 10)
        case 0x61...0x66: return Int(c.value - 0x61 + 10)
        default: return -1
        }
    }

    static func lit(_ s: StaticString) -> PyScalars {
        var out: PyScalars = []
        s.withUTF8Buffer { buf in
            for b in buf { out.append(Unicode.Scalar(b)) }
        }
        return out
    }

    /// `bytes.decode("utf-8", "replace")` exactly as CPython's UTF-8 decoder does it: every
    /// maximal invalid subpart (an invalid start byte, or the longest prefix of a valid
    /// multi-byte sequence that is cut short) becomes a single U+FFFD.
    static func decodeUTF8Replace(_ bytes: [UInt8], into out: inout PyScalars) {
        let n = bytes.count
        var i = 0
        let replacement = Unicode.Scalar(0xFFFD)!
        @inline(__always) func isCont(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 {
                out.append(Unicode.Scalar(b0))
                i += 1
                continue
            }
            if b0 < 0xC2 || b0 > 0xF4 {
                out.append(replacement)
                i += 1
                continue
            }
            if b0 < 0xE0 {
                if i + 1 < n && isCont(bytes[i + 1]) {
                    let v = (UInt32(b0 & 0x1F) << 6) | UInt32(bytes[i + 1] & 0x3F)
                    out.append(Unicode.Scalar(v)!)
                    i += 2
                } else {
                    out.append(replacement)
                    i += 1
                }
                continue
            }
            if b0 < 0xF0 {
                let lo: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
                let hi: UInt8 = b0 == 0xED ? 0x9F : 0xBF
                guard i + 1 < n, bytes[i + 1] >= lo, bytes[i + 1] <= hi else {
                    out.append(replacement)
                    i += 1
                    continue
                }
                guard i + 2 < n, isCont(bytes[i + 2]) else {
                    out.append(replacement)
                    i += 2
                    continue
                }
                let v = (UInt32(b0 & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6)
                    | UInt32(bytes[i + 2] & 0x3F)
                out.append(Unicode.Scalar(v)!)
                i += 3
                continue
            }
            // 0xF0 ... 0xF4
            let lo: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let hi: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard i + 1 < n, bytes[i + 1] >= lo, bytes[i + 1] <= hi else {
                out.append(replacement)
                i += 1
                continue
            }
            guard i + 2 < n, isCont(bytes[i + 2]) else {
                out.append(replacement)
                i += 2
                continue
            }
            guard i + 3 < n, isCont(bytes[i + 3]) else {
                out.append(replacement)
                i += 3
                continue
            }
            let v = (UInt32(b0 & 0x07) << 18) | (UInt32(bytes[i + 1] & 0x3F) << 12)
                | (UInt32(bytes[i + 2] & 0x3F) << 6) | UInt32(bytes[i + 3] & 0x3F)
            out.append(Unicode.Scalar(v)!)
            i += 4
        }
    }
}
