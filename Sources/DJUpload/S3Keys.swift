import PythonStdlib
import DJCollect
import DJStaticFiles

/// django-storages' name → object key mapping (`storages.utils.clean_name` and `safe_join`,
/// then `S3Storage._normalize_name`), on Python's posixpath semantics.
public enum S3Keys {
    public struct Escape: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "SuspiciousOperation: Attempted access to '\(name)' denied." }
    }

    /// `clean_name(name)`: normalised, backslashes as "/", a trailing "/" kept, "." as "".
    public static func cleanName(_ name: String) -> String {
        var clean = PyString.replace(PyPath.normpath(name), "\\", with: "/")
        if name.hasSuffix("/") && !clean.hasSuffix("/") { clean += "/" }
        return clean == "." ? "" : clean
    }

    /// `safe_join(location, name)` with its leading "/" stripped; throws where Django's storage
    /// raises SuspiciousOperation (the name escapes the location).
    public static func key(location: String, name: String) throws(Escape) -> String {
        let cleaned = cleanName(name)
        var base = location
        while base.hasSuffix("/") { base.removeLast() }
        var final = base + "/"
        let joined = PyPath.normpath(PyPath.join(final, cleaned))
        final = cleaned.hasSuffix("/") || joined + "/" == final ? joined + "/" : joined
        if final == base { final += "/" }
        let baseCount = base.unicodeScalars.count
        let scalars = Array(final.unicodeScalars)
        guard final.hasPrefix(base), scalars.count > baseCount, scalars[baseCount] == "/" else { throw Escape(name: name) }
        return String(final.drop { $0 == "/" })
    }

    /// The prefix under which the storage's keys live ("" for the whole bucket, else "location/").
    public static func prefix(location: String) -> String {
        (try? key(location: location, name: "")) ?? ""
    }
}
