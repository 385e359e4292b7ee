/// A string as a Python `dict` key or `set` member: equal to another only when their code points
/// are (Swift's `String ==` is canonical equivalence: a precomposed "é" equals "e" + U+0301,
/// two different names to Python and to the file system). Holds the string itself, sharing its
/// storage: a key costs no copy of the name.
public struct PyStrKey: Hashable, Sendable {
    public let string: String

    public init(_ string: String) {
        self.string = string
    }

    public static func == (a: PyStrKey, b: PyStrKey) -> Bool {
        PyString.codePointEqual(a.string, b.string)
    }

    public func hash(into hasher: inout Hasher) {
        var string = string
        string.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

extension PyStrKey: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self.init(value)
    }
}
