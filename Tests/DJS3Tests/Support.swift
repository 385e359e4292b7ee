import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import DJS3

struct TestFailure: Error, CustomStringConvertible {
    var description: String
}

enum Paths {
    /// The package root (this file is Tests/DJS3Tests/Support.swift).
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let tests = repository.appendingPathComponent("Tests/DJS3Tests")
    static let python = repository.appendingPathComponent(".venvs/dj52/bin/python")
    static let motoServer = repository.appendingPathComponent(".venvs/tools/bin/moto_server")
    static let reference = tests.appendingPathComponent("botocore_reference.py")
    static let flakyServer = tests.appendingPathComponent("flaky_server.py")
}

/// Runs the botocore reference script and returns its JSON answer. `environment` replaces the
/// child's environment (nil: inherit); `input` goes to its standard input.
func reference(_ arguments: [String], environment: [String: String]? = nil, input: Data? = nil) throws -> Any {
    let process = Process()
    process.executableURL = Paths.python
    process.arguments = [Paths.reference.path] + arguments
    if let environment { process.environment = environment }
    let stdout = Pipe()
    let stderrFile = FileManager.default.temporaryDirectory.appendingPathComponent("djs3-ref-\(UUID().uuidString).err")
    guard FileManager.default.createFile(atPath: stderrFile.path, contents: nil) else {
        throw TestFailure(description: "cannot create \(stderrFile.path)")
    }
    defer { try? FileManager.default.removeItem(at: stderrFile) }
    process.standardOutput = stdout
    process.standardError = try FileHandle(forWritingTo: stderrFile)
    let stdin = Pipe()
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    try process.run()
    if let input {
        try stdin.fileHandleForWriting.write(contentsOf: input)
        try stdin.fileHandleForWriting.close()
    }
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        let errors = (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
        throw TestFailure(description: "botocore_reference.py \(arguments.first ?? "") failed:\n\(errors)")
    }
    return try JSONSerialization.jsonObject(with: output)
}

/// A child server process (moto or the flaky server) on 127.0.0.1; `stop()` ends it.
final class ServerProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    var endpoint: String { "http://127.0.0.1:\(port)" }

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    /// moto's S3 server on a free port, started and answering.
    static func moto() async throws -> ServerProcess {
        let port = try freePort()
        let process = Process()
        process.executableURL = Paths.motoServer
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = ServerProcess(process: process, port: port)
        try await server.waitUntilAnswering()
        return server
    }

    /// flaky_server.py; it picks its own port and prints it.
    static func flaky() throws -> ServerProcess {
        let process = Process()
        process.executableURL = Paths.python
        process.arguments = [Paths.flakyServer.path]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try stdout.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != 10 {
            line.append(first)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            kill(process.processIdentifier, SIGKILL)
            throw TestFailure(description: "flaky_server.py printed no port")
        }
        return ServerProcess(process: process, port: port)
    }

    /// SIGKILL: children of the test runner inherit a signal mask that blocks SIGTERM.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// Polls with TCP connects for up to 30 s.
    private func waitUntilAnswering() async throws {
        for _ in 0..<300 {
            if Self.accepts(port: port) { return }
            guard process.isRunning else { throw TestFailure(description: "server exited during start-up") }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        throw TestFailure(description: "server on port \(port) did not answer within 30 s")
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A port the kernel hands out for 127.0.0.1 (bind to 0, read it back, close).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure(description: "socket() failed") }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw TestFailure(description: "bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Test credentials moto accepts.
let motoCredentials = S3Credentials(accessKeyID: "testing", secretAccessKey: "testing")
