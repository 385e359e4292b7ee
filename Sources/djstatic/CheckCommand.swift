import ArgumentParser
import DJProject
import DJOutput
import DJRules
import DJSettings
import Foundation

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate Django settings and check their static-file configuration.",
        discussion: """
            Each SETTINGS path is imported the way manage.py imports it (settings packages, \
            `from .base import *`, the project's virtualenv). Without paths: [tool.djstatic] settings \
            in pyproject.toml, else $DJANGO_SETTINGS_MODULE, else manage.py's default.

            Exit status: 0 no error-severity finding; 1 errors found; 2 the settings could not be \
            evaluated, or bad usage.
            """)

    @Argument(help: ArgumentHelp("Settings files.", valueName: "settings"), completion: .file(extensions: ["py"]))
    var paths: [String] = []

    @OptionGroup var evaluation: EvaluationArguments

    @OptionGroup var verbosity: VerboseFlag

    @Option(help: "Output format: text, json, sarif or github.")
    var format: String = "text"

    @Option(name: .customLong("django-version"), help: ArgumentHelp("Target Django version for version-aware rules.",
                                                                     valueName: "X.Y"))
    var djangoVersion: String?

    @Option(help: ArgumentHelp("Only these rules (codes, names or prefixes such as DJS; repeatable).", valueName: "code"))
    var select: [String] = []

    @Option(help: ArgumentHelp("Skip these rules (repeatable).", valueName: "code"))
    var ignore: [String] = []

    @Flag(name: .customLong("exit-zero"), help: "Exit 0 even when errors are found.")
    var exitZero = false

    func validate() throws {
        guard OutputFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of text, json, sarif, github")
        }
        if let djangoVersion, case .failure(let error) = DjangoVersion.target(djangoVersion) {
            throw ValidationError("--django-version \(error)")
        }
        for selector in select + ignore where RuleCatalog.codes(matching: selector).isEmpty {
            throw ValidationError("unknown rule '\(selector)' (djstatic rules lists them)")
        }
    }

    func run() throws {
        let outputFormat = OutputFormat(rawValue: format)!
        var options = evaluation.options
        options.onHardTimeout = { file, seconds in
            // Settings stuck in C code (a blocking call) past --timeout: report EVAL004 in the
            // chosen format before the process exits 2.
            let description = EvaluationTimeoutRule.description
            let diagnostic = Diagnostic(
                code: description.code, name: description.name, severity: description.severity,
                message: "evaluating the settings exceeded the time limit of \(String(format: "%g", seconds)) s "
                    + "(stuck in a call that does not return to Python, e.g. network or sleep)",
                file: file, line: 1, column: 1, setting: nil)
            printOutput(Reporter(format: outputFormat, toolVersion: Djstatic.version).render([diagnostic]))
        }
        let checker = Checker(options: options, select: select, ignore: ignore, djangoVersion: djangoVersion)
        var diagnostics: [Diagnostic] = []
        var failedEvaluation = false
        for target in try evaluation.targets(paths: paths) {
            let result: CheckResult
            do {
                result = try checker.check(target)
            } catch {
                printError("djstatic: error: \(error)")
                throw Exit(status: 2)
            }
            for note in result.notes { printError("djstatic: warning: \(note)") }
            if verbosity.verbose {
                if !result.outcome.output.isEmpty {
                    printError("--- output of \(target.module) ---\n" + result.outcome.output.combined)
                }
                if case .failure(let failure) = result.outcome.result, !failure.traceback.isEmpty {
                    printError(failure.traceback)
                }
            }
            failedEvaluation = failedEvaluation || result.evaluationFailed
            diagnostics += result.diagnostics
        }
        // Code scanning and workflow annotations want paths from the repository root, wherever the
        // job's working directory is.
        let current = FileManager.default.currentDirectoryPath
        let base = outputFormat == .sarif || outputFormat == .github ? Reporter.repositoryRoot(containing: current) ?? current : current
        let reporter = Reporter(format: outputFormat, baseDirectory: base, colour: outputFormat == .text && isatty(1) != 0,
                                toolVersion: Djstatic.version)
        printOutput(reporter.render(diagnostics))
        if outputFormat == .text && !diagnostics.isEmpty {
            printError(Reporter.summaryLine(diagnostics))
            if let groups = reporter.assetGroups(diagnostics) { printError(groups) }
        }
        if failedEvaluation { throw Exit(status: 2) }
        if !exitZero && diagnostics.contains(where: { $0.severity == .error }) { throw Exit(status: 1) }
    }
}
