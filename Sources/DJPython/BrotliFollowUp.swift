import Foundation

/// Brotli compression for `djstatic collect` with a WhiteNoise storage: after `evaluate` described
/// the storage, the project's own `brotli` module (through whitenoise's compressor) compresses in
/// the interpreter that evaluated the settings.
public enum BrotliFollowUp {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes the Brotli output of each job's `source` into its `destination`; returns the sizes.
    public static func compress(_ jobs: [(source: String, destination: String)]) throws(Failure) -> [Int] {
        guard let installation = PythonRuntime.shared.loadedInstallation else {
            throw Failure(description: "the settings have not been evaluated in this process")
        }
        let request = jobs.map { [$0.source, $0.destination] }
        guard let data = try? JSONSerialization.data(withJSONObject: request) else {
            throw Failure(description: "brotli_compress: paths that are not valid JSON strings")
        }
        let text: String
        do {
            text = try PythonRuntime.shared.call("brotli_compress", argument: String(decoding: data, as: UTF8.self),
                                                 installation: installation, timeout: nil, capture: false).result
        } catch {
            throw Failure(description: "\(error)")
        }
        guard let sizes = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [Int], sizes.count == jobs.count else {
            throw Failure(description: "unreadable answer from brotli_compress")
        }
        return sizes
    }
}
