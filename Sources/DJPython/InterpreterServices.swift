import Foundation

/// What collect, upload and prune ask the project's interpreter after `evaluate` described the
/// staticfiles storage: for S3, its credentials and the MIME types django-storages would send; for
/// WhiteNoise, Brotli compression by the project's own `brotli` module. All run in the interpreter
/// that evaluated the settings (it must be loaded already). The executable hands these functions
/// to the collect pipeline and the uploader, which never see the interpreter themselves.
public enum InterpreterServices {
    public enum Failure: Error, CustomStringConvertible {
        case notEvaluated
        case helper(String)
        public var description: String {
            switch self {
            case .notEvaluated: "the settings have not been evaluated in this process"
            case .helper(let message): message
            }
        }
    }

    /// The S3 storage's own credentials (nil entries where the storage has none). Never print them.
    public static func s3Credentials() throws(Failure) -> [String: String] {
        let object = try call("s3_credentials", argument: "null")
        var out: [String: String] = [:]
        for case let (key, value as String) in object as? [String: Any] ?? [:] { out[key] = value }
        return out
    }

    /// `mimetypes.guess_type(name)` for each name: (type, encoding).
    public static func guessTypes(_ names: [String]) throws(Failure) -> [(type: String?, encoding: String?)] {
        let argument = String(decoding: (try? JSONSerialization.data(withJSONObject: names)) ?? Data("[]".utf8), as: UTF8.self)
        let rows = try call("guess_types", argument: argument) as? [[Any]] ?? []
        guard rows.count == names.count else { throw .helper("guess_types answered \(rows.count) rows for \(names.count) names") }
        return rows.map { ($0.first as? String, $0.count > 1 ? $0[1] as? String : nil) }
    }

    /// Writes the Brotli output of each job's `source` into its `destination`, as WhiteNoise's
    /// compressor would; returns the compressed sizes.
    public static func brotliCompress(_ jobs: [(source: String, destination: String)]) throws(Failure) -> [Int] {
        guard let data = try? JSONSerialization.data(withJSONObject: jobs.map { [$0.source, $0.destination] }) else {
            throw .helper("brotli_compress: paths that are not valid JSON strings")
        }
        guard let sizes = try call("brotli_compress", argument: String(decoding: data, as: UTF8.self)) as? [Int],
              sizes.count == jobs.count else {
            throw .helper("unreadable answer from brotli_compress")
        }
        return sizes
    }

    private static func call(_ function: String, argument: String) throws(Failure) -> Any {
        guard let installation = PythonRuntime.shared.loadedInstallation else { throw .notEvaluated }
        let text: String
        do {
            text = try PythonRuntime.shared.call(function, argument: argument, installation: installation, timeout: nil,
                                                 capture: false).result
        } catch {
            throw .helper("\(error)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else {
            throw .helper("unreadable answer from \(function)")
        }
        return object
    }
}
