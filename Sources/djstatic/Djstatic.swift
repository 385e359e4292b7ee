import ArgumentParser
import Foundation
import Glibc
import PythonStdlib

@main
struct Djstatic: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "djstatic",
        abstract: "Check and collect Django static-file configuration.",
        discussion: """
            Exit status 0 on success; 1 when check finds an error-severity problem (or find a \
            missing path); 2 when the settings cannot be evaluated or the command line is wrong. \
            Each subcommand's manual page (djstatic help <subcommand>) gives its own.
            """,
        version: version,
        subcommands: [CheckCommand.self, InspectCommand.self, CollectCommand.self, PruneCommand.self, FindCommand.self, MigrateCommand.self, RuleCommand.self, RulesCommand.self,
                      ManualCommand.self])

    /// glibc's `mallopt(M_ARENA_MAX, count)` (malloc.h is not in Swift's Glibc module).
    static func limitMallocArenas(_ count: Int32) {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let arenaMax: Int32 = -8  // M_ARENA_MAX
        guard let symbol = dlsym(nil, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, count)
    }

    /// Exit statuses: 0 ok, 1 errors found, 2 evaluation failure or bad usage (ruff's convention).
    static func main() {
        // One malloc arena per core instead of glibc's eight: collect's worker threads each grew
        // their own, and at 50k files on 2 cores the arenas' unused space was about 20 MB of peak
        // RSS (no measurable time on a collect; Python allocates mostly from its own pools).
        limitMallocArenas(Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
        // Ctrl-C ends djstatic at once (exit 130), leaving no partial file, even while settings
        // code runs inside Python.
        Interruption.install()
        do {
            // Arguments as paths: a settings file whose name is not UTF-8 is still found.
            var command = try parseAsRoot(Array(FileSystemEncoding.arguments.dropFirst()))
            try command.run()
            Glibc.exit(0)
        } catch let failure as Exit {
            Glibc.exit(failure.status)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty { printError(message) }
            Glibc.exit(code == .validationFailure || error is ValidationError ? 2 : (code.rawValue == 1 ? 2 : code.rawValue))
        }
    }
}
