import DJProject
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

extension TestProject {
    /// Runs `script` with `.venvs/<venv>/bin/python` and returns its stdout (throws on failure).
    static func runPython(venv: String, script: String, arguments: [String] = [], input: String = "") throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: repository + "/.venvs/\(venv)/bin/python")
        process.arguments = ["-c", script] + arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let errors = DispatchQueue.global().sync { stderr.fileHandleForReading.readDataToEndOfFile() }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CheckError.python("python exited \(process.terminationStatus): " + String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self)
    }
}
