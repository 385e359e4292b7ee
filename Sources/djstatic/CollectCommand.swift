import ArgumentParser
import DJProject
import DJCollect
import DJStaticFiles
import DJOutput
import DJPython
import DJSettings
import DJUpload
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

    // argparse spellings: -iPATTERN and -v0 as well as -i PATTERN, --ignore=PATTERN, --verbosity=0.
    @Option(name: [.customShort("i", allowingJoined: true), .customLong("ignore")],
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

    @Option(name: [.customShort("v", allowingJoined: true), .customLong("verbosity")], help: "Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, 3=very verbose output")
    var verbosity: Int = 1

    @Flag(name: .customLong("skip-checks"), help: "Skip system checks.")
    var skipChecks = false

    /// manage.py's --no-color: djstatic's own messages are never colored; Django's collectstatic,
    /// when it collects instead, is given the flag.
    @Flag(name: .customLong("no-color"), help: "Don't colorize the command output.")
    var noColor = false

    /// manage.py's --traceback and --force-color: what they change (a Python traceback for a
    /// CommandError, ANSI colours off a terminal) djstatic's native collect does not produce, so
    /// Django's own collectstatic collects.
    @Flag(name: .customLong("traceback"), help: "Raise on CommandError exceptions (Django's own collectstatic collects).")
    var traceback = false

    @Flag(name: .customLong("force-color"), help: "Force colorization of the command output (Django's own collectstatic collects).")
    var forceColor = false

    @Flag(name: .customLong("native-only"),
          help: "Fail (exit status 2) instead of running Django's own collectstatic when djstatic cannot reproduce the storage or finders.")
    var nativeOnly = false

    /// How the `djstatic` Django app's collectstatic command runs djstatic (djstatic/management/
    /// commands/collectstatic.py in the wheel): what djstatic does not reproduce ends with exit
    /// status 3 and the app runs Django's own command in its own process; at -v 2 one line on
    /// standard error says which of the two collected.
    @Flag(name: .customLong("django-app"), help: .private)
    var djangoApp = false

    /// The exit status that hands collectstatic back to the Django app.
    static let handBackToDjango: Int32 = 3

    @Flag(name: .customLong("force-upload"),
          help: "S3 storages: upload every object, also those whose bytes are already there (to apply changed headers).")
    var forceUpload = false

    @Option(name: .customLong("keep-releases"),
            help: ArgumentHelp("After a successful deploy, prune to the newest N releases (see `djstatic prune`; implies --record-release).",
                               valueName: "N"))
    var keepReleases: Int?

    @Flag(name: .customLong("record-release"),
          help: "Keep a copy of the deployed staticfiles.json under <location>/.djstatic/releases/ (release history for prune).")
    var recordRelease = false

    @Option(help: ArgumentHelp("Output: text (collectstatic's messages and summary) or json (a summary object on standard output; messages go to standard error).",
                               valueName: "format"))
    var format: String = "text"

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
        guard (0...3).contains(verbosity) else { throw ValidationError("-v/--verbosity must be 0, 1, 2 or 3") }
        guard paths.count <= 1 else { throw ValidationError("collect takes one settings module") }
    }

    /// collectstatic's own command line for these options.
    var collectstaticArguments: [String] {
        var arguments = ["-v", String(verbosity)]
        if noInput { arguments.append("--noinput") }
        if noPostProcess { arguments.append("--no-post-process") }
        for pattern in ignore { arguments += ["-i", pattern] }
        if dryRun { arguments.append("--dry-run") }
        if clear { arguments.append("--clear") }
        if link { arguments.append("--link") }
        if noDefaultIgnore { arguments.append("--no-default-ignore") }
        if skipChecks { arguments.append("--skip-checks") }
        if noColor { arguments.append("--no-color") }
        if traceback { arguments.append("--traceback") }
        if forceColor { arguments.append("--force-color") }
        return arguments
    }

    /// What djstatic does not reproduce is collected by Django's own command (exact by definition),
    /// in the project's interpreter, with one line saying why.
    func runDjangosCollectstatic(_ target: SettingsTarget, options: EvaluationOptions, reason: String) throws {
        printError("djstatic: not collecting natively (\(reason)); running Django's own collectstatic")
        let json = format == "json"
        let result: (status: Int32, output: CapturedOutput)
        do {
            result = try Checker(options: options).collectstatic(target, arguments: collectstaticArguments, capture: json)
        } catch {
            printError("djstatic: error: \(error)")
            throw Exit(status: 2)
        }
        if json {
            if !result.output.isEmpty { printError(result.output.combined) }
            printOutput(Reporter.encode(["status": result.status == 0 ? "ok" : "error", "native": false,
                                         "reason": reason, "exit_status": Int(result.status)]))
        }
        if result.status != 0 { throw Exit(status: result.status) }
    }

    /// What djstatic cannot reproduce natively: Django's own collectstatic runs instead (in the
    /// embedded interpreter, or in the Django app's process), unless --native-only.
    func notNative(_ target: SettingsTarget, options: EvaluationOptions, snapshot: SettingsSnapshot, reason: String) throws {
        if djangoApp {
            if verbosity >= 2 { printError("djstatic: not collecting natively (\(reason)); Django's own collectstatic runs") }
            throw Exit(status: Self.handBackToDjango)
        }
        if nativeOnly || snapshot.installedDjango == nil {
            printError("djstatic: error: \(reason)")
            throw Exit(status: 2)
        }
        if keepReleases != nil || recordRelease {
            printError("djstatic: error: --keep-releases and --record-release need a storage djstatic collects natively: \(reason)")
            throw Exit(status: 2)
        }
        try runDjangosCollectstatic(target, options: options, reason: reason)
    }

    var collectOptions: CollectOptions {
        var options = CollectOptions()
        options.interactive = !noInput
        options.postProcess = !noPostProcess
        options.ignorePatterns = ignore
        options.dryRun = dryRun
        options.clear = clear
        options.link = link
        options.useDefaultIgnorePatterns = !noDefaultIgnore
        options.verbosity = verbosity
        return options
    }

    func run() throws {
        let collectOptions = self.collectOptions
        // While the project's django.setup() runs, the files its finders list are read on the other
        // core (only post-processing uses what is read).
        let preview = collectOptions.postProcess && !link ? CollectPreview() : nil
        let trace = CollectTrace()
        let reading = preview.map { ReadingAhead($0, options: collectOptions, trace: trace) }
        // What the settings and setup printed reaches the terminal as manage.py's would when
        // djstatic collects or they fail (Django's own collectstatic, when it collects instead,
        // prints it itself). The Django app's command has already printed it, and run the checks.
        let json = format == "json"
        let show: (CapturedOutput) -> Void = { [djangoApp] printed in
            if !djangoApp { replay(printed, toStandardError: json) }
        }
        // What manage.py prints before it collects (or dies): the project's output, then the checks'.
        func showBeforeCollecting(_ printed: CapturedOutput, _ snapshot: SettingsSnapshot) {
            show(printed)
            if !snapshot.collectChecks.isEmpty { printError(snapshot.collectChecks) }
        }
        let evaluated = Result {
            try evaluation.collectSnapshot(paths: paths, preview: preview, systemChecks: !skipChecks && !djangoApp,
                                           onFailure: show)
        }
        preview?.finishWriting()
        trace.mark("evaluated")
        let (target, options, snapshot, printed) = try evaluated.get()
        defer { trace.print() }
        // Before the description: on another version it may be a failure of djstatic's own helper
        // (Django 4.1 has no django.core.files.storage.handler).
        if let installed = snapshot.installedDjango, let version = DjangoVersion(installed),
           !DjangoVersion.targets.contains(version) {
            let supported = "\(DjangoVersion.targets.first!) to \(DjangoVersion.targets.last!)"
            return try notNative(target, options: options, snapshot: snapshot,
                                 reason: "Django \(installed) is not a version djstatic reproduces (\(supported))")
        }
        if let flag = traceback ? "--traceback" : forceColor ? "--force-color" : nil {
            return try notNative(target, options: options, snapshot: snapshot,
                                 reason: "\(flag) changes output djstatic's native collect does not produce")
        }
        let description: CollectDescription
        switch snapshot.collect {
        case .success(let value)?:
            showBeforeCollecting(printed, snapshot)
            description = value
        case .failure(let failure)? where failure.unsupported:
            return try notNative(target, options: options, snapshot: snapshot, reason: failure.message)
        case .failure(let failure)?:
            showBeforeCollecting(printed, snapshot)
            printError(failure.message)  // what collectstatic itself would die of (a SystemCheckError too)
            throw Exit(status: 1)
        case nil:
            throw Exit(status: 2)
        }
        if djangoApp && verbosity >= 2 {
            printError("djstatic: collecting natively (djstatic \(Djstatic.version), Django \(snapshot.installedDjango ?? "?"))")
        }
        try checkRetention(description)
        let version = snapshot.installedDjango.flatMap(DjangoVersion.init) ?? .fallback
        let readAhead = reading?.wait() ?? .none
        trace.readAhead = readAhead
        // A progress line on a terminal at the default verbosity (higher ones list every file).
        let progress = !json && verbosity == 1 ? ProgressLine.forTerminal() : nil
        // With --format json, standard output carries the JSON object only.
        let write: (String) -> Void = json ? { printError($0) } : { text in
            progress?.clear()
            printOutput(text)
        }
        let console = CollectConsole(
            out: { write($0 + "\n") },
            err: { text in
                progress?.clear()
                printError(text)
            },
            ask: { prompt in
                write(prompt)
                return Self.inputLine()
            },
            progress: progress.map { line in { line.update($0) } })
        if let s3 = description.storage?.s3 {
            progress?.clear()
            var remote = RemoteCollect(description: description, target: s3, options: collectOptions, version: version,
                                       pythonVersion: snapshot.pythonVersion, console: console, services: .interpreter)
            remote.forceUpload = forceUpload
            remote.readAhead = readAhead
            trace.prerewrites = try Self.upload(remote, json: json)
            return try retainReleases(description)
        }
        let pipeline = CollectPipeline(description: description, options: collectOptions, version: version,
                                       pythonVersion: snapshot.pythonVersion, brotli: InterpreterServices.brotliCompress,
                                       readAhead: readAhead)
        let result = Result { () throws(CollectError) in
            let outcome = try pipeline.run(console: console)
            trace.prerewrites = outcome.prerewrites
            return outcome.summary
        }
        progress?.clear()
        switch result {
        case .success(let summary):
            if json {
                let wroteManifest = !dryRun && !noPostProcess
                printOutput(CollectReport.json(summary: summary, django: version,
                                               manifest: wroteManifest ? description.storage?.manifestPath : nil, error: nil) + "\n")
            } else if verbosity >= 1 {
                printOutput(summary.line(for: version) + "\n")
            }
            try retainReleases(description)
        case .failure(let error):
            // A traceback ends the message with "\n" even when it has one; CommandError's writer does not.
            let tracebackEnd = error.type != "CommandError" && error.message.hasSuffix("\n") ? "\n" : ""
            printError("\(error.type): \(error.message)" + tracebackEnd)
            if json {
                printOutput(CollectReport.json(summary: nil, django: version, manifest: nil, error: error) + "\n")
            }
            throw Exit(status: 1)
        }
    }

    /// Collect to S3: stage, then upload; exit 1 when anything failed (the manifest is then not written).
    /// Runs the deploy and reports it; returns the rewrites computed ahead, for the trace.
    static func upload(_ remote: RemoteCollect, json: Bool) throws -> PrerewriteCount.Counts? {
        let result = blocking { () async -> Result<RemoteCollect.Outcome, any Error> in
            do { return .success(try await remote.run()) } catch { return .failure(error) }
        }
        let outcome: RemoteCollect.Outcome
        switch result {
        case .success(let value):
            outcome = value
        case .failure(let error):
            let failure = error as? CollectError ?? CollectError(String(describing: type(of: error)), "\(error)")
            printError("\(failure.type): \(failure.message)")
            if json { printOutput(CollectReport.json(summary: nil, django: remote.version, manifest: nil, error: failure) + "\n") }
            throw Exit(status: 1)
        }
        let report = outcome.upload
        for failure in report.failures { printError("Upload of '\(failure.key)' failed: \(failure.error)") }
        if let key = outcome.manifestKey, !report.failures.isEmpty {
            printError("The manifest '\(key)' was not written: \(report.failures.count) object(s) failed; the previous manifest stays live.")
        }
        if json {
            printOutput(CollectReport.json(summary: outcome.summary, django: remote.version, upload: outcome) + "\n")
        } else if remote.options.verbosity >= 1 {
            printOutput(outcome.summary.line(for: remote.version) + "\n")
            printOutput(CollectReport.uploadLine(outcome) + "\n")
        }
        if !report.failures.isEmpty { throw Exit(status: 1) }
        return outcome.prerewrites
    }

    /// Runs async work to completion from the synchronous command.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.value = await work()
            done.signal()
        }
        done.wait()
        return box.value!
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
}

/// `ReadAhead.read` on its own thread, over the preview the evaluation sends while it runs.
final class ReadingAhead: @unchecked Sendable {  // `result` is written before `done` is signalled, read after
    private let done = DispatchSemaphore(value: 0)
    private var result = ReadAhead.none
    private let stop = StopFlag()

    init(_ preview: CollectPreview, options: CollectOptions, trace: CollectTrace) {
        Thread.detachNewThread { [self] in
            if let previewed = preview.receive() {
                trace.mark("previewed")
                result = ReadAhead.read(previewed.description, options: options, version: previewed.djangoVersion,
                                        pythonVersion: previewed.pythonVersion, stop: stop)
                trace.mark("read ahead")
            }
            done.signal()
        }
    }

    /// What was read by the time the evaluation returned (reading stops then: with a light
    /// setup the collect would otherwise wait for it).
    func wait() -> ReadAhead {
        stop.raise()
        done.wait()
        return result
    }
}

/// With DJSTATIC_TRACE set, one line on standard error when collect ends: when the evaluation
/// previewed the collect, finished reading ahead and returned (seconds since the start), and what
/// the read-ahead and the pre-pass served (`Scripts/bench-collect` and the tests read it).
final class CollectTrace: @unchecked Sendable {
    private let enabled = !(ProcessInfo.processInfo.environment["DJSTATIC_TRACE"] ?? "").isEmpty
    private let start = DispatchTime.now()
    private let lock = NSLock()
    private var marks: [String] = []
    var readAhead: ReadAhead?
    var prerewrites: PrerewriteCount.Counts?

    func mark(_ event: String) {
        guard enabled else { return }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        lock.withLock { marks.append("\(event) \(String(format: "%.3f", seconds)) s") }
    }

    func print() {
        guard enabled else { return }
        mark("collected")
        var line = "djstatic-trace: " + lock.withLock { marks.joined(separator: "; ") }
        if let statistics = readAhead?.statistics {
            line += "; files read ahead \(statistics.read), answered \(statistics.answered), stale \(statistics.stale)"
        }
        if let prerewrites {
            line += "; pre-pass rewrites \(prerewrites.computed + prerewrites.previewed), during setup \(prerewrites.previewed), "
                + "taken \(prerewrites.taken)"
        }
        printError(line)
    }
}

extension UploadServices {
    /// The project's interpreter, which evaluated the settings, answers the upload's questions.
    static let interpreter = UploadServices(credentials: { try InterpreterServices.s3Credentials() },
                                            guessTypes: { try InterpreterServices.guessTypes($0) })
}

/// The result of `blocking`, handed across threads once.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
