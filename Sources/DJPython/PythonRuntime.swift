import CPythonShim
import DJSettings
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The embedded interpreter: one per process (CPython cannot be re-initialised safely), loaded
/// from the first installation asked for. Calls are serialised; each takes the GIL itself, so any
/// thread may call.
public final class PythonRuntime: @unchecked Sendable {
    public static let shared = PythonRuntime()

    public enum RuntimeError: Error, Sendable, CustomStringConvertible {
        case load(library: String, message: String)
        case initialize(String)
        case helper(String)
        case differentPython(loaded: PythonInstallation, requested: PythonInstallation)

        public var description: String {
            switch self {
            case .load(let library, let message): return "cannot load \(library): \(message)"
            case .initialize(let message): return "cannot initialise Python: \(message)"
            case .helper(let message): return "djstatic's evaluator failed inside Python: \(message)"
            case .differentPython(let loaded, let requested):
                return "this run already embeds \(loaded); \(requested) cannot be loaded beside it "
                    + "(run djstatic once per Python)"
            }
        }
    }

    private let lock = NSLock()
    private var installation: PythonInstallation?
    private var helper: OpaquePointer?

    private init() {}

    /// The installation in use, once loaded.
    public var loadedInstallation: PythonInstallation? { lock.withLock { installation } }

    /// Calls `djstatic_evaluator.<function>(argument)` and returns its string result.
    /// `timeout`: seconds before the evaluation is interrupted with EvaluationTimeout, then (after
    /// `grace` more seconds stuck outside Python bytecode) `onHardTimeout` runs and the process exits 2.
    /// `capture`: the process's stdout/stderr are redirected around the call and returned.
    public func call(_ function: String, argument: String, installation requested: PythonInstallation,
                     timeout: Double?, grace: Double = 3, capture: Bool,
                     onHardTimeout: @escaping @Sendable () -> Void = {}) throws(RuntimeError)
        -> (result: String, output: CapturedOutput) {
        lock.lock()
        defer { lock.unlock() }
        let signals = SignalDispositions()  // before the interpreter is loaded: its start-up counts too
        // While Python runs, a handler it installs for the signals that stop djstatic is replaced
        // by djstatic's again within 0.1 s: Ctrl-C stops even settings that ignore it and loop.
        let keeper = DispatchSource.makeTimerSource(queue: .global())
        keeper.schedule(deadline: .now() + 0.1, repeating: 0.1)
        keeper.setEventHandler { signals.restore(only: [SIGINT, SIGTERM, SIGHUP]) }
        keeper.resume()
        defer {
            keeper.cancel()
            signals.restore()
        }
        let module = try start(requested)
        let capturer = capture ? OutputCapture() : nil
        let state = CallState()
        let target = HelperHandle(pointer: module)
        if let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                guard state.running else { return }
                _ = djs_py_interrupt_call(target.pointer, "EvaluationTimeout")
                DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
                    guard state.running else { return }
                    capturer?.restore()
                    onHardTimeout()
                    exit(2)
                }
            }
        }
        var error: UnsafeMutablePointer<CChar>?
        let raw = djs_py_call(module, function, argument, &error)
        state.finish()
        let output = capturer?.finish() ?? CapturedOutput()
        guard let raw else {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            djs_free(error)
            throw .helper(message)
        }
        defer { djs_free(raw) }
        return (String(cString: raw), output)
    }

    private func start(_ requested: PythonInstallation) throws(RuntimeError) -> OpaquePointer {
        if let installation, let helper {
            guard installation.library == requested.library else {
                throw .differentPython(loaded: installation, requested: requested)
            }
            return helper
        }
        var message = [CChar](repeating: 0, count: 1024)
        guard djs_py_load(requested.library, &message, message.count) == 0 else {
            throw .load(library: requested.library, message: Self.text(message))
        }
        guard djs_py_initialize(requested.home, &message, message.count) == 0 else {
            throw .initialize(Self.text(message))
        }
        let directory = HelperResources.directory.path
        guard FileManager.default.isReadableFile(atPath: directory + "/djstatic_evaluator.py") else {
            throw .helper(HelperResources.missing("djstatic_evaluator.py"))
        }
        var error: UnsafeMutablePointer<CChar>?
        guard let module = djs_py_import_module(directory, "djstatic_evaluator", &error) else {
            let text = error.map { String(cString: $0) } ?? "unknown error"
            djs_free(error)
            throw .helper(text)
        }
        installation = requested
        helper = module
        return module
    }
}

extension PythonRuntime {
    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Every signal's handling, saved before a call into Python and put back after it: a handler that
/// settings code installs (`signal.signal(SIGINT, …)` would make Ctrl-C do nothing; Python's
/// handlers interrupt system calls, so a SIGWINCH handler would make I/O fail with EINTR) does not
/// outlive the evaluation, and for SIGINT, SIGTERM and SIGHUP not even 0.1 s of it.
///
/// One exception: a signal that would kill the process by default and that the settings gave a
/// handler (`signal.signal(SIGUSR1, dump_stacks)`) is not put back to its default, which would
/// let the next SIGUSR1 kill a collect that `manage.py collectstatic` survives: it is absorbed
/// instead, by a handler that does nothing and restarts interrupted system calls. (The settings'
/// own handler could only run inside Python, and djstatic runs no settings code after the
/// evaluation.) Faults (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS) are always put back.
struct SignalDispositions: @unchecked Sendable {  // read-only once made
    private var saved: [(Int32, sigaction)] = []

    /// Signals whose default action ends the process and that are sent, not raised by a fault.
    static let absorbable: Set<Int32> = Set([SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2, SIGSTKFLT, SIGXCPU, SIGXFSZ,
                                             SIGVTALRM, SIGPROF, SIGIO, SIGPWR]
                                            + Array(__libc_current_sigrtmin()...__libc_current_sigrtmax()))

    init() {
        for number in Int32(1)..<Int32(65) where number != SIGKILL && number != SIGSTOP {
            var action = sigaction()
            if sigaction(number, nil, &action) == 0 { saved.append((number, action)) }
        }
    }

    /// Puts back every saved disposition that changed (`only`: these signals), absorbing the
    /// absorbable signals the call gave a handler that had none.
    func restore(only: Set<Int32>? = nil) {
        for (number, before) in saved where only?.contains(number) ?? true {
            var now = sigaction()
            guard sigaction(number, nil, &now) == 0 else { continue }
            var old = before
            let same = withUnsafeBytes(of: &now) { a in withUnsafeBytes(of: &old) { b in a.elementsEqual(b) } }
            if same { continue }
            if Self.absorbable.contains(number) && Self.isDefault(before) && !Self.isDefault(now) && !Self.isIgnored(now) {
                var absorb = sigaction()
                absorb.__sigaction_handler.sa_handler = { _ in }
                sigemptyset(&absorb.sa_mask)
                absorb.sa_flags = SA_RESTART
                sigaction(number, &absorb, nil)
            } else {
                sigaction(number, &old, nil)
            }
        }
    }

    private static func isDefault(_ action: sigaction) -> Bool {
        action.sa_flags & SA_SIGINFO == 0 && action.__sigaction_handler.sa_handler == nil
    }

    private static func isIgnored(_ action: sigaction) -> Bool {
        action.sa_flags & SA_SIGINFO == 0 && unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) == 1
    }
}

/// The helper module, handed to the watchdog thread (the shim takes the GIL before using it).
private struct HelperHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// Shared between a call and its watchdog.
private final class CallState: @unchecked Sendable {
    private let lock = NSLock()
    private var active = true
    var running: Bool { lock.withLock { active } }
    func finish() { lock.withLock { active = false } }
}

/// What a call printed (Python, C extensions and subprocesses alike), per stream.
public struct CapturedOutput: Sendable, Equatable {
    public var standardOutput = ""
    public var standardError = ""
    public init(standardOutput: String = "", standardError: String = "") {
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
    public var isEmpty: Bool { standardOutput.isEmpty && standardError.isEmpty }
    /// Both streams, standard output first.
    public var combined: String { standardOutput + standardError }
}

/// Redirects file descriptors 1 and 2 into a temporary file each (Python prints, C extensions
/// and subprocesses alike), so settings code never writes into djstatic's own output.
private final class OutputCapture: @unchecked Sendable {
    private let savedOut: Int32
    private let savedErr: Int32
    private let outFile: UnsafeMutablePointer<FILE>?
    private let errFile: UnsafeMutablePointer<FILE>?
    private var restored = false
    private let lock = NSLock()

    init() {
        fflush(nil)
        savedOut = dup(1)
        savedErr = dup(2)
        outFile = tmpfile()
        errFile = tmpfile()
        if let outFile, let errFile {
            dup2(fileno(outFile), 1)
            dup2(fileno(errFile), 2)
        }
    }

    func restore() {
        lock.lock()
        defer { lock.unlock() }
        guard !restored else { return }
        restored = true
        fflush(nil)
        dup2(savedOut, 1)
        dup2(savedErr, 2)
        close(savedOut)
        close(savedErr)
    }

    /// What was printed to each stream.
    func finish() -> CapturedOutput {
        restore()
        return CapturedOutput(standardOutput: Self.read(outFile), standardError: Self.read(errFile))
    }

    /// What was printed to one stream, up to `limit` bytes (memory stays bounded however much
    /// settings print; the rest stays in the temporary file, which is then closed and gone), with
    /// a note of the rest.
    private static func read(_ file: UnsafeMutablePointer<FILE>?, limit: Int = 1 << 20) -> String {
        guard let file else { return "" }
        defer { fclose(file) }
        fseeko(file, 0, SEEK_END)
        let total = Int(ftello(file))
        rewind(file)
        var bytes = [UInt8](repeating: 0, count: min(total, limit))
        let read = bytes.isEmpty ? 0 : fread(&bytes, 1, bytes.count, file)
        let text = String(decoding: bytes[0..<read], as: UTF8.self)
        return total > read ? text + "\n[djstatic: \(total - read) more bytes of output not shown]\n" : text
    }
}
