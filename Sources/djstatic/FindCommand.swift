import ArgumentParser
import DJProject
import DJCollect
import DJStaticFiles
import DJSettings
import Foundation

struct FindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find the absolute paths of static files, as manage.py findstatic does.",
        discussion: "Exit status 1 when a path is not found, 2 when the settings cannot be evaluated.")

    @Argument(help: ArgumentHelp("The settings file, then the static paths to find.", valueName: "settings path"))
    var arguments: [String] = []

    @OptionGroup var evaluation: EvaluationArguments

    @Flag(name: .customLong("first"), help: "Only return the first match for each static file.")
    var first = false

    @Flag(name: .customLong("all"), help: "Return every match (the default, as in findstatic).")
    var all = false

    @Option(name: [.customShort("v"), .customLong("verbosity")], help: "Verbosity level; 0=minimal output, 1=normal output, 2=verbose output")
    var verbosity: Int = 1

    func validate() throws {
        let needed = evaluation.settingsModule == nil ? 2 : 1
        guard arguments.count >= needed else { throw ValidationError("give the settings file and at least one static path") }
        if first && all { throw ValidationError("--first and --all exclude each other") }
    }

    func run() throws {
        let paths = evaluation.settingsModule == nil ? Array(arguments.dropFirst()) : arguments
        let settings = evaluation.settingsModule == nil ? [arguments[0]] : []
        var options = evaluation.options
        options.argv = ["manage.py", "findstatic"]
        guard let target = try evaluation.targets(paths: settings).first else { throw Exit(status: 2) }
        let snapshot = try evaluation.snapshot(of: target, options: options, finders: true)
        guard case .success(let description)? = snapshot.collect else {
            if case .failure(let failure)? = snapshot.collect { printError(failure.message) }
            throw Exit(status: 2)
        }
        let finders = StaticFinders(description)
        var missing = false
        for path in paths {
            let (matches, searched) = finders.find(path, all: !first)
            let locations = verbosity >= 2
                ? "\nLooking in the following locations:\n  " + searched.joined(separator: "\n  ") : ""
            if matches.isEmpty {
                missing = true
                if verbosity >= 1 { printError("No matching file found for '\(path)'." + (verbosity >= 2 ? "\n" + locations : "")) }
                continue
            }
            let real = matches.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
            if verbosity >= 1 {
                printOutput("Found '\(path)' here:\n  " + real.joined(separator: "\n  ") + locations + "\n")
            } else {
                printOutput(real.joined(separator: "\n") + "\n")
            }
        }
        if missing { throw Exit(status: 1) }
    }
}
