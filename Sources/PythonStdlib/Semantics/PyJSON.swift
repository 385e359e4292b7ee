/// A JSON value with Python's shapes: `dict` keeps insertion order, ints are Python ints.
public indirect enum PyJSONValue: Sendable {
    case string(String)
    case int(Int)
    /// A `float` (`json.loads` reads `1.5`, `1e3`, `NaN`, `Infinity` and `-Infinity` as one).
    case float(Double)
    case bool(Bool)
    case null
    case array([PyJSONValue])
    /// A `dict`: key/value pairs in insertion order.
    case object([(key: String, value: PyJSONValue)])
}

/// Ports of CPython's `json.dumps(obj)` and `json.loads(s)` with default arguments (identical in
/// 3.10–3.13).
public enum PyJSON {
    /// `json.dumps(value)`: `ensure_ascii=True`, separators `", "` and `": "`, no sorting,
    /// no indentation.
    ///
    /// Strings are escaped as by `c_encode_basestring_ascii`: `\"`, `\\`, `\n`, `\r`, `\t`,
    /// `\b`, `\f`; every other code point outside U+0020...U+007E (so C0 controls *and*
    /// U+007F DEL) as `\uXXXX` with lower-case hex, astral code points as a UTF-16
    /// surrogate pair.
    public static func dumps(_ value: PyJSONValue) -> String {
        var out: [UInt8] = []
        write(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `json.dumps(s)` for a single string (`encode_basestring_ascii`).
    public static func encodeString(_ s: String) -> String {
        var out: [UInt8] = []
        writeString(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func write(_ value: PyJSONValue, into out: inout [UInt8]) {
        switch value {
        case .string(let s):
            writeString(s, into: &out)
        case .int(let i):
            out.append(contentsOf: String(i).utf8)
        case .float(let d):
            out.append(contentsOf: floatRepr(d).utf8)
        case .bool(let b):
            out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null:
            out.append(contentsOf: "null".utf8)
        case .array(let items):
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C); out.append(0x20) }
                write(item, into: &out)
            }
            out.append(0x5D)
        case .object(let pairs):
            out.append(0x7B)
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out.append(0x2C); out.append(0x20) }
                writeString(pair.key, into: &out)
                out.append(0x3A)
                out.append(0x20)
                write(pair.value, into: &out)
            }
            out.append(0x7D)
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private static func writeU(_ v: UInt32, into out: inout [UInt8]) {
        out.append(0x5C)
        out.append(0x75)
        out.append(hex[Int((v >> 12) & 0xF)])
        out.append(hex[Int((v >> 8) & 0xF)])
        out.append(hex[Int((v >> 4) & 0xF)])
        out.append(hex[Int(v & 0xF)])
    }

    private static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        for c in s.unicodeScalars {
            let v = c.value
            switch v {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x09: out.append(0x5C); out.append(0x74)
            case 0x08: out.append(0x5C); out.append(0x62)
            case 0x0C: out.append(0x5C); out.append(0x66)
            case 0x20...0x7E: out.append(UInt8(v))
            case 0x10000...:
                let w = v - 0x10000
                writeU(0xD800 | (w >> 10), into: &out)
                writeU(0xDC00 | (w & 0x3FF), into: &out)
            default:
                writeU(v, into: &out)
            }
        }
        out.append(0x22)
    }
}

// MARK: - dumps of a float

extension PyJSON {
    /// `json.dumps(x)` for a float: `NaN`, `Infinity`, `-Infinity`, else `float.__repr__`: the
    /// shortest digits that read back as `x` (Swift's `description` finds the same ones), laid out
    /// as CPython's `format_float_short` in mode 'r' does — positional while the decimal point
    /// falls within -4 < decpt <= 16, else with an exponent of at least two digits; ".0" added to
    /// a whole number.
    static func floatRepr(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
        let sign = x.sign == .minus ? "-" : ""
        // Swift writes "123.45", "1e-05" or "1.2345e+20": read off the digits and the place of
        // the decimal point (decpt: digits d1d2... mean 0.d1d2... × 10^decpt).
        let text = x.magnitude.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1])! : 0
        let mantissa = parts[0]
        let point = mantissa.firstIndex(of: ".")
        let whole = point.map { mantissa[..<$0] } ?? mantissa
        let fraction = point.map { mantissa[mantissa.index(after: $0)...] } ?? ""
        var digits = Array(whole + fraction)
        var decpt = whole.count + exponent
        while digits.count > 1, digits.first == "0" { digits.removeFirst(); decpt -= 1 }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        if digits == ["0"] { return sign + "0.0" }
        let body: String
        if decpt > -4 && decpt <= 16 {
            if decpt <= 0 {
                body = "0." + String(repeating: "0", count: -decpt) + String(digits)
            } else if decpt >= digits.count {
                body = String(digits) + String(repeating: "0", count: decpt - digits.count) + ".0"
            } else {
                body = String(digits[..<decpt]) + "." + String(digits[decpt...])
            }
        } else {
            let e = decpt - 1
            let magnitude = String(abs(e))
            body = String(digits[0]) + (digits.count > 1 ? "." + String(digits[1...]) : "")
                + "e" + (e < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
        }
        return sign + body
    }
}

// MARK: - loads

/// What `json.loads` raises `JSONDecodeError` for (the message is CPython's).
public struct PyJSONDecodeError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// Byte offset into the UTF-8 text.
    public var offset: Int
    public var description: String { "\(message) (at byte \(offset))" }
}

/// A text `json.loads` reads, whose value Swift cannot hold as Python does: a lone surrogate in
/// a string, an integer outside `Int`, nesting deeper than `PyJSON.maximumDepth`.
public struct PyJSONUnrepresentable: Error, Sendable, CustomStringConvertible {
    public var description: String
}

extension PyJSON {
    public enum LoadError: Error, Sendable, CustomStringConvertible {
        case decode(PyJSONDecodeError)
        case unrepresentable(PyJSONUnrepresentable)
        public var description: String {
            switch self {
            case .decode(let error): "not JSON: \(error)"
            case .unrepresentable(let error): "\(error)"
            }
        }
    }

    /// Nesting this deep is refused rather than recursed into (CPython's own limit is its
    /// recursion limit, about 1000).
    public static let maximumDepth = 500

    /// `json.loads(s)` for a `str`, as CPython's C scanner reads it: whitespace is space, tab, LF
    /// and CR only; `NaN`, `Infinity`, `-Infinity` are floats; a number with a fraction or an
    /// exponent is a float, else an int; strings may not hold a raw control character (strict);
    /// `\uXXXX` pairs of surrogates join; an object with a repeated key keeps the key's first
    /// position and its last value (a `dict`); a leading U+FEFF is an error.
    public static func loads(_ text: String) throws(LoadError) -> PyJSONValue {
        var text = text
        return try text.withUTF8 { bytes in
            Result { () throws(LoadError) in
                var scanner = JSONScanner(bytes: bytes)
                if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { throw scanner.error("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0) }
                scanner.skipWhitespace()
                let scanned = try scanner.value(depth: 0)
                scanner.skipWhitespace()
                if scanner.index != bytes.count { throw scanner.error("Extra data", scanner.index) }
                if let refusal = scanned.refusal { throw .unrepresentable(refusal) }
                return scanned.value
            }
        }.get()
    }
}

/// A value read, and the first part of it Swift cannot hold as Python does. Reading goes on past
/// such a part: the text may still be one `json.loads` rejects (then that is the answer), and a
/// later repeated key may replace it (then it is gone from the `dict`, as in Python).
private typealias Scanned = (value: PyJSONValue, refusal: PyJSONUnrepresentable?)

private struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func error(_ message: String, _ offset: Int) -> PyJSON.LoadError {
        .decode(PyJSONDecodeError(message: message, offset: offset))
    }

    func refusal(_ what: String, at offset: Int) -> PyJSONUnrepresentable {
        PyJSONUnrepresentable(description: "\(what) (at byte \(offset)): Python reads it, Swift cannot hold it")
    }

    func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    mutating func skipWhitespace() {
        while let c = peek(), c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { index += 1 }
    }

    func follows(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return (0..<count).allSatisfy { bytes[index + $0] == literal.utf8Start[$0] }
    }

    mutating func value(depth: Int) throws(PyJSON.LoadError) -> Scanned {
        guard let c = peek() else { throw error("Expecting value", index) }
        switch c {
        case UInt8(ascii: "\""):
            index += 1
            let string = try string()
            return (.string(string.text), string.refusal)
        case UInt8(ascii: "{"):
            return try object(depth: depth + 1)
        case UInt8(ascii: "["):
            return try array(depth: depth + 1)
        default:
            for (literal, value) in [("null", PyJSONValue.null), ("true", .bool(true)), ("false", .bool(false)),
                                     ("NaN", .float(.nan)), ("Infinity", .float(.infinity)),
                                     ("-Infinity", .float(-.infinity))] as [(StaticString, PyJSONValue)]
            where follows(literal) {
                index += literal.utf8CodeUnitCount
                return (value, nil)
            }
            return try number()
        }
    }

    /// `_match_number_unicode`: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?, where a '.' or
    /// an exponent not followed by digits ends the number before it.
    mutating func number() throws(PyJSON.LoadError) -> Scanned {
        let start = index
        var end = index
        func digit(_ at: Int) -> Bool { at < bytes.count && bytes[at] >= UInt8(ascii: "0") && bytes[at] <= UInt8(ascii: "9") }
        if bytes[end] == UInt8(ascii: "-") { end += 1 }
        guard end < bytes.count, digit(end) else { throw error("Expecting value", start) }
        if bytes[end] == UInt8(ascii: "0") { end += 1 } else { while digit(end) { end += 1 } }
        var isFloat = false
        if end + 1 < bytes.count, bytes[end] == UInt8(ascii: "."), digit(end + 1) {
            isFloat = true
            end += 2
            while digit(end) { end += 1 }
        }
        if end + 1 < bytes.count, bytes[end] == UInt8(ascii: "e") || bytes[end] == UInt8(ascii: "E") {
            var exponent = end + 1
            if bytes[exponent] == UInt8(ascii: "-") || bytes[exponent] == UInt8(ascii: "+") { exponent += 1 }
            if digit(exponent) {
                isFloat = true
                end = exponent
                while digit(end) { end += 1 }
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        index = end
        if isFloat {
            guard let float = Double(text) else { return (.null, refusal("the float \(text.prefix(40))", at: start)) }
            return (.float(float), nil)
        }
        guard let int = Int(text) else { return (.null, refusal("the integer \(text.prefix(40)) is outside Int", at: start)) }
        return (.int(int), nil)
    }

    /// Four hex digits at `at`, or nil.
    func hex4(_ at: Int) -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for c in bytes[at..<at + 4] {
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// A string as read: its text, and when it holds a lone surrogate (which the text leaves
    /// out), the refusal and every code point it has, surrogates included: Python's identity of
    /// the string, for telling keys apart.
    struct ScannedString {
        var text: String
        var refusal: PyJSONUnrepresentable?
        var codePoints: [UInt32]?
    }

    /// `scanstring_unicode` with strict=True, from just after the opening quote.
    mutating func string() throws(PyJSON.LoadError) -> ScannedString {
        let begin = index - 1
        var out: [UInt8] = []
        var lone: [(at: Int, surrogate: UInt32)] = []
        while true {
            let chunk = index
            while let c = peek(), c != UInt8(ascii: "\""), c != UInt8(ascii: "\\") {
                if c <= 0x1F { throw error("Invalid control character at", index) }
                index += 1
            }
            out.append(contentsOf: bytes[chunk..<index])
            guard let c = peek() else { throw error("Unterminated string starting at", begin) }
            index += 1
            if c == UInt8(ascii: "\"") { break }
            guard let escape = peek() else { throw error("Unterminated string starting at", begin) }
            if escape != UInt8(ascii: "u") {
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                default: throw error("Invalid \\escape", index - 1)
                }
                index += 1
                continue
            }
            // CPython asks for a character after the four digits (the closing quote at least).
            guard index + 5 < bytes.count, var scalar = hex4(index + 1) else { throw error("Invalid \\uXXXX escape", index) }
            index += 5
            if (0xD800...0xDBFF).contains(scalar), index + 6 < bytes.count,
               bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                guard let low = hex4(index + 2) else { throw error("Invalid \\uXXXX escape", index + 1) }
                if (0xDC00...0xDFFF).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
            }
            if let unicode = Unicode.Scalar(scalar) {
                out.append(contentsOf: String(unicode).utf8)
            } else {
                lone.append((out.count, scalar))
            }
        }
        let text = String(decoding: out, as: UTF8.self)
        guard let first = lone.first else { return ScannedString(text: text) }
        // Python's code points: the text's, with each lone surrogate where it stood.
        var codePoints: [UInt32] = []
        var from = 0
        for (at, surrogate) in lone {
            codePoints += String(decoding: out[from..<at], as: UTF8.self).unicodeScalars.map(\.value)
            codePoints.append(surrogate)
            from = at
        }
        codePoints += String(decoding: out[from...], as: UTF8.self).unicodeScalars.map(\.value)
        return ScannedString(text: text, refusal: refusal("the lone surrogate \\u\(String(first.surrogate, radix: 16))", at: begin),
                             codePoints: codePoints)
    }

    mutating func enter(_ depth: Int) throws(PyJSON.LoadError) {
        if depth > PyJSON.maximumDepth { throw .unrepresentable(refusal("nesting deeper than \(PyJSON.maximumDepth)", at: index)) }
    }

    /// `_parse_object_unicode`: a `dict` built pair by pair (a repeated key keeps its place and
    /// takes the new value).
    mutating func object(depth: Int) throws(PyJSON.LoadError) -> Scanned {
        try enter(depth)
        index += 1
        var pairs: [(key: String, value: PyJSONValue)] = []
        var refusals: [PyJSONUnrepresentable?] = []
        var position: [PyStrKey: Int] = [:]
        var lonePosition: [[UInt32]: Int] = [:]
        func done() -> Scanned { (.object(pairs), refusals.lazy.compactMap { $0 }.first) }
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; return done() }
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw error("Expecting property name enclosed in double quotes", index) }
            index += 1
            let key = try string()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("Expecting ':' delimiter", index) }
            index += 1
            skipWhitespace()
            let item = try value(depth: depth)
            let at: Int? = if let codePoints = key.codePoints { lonePosition[codePoints] } else { position[PyStrKey(key.text)] }
            if let at {
                pairs[at].value = item.value
                refusals[at] = key.refusal ?? item.refusal
            } else {
                if let codePoints = key.codePoints { lonePosition[codePoints] = pairs.count } else { position[PyStrKey(key.text)] = pairs.count }
                pairs.append((key.text, item.value))
                refusals.append(key.refusal ?? item.refusal)
            }
            skipWhitespace()
            if peek() == UInt8(ascii: "}") { index += 1; return done() }
            guard peek() == UInt8(ascii: ",") else { throw error("Expecting ',' delimiter", index) }
            index += 1
            skipWhitespace()
        }
    }

    /// `_parse_array_unicode`.
    mutating func array(depth: Int) throws(PyJSON.LoadError) -> Scanned {
        try enter(depth)
        index += 1
        var items: [PyJSONValue] = []
        var refusal: PyJSONUnrepresentable?
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { index += 1; return (.array(items), nil) }
        while true {
            let item = try value(depth: depth)
            items.append(item.value)
            refusal = refusal ?? item.refusal
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { index += 1; return (.array(items), refusal) }
            guard peek() == UInt8(ascii: ",") else { throw error("Expecting ',' delimiter", index) }
            index += 1
            skipWhitespace()
        }
    }
}
