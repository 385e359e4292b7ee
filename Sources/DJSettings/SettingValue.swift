/// A Django setting's value as the project's Python produced it, without loss of kind: tuples stay
/// tuples, dict order is kept, paths are distinct from strings. Credentials never reach this type
/// unredacted (the evaluator replaces them with `.secret`).
public indirect enum SettingValue: Sendable, Hashable {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer outside 64 bits, as decimal text.
    case bigInt(String)
    case float(Double)
    case string(String)
    /// bytes, decoded as Latin-1 so every byte maps to one character.
    case bytes(String)
    /// An `os.PathLike` (e.g. `pathlib.Path`), as `os.fspath` returns it.
    case path(String)
    case list([SettingValue])
    case tuple([SettingValue])
    /// A set, sorted for determinism.
    case set([SettingValue])
    case dict([DictEntry])
    /// A credential: only its redacted form.
    case secret(redacted: String)
    /// The stand-in for an environment variable that was not set: its name and the text Python saw
    /// (`djstatic-unset-NAME`, or a URL holding that for variables named like URLs and DSNs).
    case placeholder(variable: String, text: String)
    /// Any other object: its qualified type name and repr.
    case opaque(type: String, repr: String)
    /// A lazy call left unevaluated (`reverse_lazy('login')`): evaluating it could import the
    /// URLconf, which settings never need.
    case lazy(call: String)

    public struct DictEntry: Sendable, Hashable {
        public var key: SettingValue
        public var value: SettingValue
        public init(key: SettingValue, value: SettingValue) {
            self.key = key
            self.value = value
        }
    }

    /// The prefix the evaluator gives placeholder strings (`djstatic-unset-NAME`).
    public static let placeholderPrefix = "djstatic-unset-"
}

extension SettingValue {
    /// The placeholder for an unset variable that is not named like a URL.
    public static func placeholder(variable: String) -> SettingValue {
        .placeholder(variable: variable, text: placeholderPrefix + variable)
    }

    /// `str` or path text; a placeholder reads as the text Python saw.
    public var string: String? {
        switch self {
        case .string(let s), .path(let s): s
        case .placeholder(_, let text): text
        default: nil
        }
    }

    /// True for `str` values (not paths).
    public var isString: Bool {
        if case .string = self { return true }
        if case .placeholder = self { return true }
        return false
    }

    public var isNone: Bool { self == .none }

    /// Elements of a list or tuple.
    public var sequence: [SettingValue]? {
        switch self {
        case .list(let items), .tuple(let items): items
        default: nil
        }
    }

    public var entries: [DictEntry]? {
        if case .dict(let entries) = self { return entries }
        return nil
    }

    /// `d[key]` for a dict with string keys.
    public subscript(key: String) -> SettingValue? {
        entries?.first { $0.key == .string(key) }?.value
    }

    /// Whether the text depends on an environment variable that was not set.
    public var dependsOnUnsetEnvironment: Bool {
        switch self {
        case .placeholder: true
        case .string(let s), .path(let s): s.contains(Self.placeholderPrefix)
        case .list(let items), .tuple(let items), .set(let items): items.contains { $0.dependsOnUnsetEnvironment }
        case .dict(let entries): entries.contains { $0.value.dependsOnUnsetEnvironment }
        default: false
        }
    }

    /// Python truthiness (`bool(value)`); opaque objects count as true.
    public var isTruthy: Bool {
        switch self {
        case .none: false
        case .bool(let b): b
        case .int(let i): i != 0
        case .bigInt: true
        case .float(let d): d != 0
        case .string(let s), .bytes(let s): !s.isEmpty
        case .path: true
        case .list(let items), .tuple(let items), .set(let items): !items.isEmpty
        case .dict(let entries): !entries.isEmpty
        case .secret(let redacted): !redacted.isEmpty
        case .placeholder: true
        case .opaque, .lazy: true
        }
    }

    /// A short Python-like rendering for messages (`'static'`, `None`, `['a', 'b']`).
    public var pythonRepr: String {
        switch self {
        case .none: "None"
        case .bool(let b): b ? "True" : "False"
        case .int(let i): String(i)
        case .bigInt(let s): s
        case .float(let d): String(d)
        case .string(let s): Self.quote(s)
        case .bytes(let s): Self.bytesRepr(s)
        case .path(let s): "PosixPath(\(Self.quote(s)))"
        case .list(let items): "[" + items.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .tuple(let items):
            items.count == 1 ? "(\(items[0].pythonRepr),)" : "(" + items.map(\.pythonRepr).joined(separator: ", ") + ")"
        case .set(let items): items.isEmpty ? "set()" : "{" + items.map(\.pythonRepr).joined(separator: ", ") + "}"
        case .dict(let entries):
            "{" + entries.map { "\($0.key.pythonRepr): \($0.value.pythonRepr)" }.joined(separator: ", ") + "}"
        case .secret(let redacted): Self.quote(redacted)
        case .placeholder(let name, _): "<unset $\(name)>"
        case .opaque(_, let repr): repr
        case .lazy(let call): call
        }
    }

    /// Python's `repr()` of a str: single quotes unless the text contains one and no double
    /// quote; non-printable characters escaped as \xNN, \uNNNN or \UNNNNNNNN.
    public static func quote(_ s: String) -> String {
        reprQuoted(s.unicodeScalars.map(\.value), bytes: false)
    }

    /// Python's `repr()` of bytes (given as Latin-1 text, one character per byte).
    public static func bytesRepr(_ latin1: String) -> String {
        "b" + reprQuoted(latin1.unicodeScalars.map(\.value), bytes: true)
    }

    private static func reprQuoted(_ codes: [UInt32], bytes: Bool) -> String {
        let hasSingle = codes.contains(0x27), hasDouble = codes.contains(0x22)
        let q: UInt32 = hasSingle && !hasDouble ? 0x22 : 0x27
        var out = String(UnicodeScalar(q)!)
        for code in codes {
            switch code {
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case q: out += "\\" + String(UnicodeScalar(q)!)
            default:
                if isPrintable(code, bytes: bytes) {
                    out.unicodeScalars.append(UnicodeScalar(code)!)
                } else if code < 0x100 {
                    out += "\\x" + hex(code, 2)
                } else if code < 0x10000 {
                    out += "\\u" + hex(code, 4)
                } else {
                    out += "\\U" + hex(code, 8)
                }
            }
        }
        out.unicodeScalars.append(UnicodeScalar(q)!)
        return out
    }

    private static func hex(_ value: UInt32, _ width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `str.isprintable()` for one character (bytes: printable ASCII only).
    private static func isPrintable(_ code: UInt32, bytes: Bool) -> Bool {
        if bytes || code < 0x80 { return code >= 0x20 && code < 0x7F }
        guard let scalar = UnicodeScalar(code) else { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
             .spaceSeparator:
            return false
        default:
            return true
        }
    }
}
