/// A JSON value with Python's shapes: `dict` keeps insertion order, ints are Python ints.
public indirect enum PyJSONValue: Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([PyJSONValue])
    /// A `dict`: key/value pairs in insertion order.
    case object([(key: String, value: PyJSONValue)])
}

/// Port of CPython's `json.dumps(obj)` with default arguments (identical in 3.11 and 3.12).
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
