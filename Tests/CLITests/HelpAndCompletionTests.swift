import Foundation
import Testing

/// `djstatic help [SUBCOMMAND]` manual pages and argument-parser's completion scripts.
@Suite("help and completions")
struct HelpAndCompletionTests {
    static let subcommands = ["check", "inspect", "collect", "prune", "find", "migrate", "rule", "rules", "help"]

    @Test("djstatic help SUBCOMMAND is a manual page listing every option of --help", arguments: subcommands)
    func manualPage(_ subcommand: String) throws {
        let djstatic = try Paths.djstatic()
        let page = try runProcess(djstatic, ["help", subcommand], environment: Paths.baseEnvironment())
        #expect(page.status == 0, "\(page.summary)")
        var headings = ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES"]
        #expect(page.stdout.hasPrefix("NAME\n    djstatic \(subcommand) - "), "\(page.summary)")
        for line in page.stdout.split(separator: "\n") where !line.hasPrefix(" ") {
            #expect(String(line) == headings.first, "section \(line) out of order in djstatic help \(subcommand)")
            if !headings.isEmpty { headings.removeFirst() }
        }
        #expect(headings.isEmpty, "djstatic help \(subcommand) lacks \(headings)")
        // Every option argument-parser's own help shows is documented.
        let help = try runProcess(djstatic, [subcommand, "--help"], environment: Paths.baseEnvironment())
        let options = Set(help.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "," })
            .filter { $0.hasPrefix("--") && $0.count > 2 }.map { String($0.prefix { $0.isLetter || $0.isNumber || $0 == "-" }) })
        #expect(!options.isEmpty, "\(help.summary)")
        // Option headings: "    -n, --dry-run", "    --format <format>".
        let documented = Set(page.stdout.split(separator: "\n").filter { $0.hasPrefix("    -") && !$0.hasPrefix("     ") }
            .flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "," }) }.map(String.init))
        for option in options {
            #expect(documented.contains(option), "djstatic help \(subcommand) does not document \(option)")
        }
    }

    @Test("djstatic help lists the subcommands; an unknown one exits 2")
    func rootPage() throws {
        let djstatic = try Paths.djstatic()
        let root = try runProcess(djstatic, ["help"], environment: Paths.baseEnvironment())
        #expect(root.status == 0 && root.stdout.hasPrefix("NAME\n    djstatic - "), "\(root.summary)")
        for subcommand in Self.subcommands {
            #expect(root.stdout.contains("    \(subcommand): "), "djstatic help does not list \(subcommand)")
        }
        let unknown = try runProcess(djstatic, ["help", "chek"], environment: Paths.baseEnvironment())
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown subcommand 'chek'"), "\(unknown.summary)")
    }

    @Test("--generate-completion-script produces a script for each shell", arguments: ["bash", "zsh", "fish"])
    func completionScript(_ shell: String) throws {
        let result = try runProcess(try Paths.djstatic(), ["--generate-completion-script", shell],
                                    environment: Paths.baseEnvironment())
        #expect(result.status == 0, "\(result.summary)")
        for word in ["djstatic", "check", "collect", "python-path", "format"] {
            #expect(result.stdout.contains(word), "\(shell) completion script lacks \(word)")
        }
        guard shell == "bash" else { return }
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-completion-\(UUID().uuidString).bash")
        try result.stdout.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let syntax = try runProcess(URL(fileURLWithPath: "/bin/bash"), ["-n", script.path], environment: Paths.baseEnvironment())
        #expect(syntax.status == 0, "bash -n rejects the completion script: \(syntax.summary)")
    }
}
