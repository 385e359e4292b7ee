import ArgumentParser
import DJProject
import DJOutput
import DJPython
import DJSettings
import Foundation

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Rewrite STATICFILES_STORAGE / DEFAULT_FILE_STORAGE (and AWS_* settings) as STORAGES.",
        discussion: """
            The legacy settings become the BACKEND of STORAGES' "default" and "staticfiles" \
            entries, and each django-storages setting (AWS_*, GS_*, AZURE_*, ...) that only one of \
            those storages reads moves into its OPTIONS, keeping its expression and comments; the \
            rest of the file is untouched. Credentials and settings read elsewhere stay global. \
            Before anything is written, the rewritten source is evaluated and both storages are \
            created from it as from the original (legacy settings honoured, as Django 4.2/5.0 do): \
            same class and attributes, and every other setting unchanged, or nothing is written. \
            Exit status 0 when migrated (or nothing to do), 1 when refused or not equivalent, 2 \
            when the settings cannot be evaluated.
            """)

    @Argument(help: ArgumentHelp("Settings file.", valueName: "settings"), completion: .file(extensions: ["py"]))
    var path: String?

    @OptionGroup var evaluation: EvaluationArguments

    @Flag(help: "Print a unified diff instead of writing the file.")
    var diff = false

    @OptionGroup var verbosity: VerboseFlag

    func run() throws {
        let targets = try evaluation.targets(paths: path.map { [$0] } ?? [])
        guard targets.count == 1, let target = targets.first else {
            throw ValidationError("migrate takes one settings file")
        }
        let snapshot = try evaluation.snapshot(of: target, options: evaluation.options, migration: .plan,
                                               verbose: verbosity.verbose)
        let reporter = Reporter(format: .text, toolVersion: Djstatic.version)
        guard let plan = snapshot.migration else { throw Exit(status: 2) }
        switch plan.status {
        case .nothing(let message):
            printError("\(reporter.displayPath(snapshot.settingsFile)): \(message)")
            for kept in plan.kept { printError("  \(kept.setting) stays a setting: \(kept.reason)") }
            return
        case .refused(let reason, let location):
            let place = location.map { "\(reporter.displayPath($0.file)):\($0.line):\($0.column)" }
                ?? reporter.displayPath(snapshot.settingsFile)
            printError("\(place): error: cannot migrate: \(reason)")
            throw Exit(status: 1)
        case .planned, .verification:
            break
        }
        let migrator = Migrator(checker: Checker(options: evaluation.options))
        let rewrite: Migrator.Rewrite
        let differences: [String]
        do {
            rewrite = try Migrator.rewrite(plan)
            differences = try migrator.differences(target, original: snapshot, plan: plan, rewrite: rewrite)
        } catch {
            printError("djstatic: error: \(error); nothing was written")
            throw Exit(status: 1)
        }
        let shownPath = reporter.displayPath(plan.file)
        guard differences.isEmpty else {
            printError("\(shownPath): error: the rewritten settings are not equivalent; nothing was written:")
            for difference in differences { printError("  \(difference)") }
            throw Exit(status: 1)
        }
        if diff {
            printOutput(UnifiedDiff.render(path: shownPath, original: rewrite.original, edits: plan.edits,
                                           finalNewline: rewrite.finalNewline, display: plan.displayLines))
            if !plan.displayLines.isEmpty {
                printError("note: lines holding credentials are shown masked; run without --diff to write the file")
            }
        } else {
            do {
                try Data(rewrite.rewrittenText.utf8).write(to: URL(fileURLWithPath: plan.file), options: .atomic)
            } catch {
                printError("djstatic: error: \(shownPath): cannot write: \(error.localizedDescription)")
                throw Exit(status: 1)
            }
        }
        printError(Self.summary(plan, path: shownPath, django: snapshot.installedDjango, written: !diff))
    }

    static func summary(_ plan: MigrationPlan, path: String, django: String?, written: Bool) -> String {
        var line = 1, shift = 0  // where STORAGES starts in the rewritten file
        for edit in plan.edits.sorted(by: { $0.start < $1.start }) {
            if !edit.text.isEmpty { line = edit.start + shift }
            shift += edit.text.filter { $0 == "\n" }.count - (edit.end - edit.start + 1)
        }
        let what = plan.legacy.isEmpty ? "global django-storages settings" : plan.legacy.map(\.setting).joined(separator: ", ")
        var lines = ["\(path): \(what) -> STORAGES (line \(line))" + (written ? "" : " [not written: --diff]")]
        for move in plan.moved {
            lines.append("  \(move.setting) -> STORAGES[\"\(move.alias)\"][\"OPTIONS\"][\"\(move.option ?? "")\"]")
        }
        for kept in plan.kept {
            lines.append("  \(kept.setting) stays a setting: \(kept.reason)")
        }
        let attributes = Migrator.comparedAttributes(plan.fingerprint)
        lines.append("equivalent: the default and staticfiles storages are created with the same class and "
                     + "\(attributes) attributes, and every other setting is unchanged (Django \(django ?? "?"))")
        if plan.ignoredByInstalledDjango {
            lines.append("note: Django \(django ?? "") ignores \(plan.legacy.map(\.setting).joined(separator: " and ")); "
                         + "with STORAGES the configuration takes effect again")
        }
        return lines.joined(separator: "\n")
    }
}
