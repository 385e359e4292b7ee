import ArgumentParser
import DJProject
import DJOutput
import DJSettings
import Foundation

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print the settings as django.conf.settings sees them, with where each was set.",
        discussion: "Credentials are shown redacted. Exit status 2 when the settings cannot be evaluated.")

    @Argument(help: ArgumentHelp("Settings file.", valueName: "settings"), completion: .file(extensions: ["py"]))
    var paths: [String] = []

    @OptionGroup var evaluation: EvaluationArguments

    @OptionGroup var verbosity: VerboseFlag

    @Option(help: "Output format: json or text.")
    var format: String = "json"

    func validate() throws {
        guard ["json", "text"].contains(format) else { throw ValidationError("--format must be json or text") }
    }

    func run() throws {
        var documents: [[String: Any]] = []
        for target in try evaluation.targets(paths: paths) {
            let snapshot = try evaluation.snapshot(of: target, options: evaluation.options, verbose: verbosity.verbose)
            documents.append(Self.document(snapshot))
        }
        if format == "json" {
            printOutput(Reporter.encode(documents.count == 1 ? documents[0] : documents))
        } else {
            for document in documents {
                let settings = document["settings"] as? [String: Any] ?? [:]
                let sources = document["sources"] as? [String: [String: Any]] ?? [:]
                for name in settings.keys.sorted() {
                    let value = Reporter.encodeInline(settings[name]!)
                    let source = sources[name].map { "  # \($0["file"] ?? ""):\($0["line"] ?? "")" } ?? ""
                    printOutput("\(name) = \(value)\(source)\n")
                }
            }
        }
    }

    static func document(_ snapshot: SettingsSnapshot) -> [String: Any] {
        [
            "django_version": snapshot.installedDjango as Any? ?? NSNull(),
            "python_version": snapshot.pythonVersion,
            "settings_module": snapshot.settingsModule,
            "settings_file": snapshot.settingsFile,
            "settings": snapshot.values.mapValues(\.jsonObject),
            "sources": snapshot.sources.mapValues { ["file": $0.file, "line": $0.line, "column": $0.column] },
            "missing_env": snapshot.placeholderEnvironment,
            "defaulted_env": snapshot.defaultedEnvironment,
            "backends": snapshot.backends.mapValues(\.jsonObject),
        ]
    }
}
