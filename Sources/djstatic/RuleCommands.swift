import ArgumentParser
import DJRules

struct RuleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rule", abstract: "Print a rule's documentation and examples.",
        discussion: "Exit status 2 when no rule has that code or name.")

    @Argument(help: "Rule code or name, e.g. DJS006 or static-url-without-trailing-slash.")
    var code: String

    func run() throws {
        guard let rule = RuleCatalog.rule(named: code) else {
            printError("djstatic: error: unknown rule '\(code)' (djstatic rules lists them)")
            throw Exit(status: 2)
        }
        printOutput(Self.document(rule.description))
    }

    static func document(_ d: RuleDescription) -> String {
        var out = "\(d.code) (\(d.name)) — \(d.severity.rawValue)\n\n\(d.summary)\n\n"
        out += "## Why is this bad?\n\(d.rationale)\n"
        if let mirrors = d.mirrors { out += "\nMirrors Django: \(mirrors)\n" }
        if d.versionAware { out += "\nVersion-aware: uses the installed Django version, or --django-version X.Y.\n" }
        func block(_ title: String, _ examples: [Example]) -> String {
            examples.map { example in
                var text = "\n## \(title)"
                if let version = example.djangoVersion { text += " (Django \(version))" }
                text += "\n```python\n\(example.settings)\n```\n"
                for (file, source) in example.files.sorted(by: { $0.key < $1.key }) {
                    text += "```python\n# \(file)\n\(source)\n```\n"
                }
                return text
            }.joined()
        }
        out += block("Example", d.bad)
        out += block("Use instead", d.good)
        return out
    }
}

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List every rule.",
                                                    discussion: "Exit status 0.")

    func run() {
        for rule in BuiltInRules.all.map(\.description) {
            let padded = rule.code.padding(toLength: 8, withPad: " ", startingAt: 0)
            let severity = rule.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            print("\(padded) \(severity) \(rule.name): \(rule.summary)")
        }
    }
}
