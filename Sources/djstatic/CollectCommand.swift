import ArgumentParser
import DJCheck
import DJCollect
import DJOutput
import DJSettings
import Foundation
import Glibc

struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Collect static files in a single location, exactly as manage.py collectstatic does.",
        discussion: """
            Same options, prompt, messages, summary and exit statuses as the project's own \
            `manage.py collectstatic` (Django 4.2 to 6.1: the installed version's behaviour), with \
            StaticFilesStorage and ManifestStaticFilesStorage (and subclasses that only change data, \
            such as a release-specific manifest location). Exit status 2 when the settings cannot be \
            evaluated or the storage is not one djstatic reproduces.
            """)

    @Argument(help: ArgumentHelp("Settings file.", valueName: "settings"), completion: .file(extensions: ["py"]))
    var paths: [String] = []

    @OptionGroup var evaluation: EvaluationArguments

    @Flag(name: [.customLong("noinput"), .customLong("no-input")], help: "Do NOT prompt the user for input of any kind.")
    var noInput = false

    @Flag(name: .customLong("no-post-process"), help: "Do NOT post process collected files.")
    var noPostProcess = false

    @Option(name: [.short, .customLong("ignore")],
            help: ArgumentHelp("Ignore files or directories matching this glob-style pattern. Use multiple times to ignore more.",
                               valueName: "PATTERN"))
    var ignore: [String] = []

    @Flag(name: [.customShort("n"), .customLong("dry-run")], help: "Do everything except modify the filesystem.")
    var dryRun = false

    @Flag(name: [.short, .customLong("clear")],
          help: "Clear the existing files using the storage before trying to copy or link the original file.")
    var clear = false

    @Flag(name: [.short, .customLong("link")], help: "Create a symbolic link to each file instead of copying.")
    var link = false

    @Flag(name: .customLong("no-default-ignore"),
          help: "Don't ignore the common private glob-style patterns (defaults to 'CVS', '.*' and '*~').")
    var noDefaultIgnore = false

    @Option(name: [.customShort("v"), .customLong("verbosity")], help: "Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, 3=very verbose output")
    var verbosity: Int = 1

    func validate() throws {
        guard (0...3).contains(verbosity) else { throw ValidationError("-v/--verbosity must be 0, 1, 2 or 3") }
        guard paths.count <= 1 else { throw ValidationError("collect takes one settings module") }
    }

    func run() throws {
        var options = evaluation.options
        options.argv = ["manage.py", "collectstatic"]
        guard let target = try evaluation.targets(paths: paths).first else { throw Exit(status: 2) }
        let snapshot = try evaluation.snapshot(of: target, options: options, collect: true)
        let description: CollectDescription
        switch snapshot.collect {
        case .success(let value)?:
            description = value
        case .failure(let failure)?:
            if failure.unsupported {
                printError("djstatic: error: \(failure.message)")
                throw Exit(status: 2)
            }
            printError(failure.message)  // what collectstatic itself would die of
            throw Exit(status: 1)
        case nil:
            throw Exit(status: 2)
        }
        let version = snapshot.installedDjango.flatMap(DjangoVersion.init) ?? .fallback
        var collectOptions = CollectOptions()
        collectOptions.interactive = !noInput
        collectOptions.postProcess = !noPostProcess
        collectOptions.ignorePatterns = ignore
        collectOptions.dryRun = dryRun
        collectOptions.clear = clear
        collectOptions.link = link
        collectOptions.useDefaultIgnorePatterns = !noDefaultIgnore
        collectOptions.verbosity = verbosity
        let console = CollectConsole(
            out: { printOutput($0 + "\n") },
            err: { printError($0) },
            ask: { prompt in
                printOutput(prompt)
                return Self.inputLine()
            })
        let result = Self.collect(description, collectOptions, version, snapshot.pythonVersion, console)
        if case .failure(let error) = result {
            printError("\(error.type): \(error.message)")
            throw Exit(status: 1)
        }
    }

    /// Python's `input()`: one line from stdin without its final "\n" ("\r" is kept); nil at EOF.
    static func inputLine() -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(0, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }

    static func collect(_ description: CollectDescription, _ options: CollectOptions, _ version: DjangoVersion,
                        _ pythonVersion: String, _ console: CollectConsole) -> Result<Void, CollectError> {
        Result { () throws(CollectError) in
            var collector = try Collector(description: description, options: options, version: version, console: console)
            let processor = description.storage?.manifest != nil
                ? try ManifestPostProcessor(description: description, version: version, pythonVersion: pythonVersion) : nil
            if let summary = try collector.handle(postProcessor: processor) { printOutput(summary + "\n") }
        }
    }
}
