import DJCheck
import DJPython
import Foundation

/// Repository paths and throw-away projects for tests that run the real interpreter.
enum TestProject {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// The Django 5.2 / Python 3.11 virtualenv made by Scripts/bootstrap.
    static let venv = repository + "/.venvs/dj52"

    /// Writes `files` (relative path -> text) into a new temporary directory.
    static func make(_ files: [String: String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("djstatic-test-\(UUID().uuidString)").path
        for (relative, text) in files {
            let path = directory + "/" + relative
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return directory
    }

    static func checker(environment: [String: String] = [:], djangoVersion: String? = nil, select: [String] = [],
                        timeout: Double = 10, strict: Bool = false) -> Checker {
        var options = EvaluationOptions()
        options.pythonPaths = [venv]
        options.environment = environment
        options.timeout = timeout
        options.strictEnvironment = strict
        return Checker(options: options, select: select, djangoVersion: djangoVersion, processEnvironment: [:])
    }
}
