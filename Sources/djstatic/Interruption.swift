import DJCollect
import DJStaticFiles
import Foundation
import Glibc

/// Write end of the pipe the signal handler wakes the watcher thread through.
private nonisolated(unsafe) var interruptionPipe: Int32 = -1

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP end djstatic promptly and cleanly, whatever it is doing —
/// evaluating settings inside Python, copying, hashing or uploading: the handler only writes the
/// signal number into a pipe; a watcher thread then removes the temporary files being written
/// (nothing partial is ever under a final name; see `SafeIO`) and the S3 staging tree, and exits
/// with 128 + the signal number (130 for Ctrl-C). Python code cannot take these signals away for
/// longer than one call into the interpreter: `PythonRuntime` puts every signal's handling back
/// as it was after each call.
enum Interruption {
    static func install() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            signal(SIGINT) { _ in _exit(130) }  // no watcher: at least stop at once
            return
        }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        interruptionPipe = fds[1]
        let reader = fds[0]
        let watcher = Thread {
            var number: UInt8 = 0
            while true {
                let n = read(reader, &number, 1)
                if n == 1 { break }
                if n < 0 && errno == EINTR { continue }
                return
            }
            PartialFiles.shared.abandonAll()
            let message = "\nInterrupted (signal \(number)).\n"
            _ = message.withCString { write(2, $0, strlen($0)) }
            _exit(128 + Int32(number))
        }
        // Whoever started djstatic may have left these blocked (a parent's thread mask is
        // inherited): unblocked here, before any other thread exists, so every thread inherits it.
        var handled = sigset_t()
        sigemptyset(&handled)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&handled, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &handled, nil)
        watcher.start()
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            var current = sigaction()
            sigaction(signalNumber, nil, &current)
            // A signal ignored by whoever started djstatic (nohup) stays ignored.
            if signalNumber != SIGINT, unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == 1 { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signalNumber in
                var byte = UInt8(truncatingIfNeeded: signalNumber)
                _ = write(interruptionPipe, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signalNumber, &action, nil)
        }
    }
}
