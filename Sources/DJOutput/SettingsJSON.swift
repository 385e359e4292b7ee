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
        case .float(let d): Reporter.float(d)
        case .string(let s), .bytes(let s), .path(let s): s
        case .list(let items), .tuple(let items), .set(let items): items.map(\.jsonObject)
        case .dict(let entries):
            Dictionary(entries.map { entry -> (String, Any) in
                if case .string(let key) = entry.key { return (key, entry.value.jsonObject) }
                return (entry.key.pythonRepr, entry.value.jsonObject)  // json keys: repr() of non-str keys
            }) { first, _ in first }
        case .secret(let redacted): redacted
        case .placeholder(_, let text): text
        case .opaque(_, let repr): repr
        case .lazy(let call): ["lazy": call]
        }
    }
}

extension BackendConfiguration {
    /// Plain JSON (for `inspect`): each option with its value, origin and source location.
    public var jsonObject: [String: Any] {
        func place(_ location: SourceLocation?) -> Any {
            location.map { ["file": $0.file, "line": $0.line, "column": $0.column] as [String: Any] } ?? NSNull()
        }
        return [
            "alias": alias, "family": family.rawValue, "class": className, "mro": mro,
            "resolved_by": resolution.rawValue, "location": place(location),
            "options": options.mapValues { option -> [String: Any] in
                let (origin, name): (String, String?) = switch option.origin {
                case .options: ("options", nil)
                case .classAttribute(let owner): ("class", owner)
                case .setting(let setting): ("setting", setting)
                case .environment(let variable): ("environment", variable)
                case .default: ("default", nil)
                }
                return ["value": option.value.jsonObject, "origin": origin, "source": name as Any? ?? NSNull(),
                        "location": place(option.location)]
            },
            "rejected_options": rejectedOptions.map { ["key": $0.key, "location": place($0.location)] },
        ]
    }
}
