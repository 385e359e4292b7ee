import ArgumentParser
import Foundation

/// `djstatic help [SUBCOMMAND]`: a manual page built from argument-parser's own description of
/// the commands (`--experimental-dump-help`): names, abstracts, discussions and every argument
/// with its help, value name and default. Only the examples are written here. A command's
/// discussion paragraph that starts with "Exit status" becomes the EXIT STATUS section.
struct ManualCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "help",
        abstract: "Show the manual page of djstatic or of one of its subcommands.",
        discussion: "Exit status 0, or 2 when the subcommand does not exist.")

    @Argument(help: ArgumentHelp("The subcommand, e.g. check.", valueName: "subcommand"))
    var subcommand: String?

    func run() throws {
        let tool = try JSONDecoder().decode(Manual.Tool.self, from: Data(Djstatic._dumpHelp().utf8)).command
        guard let name = subcommand else {
            printOutput(Manual.page(for: tool, path: [tool.commandName]))
            return
        }
        guard let command = tool.subcommands?.first(where: { $0.commandName == name }) else {
            printError("djstatic: error: unknown subcommand '\(name)' (djstatic help lists them)")
            throw Exit(status: 2)
        }
        printOutput(Manual.page(for: command, path: [tool.commandName, name]))
    }
}

/// The parts of argument-parser's help dump (ToolInfoV0) a manual page needs.
enum Manual {
    struct Tool: Decodable {
        var command: Command
    }

    struct Command: Decodable {
        var commandName: String
        var abstract: String?
        var discussion: String?
        var shouldDisplay: Bool?
        var subcommands: [Command]?
        var arguments: [Argument]?
    }

    struct Argument: Decodable {
        struct Name: Decodable {
            var kind: String
            var name: String

            var spelled: String {
                switch kind {
                case "short": "-" + name
                case "longWithSingleDash": "-" + name
                default: "--" + name
                }
            }
        }

        var kind: String
        var shouldDisplay: Bool
        var isOptional: Bool
        var isRepeating: Bool
        var names: [Name]?
        var valueName: String?
        var defaultValue: String?
        var allValues: [String]?
        var abstract: String?
        var discussion: String?

        /// `-v, --verbose`, `--format <format>`, `<settings> ...`.
        var heading: String {
            let value = valueName.map { "<\($0)>" } ?? ""
            if kind == "positional" { return value + (isRepeating ? " ..." : "") }
            let spelled = (names ?? []).map(\.spelled).joined(separator: ", ")
            return kind == "option" ? "\(spelled) \(value)" : spelled
        }
    }

    /// Worked examples: (command line, what it does).
    static let examples: [String: [(String, String)]] = [
        "djstatic": [
            ("djstatic check mysite/settings.py", "Check one settings module."),
            ("djstatic help check", "The manual page of the check subcommand."),
            ("djstatic --generate-completion-script bash > ~/.local/share/bash-completion/completions/djstatic",
             "Install bash completions (also zsh and fish)."),
        ],
        "check": [
            ("djstatic check", "Check the settings named by [tool.djstatic] in pyproject.toml, $DJANGO_SETTINGS_MODULE or manage.py."),
            ("djstatic check config/settings/production.py --python-path .venv", "Use the project's virtualenv."),
            ("djstatic check settings.py --env-file .env.production --strict-env", "Supply the environment; fail on a missing variable."),
            ("djstatic check settings.py --format sarif > djstatic.sarif", "SARIF 2.1.0 for code-scanning upload."),
            ("djstatic check settings.py --select WN --ignore WN011", "Only the WhiteNoise rules, without WN011."),
        ],
        "inspect": [
            ("djstatic inspect mysite/settings.py", "Every setting as JSON, with the file:line:col that set it."),
            ("djstatic inspect mysite/settings.py --format text --env DJANGO_ENV=production", "Readable text, for one environment."),
        ],
        "collect": [
            ("djstatic collect mysite/settings.py --noinput", "Collect into STATIC_ROOT without the confirmation prompt."),
            ("djstatic collect mysite/settings.py --dry-run -v 2", "Show what would be copied, file by file."),
            ("djstatic collect mysite/settings.py --noinput --keep-releases 3", "Deploy, then prune to the newest 3 releases."),
        ],
        "prune": [
            ("djstatic prune mysite/settings.py --keep 3 --dry-run", "Releases kept and dropped, files and bytes per release; nothing deleted."),
            ("djstatic prune mysite/settings.py --keep 3 --older-than 14d --noinput", "Drop releases beyond the newest 3 that are also over 14 days old."),
        ],
        "migrate": [
            ("djstatic migrate mysite/settings.py --diff", "Show the rewrite as a unified diff; write nothing."),
            ("djstatic migrate mysite/settings.py --python-path .venv", "Rewrite the file, proven with the project's own Django."),
        ],
        "find": [
            ("djstatic find mysite/settings.py css/site.css", "Every file that provides css/site.css."),
            ("djstatic find mysite/settings.py admin/css/base.css --first", "Only the one collectstatic would copy."),
        ],
        "rules": [("djstatic rules", "List every rule with its severity and name.")],
        "rule": [("djstatic rule DJS006", "A rule's rationale with bad and good examples."),
                 ("djstatic rule static-url-without-trailing-slash", "The same rule by name.")],
        "help": [("djstatic help collect", "The manual page of the collect subcommand.")],
    ]

    static func page(for command: Command, path: [String]) -> String {
        let name = path.joined(separator: " ")
        let discussion = split(command.discussion ?? "")
        var description = discussion.description
        let arguments = (command.arguments ?? []).filter(\.shouldDisplay)
        var usage = [name]
        for argument in arguments where argument.kind == "positional" {
            usage.append(argument.isOptional ? "[\(argument.heading)]" : argument.heading)
        }
        if arguments.contains(where: { $0.kind != "positional" }) { usage.append("[options]") }
        // argument-parser appends its own `help` after ours: list each name once.
        var listed = Set<String>()
        let subcommands = (command.subcommands ?? []).filter { ($0.shouldDisplay ?? true) && listed.insert($0.commandName).inserted }
        if !subcommands.isEmpty {
            usage.append("<subcommand>")
            description.append(subcommands.map { "\($0.commandName): \($0.abstract ?? "")" })
        }

        var out = section("NAME", [[name + (command.abstract.map { " - " + $0 } ?? "")]])
        out += section("SYNOPSIS", [[usage.joined(separator: " ")]])
        out += section("DESCRIPTION", [[command.abstract ?? ""]] + description)
        out += options(arguments)
        out += section("EXIT STATUS", [discussion.exitStatus])
        out += examplesSection(examples[path.last!] ?? [])
        return out
    }

    /// Discussion paragraphs, and the one about exit statuses (a sentence starting "Exit status"
    /// and the rest of its paragraph).
    static func split(_ discussion: String) -> (description: [[String]], exitStatus: [String]) {
        var description: [[String]] = []
        var exitStatus: [String] = []
        for paragraph in discussion.components(separatedBy: "\n\n") where !paragraph.isEmpty {
            let text = paragraph.replacingOccurrences(of: "\n", with: " ")
            if let range = text.range(of: "Exit status") {
                let before = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                if !before.isEmpty { description.append([before]) }
                exitStatus.append(String(text[range.lowerBound...]))
            } else {
                description.append([text])
            }
        }
        return (description, exitStatus)
    }

    static func options(_ arguments: [Argument]) -> String {
        guard !arguments.isEmpty else { return "" }
        var out = "OPTIONS\n"
        for argument in arguments {
            out += "    \(argument.heading)\n"
            var text = argument.abstract ?? ""
            if let discussion = argument.discussion, !discussion.isEmpty { text += " " + discussion }
            if let values = argument.allValues, !values.isEmpty { text += " Values: \(values.joined(separator: ", "))." }
            if let value = argument.defaultValue, !value.isEmpty { text += " Default: \(value)." }
            out += wrap(text, indent: 8)
        }
        return out + "\n"
    }

    static func examplesSection(_ examples: [(String, String)]) -> String {
        guard !examples.isEmpty else { return "" }
        var out = "EXAMPLES\n"
        for (command, effect) in examples {
            out += "    $ \(command)\n" + wrap(effect, indent: 8)
        }
        return out
    }

    static func section(_ title: String, _ paragraphs: [[String]]) -> String {
        let body = paragraphs.filter { !$0.isEmpty }.map { lines in
            lines.map { wrap($0, indent: 4) }.joined()
        }.joined(separator: "\n")
        return body.isEmpty ? "" : "\(title)\n\(body)\n"
    }

    /// Word-wraps `text` to 80 columns with `indent` spaces in front of every line.
    static func wrap(_ text: String, indent: Int) -> String {
        let margin = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && margin.count + line.count + 1 + word.count > 80 {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { margin + $0 + "\n" }.joined()
    }
}
