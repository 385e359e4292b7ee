import Foundation

/// The helper's answer did not have the shape this binary reads: a key missing or of another kind.
/// Its text names the path (`answer.collect.storage.manifest_strict: expected a bool, found
/// nothing`), so a renamed key fails loudly instead of turning into a default.
public struct WireError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Strict reading of one JSON value of the helper's answer, with the path that leads to it.
/// `required` accessors fail on a missing key or a wrong kind; `optional` ones accept a missing key
/// or null and fail on a wrong kind.
struct Wire {
    let value: Any?
    let path: String

    init(_ value: Any?, path: String) {
        self.value = value
        self.path = path
    }

    /// The protocol version of the JSON exchanged with the `.py` helpers; the helper's
    /// `PROTOCOL` must be the same (checked when the interpreter starts).
    static let protocolVersion = 3

    static func parse(_ text: String, what: String) throws(WireError) -> Wire {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else {
            throw WireError(description: "\(what): the helper's answer is not JSON")
        }
        return Wire(object, path: what)
    }

    var isNull: Bool { value == nil || value is NSNull }

    /// JSONSerialization's numbers: "c" for true/false, "d" for floats, integer codes otherwise.
    private var numberCode: String? {
        (value as? NSNumber).map { String(cString: $0.objCType) }
    }

    private func fail(_ expected: String) -> WireError {
        let found: String = switch value {
        case nil: "nothing"
        case is NSNull: "null"
        case _ where numberCode == "c": "a bool"
        case is NSNumber: "a number"
        case is String: "a string"
        case is [Any]: "a list"
        case is [String: Any]: "an object"
        default: "\(type(of: value!))"
        }
        return WireError(description: "\(path): expected \(expected), found \(found)")
    }

    // MARK: this value

    func string() throws(WireError) -> String {
        guard let text = value as? String else { throw fail("a string") }
        return text
    }

    func int() throws(WireError) -> Int {
        guard let number = value as? NSNumber, let code = numberCode, code != "c", code != "d", code != "f"
        else { throw fail("an integer") }
        return number.intValue
    }

    func bool() throws(WireError) -> Bool {
        guard let number = value as? NSNumber, numberCode == "c" else { throw fail("a bool") }
        return number.boolValue
    }

    func list() throws(WireError) -> [Wire] {
        guard let items = value as? [Any] else { throw fail("a list") }
        return items.enumerated().map { Wire($1, path: "\(path)[\($0)]") }
    }

    /// An object's members, in key order.
    func members() throws(WireError) -> [(key: String, value: Wire)] {
        guard let object = value as? [String: Any] else { throw fail("an object") }
        return object.keys.sorted().map { ($0, Wire(object[$0], path: "\(path).\($0)")) }
    }

    func strings() throws(WireError) -> [String] {
        var out: [String] = []
        for item in try list() { out.append(try item.string()) }
        return out
    }

    /// An object whose members are all read by `read`.
    func map<T>(_ read: (Wire) throws(WireError) -> T) throws(WireError) -> [String: T] {
        var out: [String: T] = [:]
        for (key, member) in try members() { out[key] = try read(member) }
        return out
    }

    func mapList<T>(_ read: (Wire) throws(WireError) -> T) throws(WireError) -> [T] {
        var out: [T] = []
        for item in try list() { out.append(try read(item)) }
        return out
    }

    // MARK: members

    /// A member that must be present (it may be null: read it with an optional accessor).
    subscript(key: String) -> Wire {
        Wire((value as? [String: Any])?[key], path: "\(path).\(key)")
    }

    func has(_ key: String) -> Bool { !self[key].isNull }

    func string(_ key: String) throws(WireError) -> String { try self[key].string() }
    func int(_ key: String) throws(WireError) -> Int { try self[key].int() }
    func bool(_ key: String) throws(WireError) -> Bool { try self[key].bool() }
    func strings(_ key: String) throws(WireError) -> [String] { try self[key].strings() }

    func optionalString(_ key: String) throws(WireError) -> String? {
        let member = self[key]
        return member.isNull ? nil : try member.string()
    }

    func optionalInt(_ key: String) throws(WireError) -> Int? {
        let member = self[key]
        return member.isNull ? nil : try member.int()
    }

    func optional(_ key: String) -> Wire? {
        let member = self[key]
        return member.isNull ? nil : member
    }
}
