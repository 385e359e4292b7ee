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
    /// The stand-in for an environment variable that was not set (its name).
    case placeholder(variable: String)
    /// Any other object: its qualified type name and repr.
    case opaque(type: String, repr: String)

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
    /// `str` or path text; a placeholder reads as the text Python saw.
    public var string: String? {
        switch self {
        case .string(let s), .path(let s): s
        case .placeholder(let name): Self.placeholderPrefix + name
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
        case .opaque: true
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
        case .bytes(let s): "b" + Self.quote(s)
        case .path(let s): "PosixPath(\(Self.quote(s)))"
        case .list(let items): "[" + items.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .tuple(let items):
            items.count == 1 ? "(\(items[0].pythonRepr),)" : "(" + items.map(\.pythonRepr).joined(separator: ", ") + ")"
        case .set(let items): items.isEmpty ? "set()" : "{" + items.map(\.pythonRepr).joined(separator: ", ") + "}"
        case .dict(let entries):
            "{" + entries.map { "\($0.key.pythonRepr): \($0.value.pythonRepr)" }.joined(separator: ", ") + "}"
        case .secret(let redacted): Self.quote(redacted)
        case .placeholder(let name): "<unset $\(name)>"
        case .opaque(_, let repr): repr
        }
    }

    /// Python's `repr()` of a str: single quotes unless the text contains one and no double quote.
    public static func quote(_ s: String) -> String {
        let useDouble = s.contains("'") && !s.contains("\"")
        let q: Character = useDouble ? "\"" : "'"
        var out = String(q)
        for ch in s {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case q: out += "\\\(q)"
            default: out.append(ch)
            }
        }
        out.append(q)
        return out
    }
}
