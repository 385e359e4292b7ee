import Foundation

/// What a finished child process left behind.
struct ProcessResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
    /// True when it ended by a signal rather than exit().
    var signalled: Bool

    /// For failure messages.
    var summary: String {
        "exit status \(status)\(signalled ? " (signal)" : "")\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
    }
}

struct SupportError: Error, CustomStringConvertible {
    var description: String
}

/// Collects bytes written from another thread.
private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func set(_ value: Data) {
        lock.lock()
        data = value
        lock.unlock()
    }

    func get() -> Data {
        lock.lock()
        defer { lock.unlock() }
        return data
    }
}

/// Runs `executable` with `arguments` and waits for it. `environment` replaces the child's
/// environment entirely when given (nil: inherit ours). Standard output and standard error are
/// drained concurrently, so a child that fills one pipe while we read the other cannot deadlock.
/// `input` is written to the child's standard input (nil: /dev/null).
func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                currentDirectory: URL? = nil, input: String? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let outPipe = Pipe()
    let errPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    let inPipe = input.map { _ in Pipe() }
    process.standardInput = inPipe ?? FileHandle.nullDevice
    try process.run()
    if let writer = inPipe?.fileHandleForWriting, let input {
        let bytes = Data(input.utf8)
        Thread.detachNewThread {
            // The child may exit without reading (EPIPE is ignored by the Swift runtime's SIGPIPE setting).
            try? writer.write(contentsOf: bytes)
            try? writer.close()
        }
    }

    let errHandle = errPipe.fileHandleForReading
    let errData = DataBox()
    let errDone = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        errData.set(errHandle.readDataToEndOfFile())
        errDone.signal()
    }
    let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
    errDone.wait()
    process.waitUntilExit()

    return ProcessResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData.get(), as: UTF8.self),
                         signalled: process.terminationReason == .uncaughtSignal)
}

/// Locations the CLI tests depend on.
enum Paths {
    /// The package root (this file is Tests/CLITests/Support.swift).
    static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fixtures = repository.appendingPathComponent("fixtures")
    static let referenceDumper = repository.appendingPathComponent("Tests/Reference/dump_settings.py")

    static func venv(_ name: String) -> URL { repository.appendingPathComponent(".venvs/\(name)") }
    static func python(_ venv: String) -> URL { Self.venv(venv).appendingPathComponent("bin/python") }

    /// The `djstatic` built alongside this test bundle: the first executable named djstatic in
    /// the directory of the running test binary/bundle or one of its parents (so the test always
    /// exercises the binary of its own build directory, e.g. .build-fixtures/debug/). The
    /// DJSTATIC_BIN environment variable overrides the search.
    static func djstatic() throws -> URL {
        let fm = FileManager.default
        if let override = ProcessInfo.processInfo.environment["DJSTATIC_BIN"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        var starts: [URL] = [Bundle(for: BundleMarker.self).bundleURL, Bundle.main.bundleURL]
        if let first = ProcessInfo.processInfo.arguments.first, first.contains("/") {
            starts.append(URL(fileURLWithPath: first).resolvingSymlinksInPath())
        }
        for start in starts {
            var directory = start.standardizedFileURL
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("djstatic")
                var isDirectory: ObjCBool = false
                if fm.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                   fm.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        throw SupportError(description: "no djstatic executable next to the test bundle (searched from "
                           + starts.map(\.path).joined(separator: ", ") + "); build it first, or set DJSTATIC_BIN")
    }

    /// A small, fixed environment for child processes, so nothing from the developer's shell
    /// (DJANGO_SETTINGS_MODULE, VIRTUAL_ENV, AWS_*, ...) leaks into the settings under test.
    static func baseEnvironment() -> [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        var environment = ["PATH": inherited["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
                           "PYTHONDONTWRITEBYTECODE": "1"]
        for key in ["HOME", "TMPDIR", "LANG", "LC_ALL"] {
            if let value = inherited[key] { environment[key] = value }
        }
        return environment
    }
}

private final class BundleMarker {}

/// KEY=VALUE lines of a fixture's .env.test (blank lines and # comments skipped; the fixtures
/// keep values unquoted so every .env reader agrees on them).
func readEnvFile(_ url: URL) throws -> [String: String] {
    let text = try String(contentsOf: url, encoding: .utf8)
    var values: [String: String] = [:]
    for line in text.split(whereSeparator: \.isNewline) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
        guard let equals = trimmed.firstIndex(of: "=") else {
            throw SupportError(description: "\(url.path): not KEY=VALUE: \(trimmed)")
        }
        values[String(trimmed[..<equals])] = String(trimmed[trimmed.index(after: equals)...])
    }
    return values
}

/// Parses a JSON object (the whole text).
func jsonObject(_ text: String, what: String) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw SupportError(description: "\(what): not a JSON object")
    }
    return object
}

/// Whether two parsed JSON values are the same: their canonical texts are byte-for-byte equal
/// (so true differs from 1, and strings differing only in Unicode normalisation differ).
func sameJSON(_ a: Any, _ b: Any) -> Bool {
    Array(canonicalJSON(a).utf8) == Array(canonicalJSON(b).utf8)
}

/// A canonical text for a parsed JSON value (sorted keys): distinguishes true from 1, which
/// NSNumber equality does not.
func canonicalJSON(_ value: Any) -> String {
    guard let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys, .withoutEscapingSlashes]) else {
        return String(describing: value)
    }
    return String(decoding: data, as: UTF8.self)
}
