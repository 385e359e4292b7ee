import DJSettings
import Foundation

extension SettingValue {
    /// Plain JSON (for `inspect`): paths and strings as strings, tuples and sets as arrays,
    /// credentials in their redacted form, other objects as their repr.
    public var jsonObject: Any {
        switch self {
        case .none: NSNull()
        case .bool(let b): b
        case .int(let i): i
        case .bigInt(let s): Decimal(string: s) ?? s
        case .float(let d): d
        case .string(let s), .bytes(let s), .path(let s): s
        case .list(let items), .tuple(let items), .set(let items): items.map(\.jsonObject)
        case .dict(let entries):
            Dictionary(entries.map { entry -> (String, Any) in
                if case .string(let key) = entry.key { return (key, entry.value.jsonObject) }
                return (entry.key.pythonRepr, entry.value.jsonObject)  // json keys: repr() of non-str keys
            }) { first, _ in first }
        case .secret(let redacted): redacted
        case .placeholder(let name): SettingValue.placeholderPrefix + name
        case .opaque(_, let repr): repr
        }
    }
}
