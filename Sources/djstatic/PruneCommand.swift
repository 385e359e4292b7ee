import ArgumentParser
import DJCollect
import DJStaticFiles
import DJOutput
import DJPrune
import DJPython
import DJS3
import DJSettings
import DJUpload
import PythonStdlib
import Foundation

struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete the static files that only old releases' manifests name (STATIC_ROOT or S3).",
        discussion: """
            Releases are the manifests a release-specific manifest storage keeps under \
            <location>/<release_id>/, or, for a single staticfiles.json, the copies collect records under \
            <location>/.djstatic/releases/ (see djstatic help collect). A release is kept when it is \
            among the newest --keep N or newer than --older-than; the live manifest is always kept. \
            Deleted: the dropped releases' manifests, then every file (original and hashed name) that \
            only dropped releases name. Never deleted: a name a kept manifest holds, a path the current \
            finders provide, a file no manifest names (unless --unreferenced-older-than asks), anything \
            outside the storage's location. An interrupted prune is finished by the next run. \
            Exit status 0 on success, 1 when something could not be deleted or the prompt was declined, \
            2 when the settings cannot be evaluated or the storage keeps no manifest.
            """)

    @Argument(help: ArgumentHelp("Settings file.", valueName: "settings"), completion: .file(extensions: ["py"]))
    var paths: [String] = []

    @OptionGroup var evaluation: EvaluationArguments

    @Option(help: ArgumentHelp("Keep the newest N releases.", valueName: "N"))
    var keep: Int?

    @Option(name: .customLong("older-than"),
            help: ArgumentHelp("Drop only releases older than this (14d, 36h, 90m, 2w, 3d12h); with --keep, a release either keeps is kept.",
                               valueName: "duration"))
    var olderThan: String?

    @Option(name: .customLong("unreferenced-older-than"),
            help: ArgumentHelp("Also delete files that no manifest names and that are older than this (off by default).",
                               valueName: "duration"))
    var unreferencedOlderThan: String?

    @Flag(name: [.customShort("n"), .customLong("dry-run")], help: "Print the plan; delete nothing.")
    var dryRun = false

    @Flag(name: [.customLong("noinput"), .customLong("no-input")], help: "Do NOT prompt the user for input of any kind.")
    var noInput = false

    @Option(name: [.customShort("v", allowingJoined: true), .customLong("verbosity")],
            help: "Verbosity level; 0=minimal output, 1=normal output, 2=every file")
    var verbosity: Int = 1

    @Option(help: ArgumentHelp("Output: text or json (one object on standard output).", valueName: "format"))
    var format: String = "text"

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
        guard (0...2).contains(verbosity) else { throw ValidationError("-v/--verbosity must be 0, 1 or 2") }
        guard paths.count <= 1 else { throw ValidationError("prune takes one settings module") }
        guard keep != nil || olderThan != nil else { throw ValidationError("give --keep N, --older-than DURATION, or both") }
        if let keep, keep < 1 { throw ValidationError("--keep must be at least 1") }
        for (flag, value) in [("--older-than", olderThan), ("--unreferenced-older-than", unreferencedOlderThan)] {
            if let value, PrunePolicy.duration(value) == nil {
                throw ValidationError("\(flag) expects a duration such as 14d, 36h, 90m, 2w or 3d12h, got '\(value)'")
            }
        }
    }

    func run() throws {
        let snapshot = try evaluation.collectSnapshot(paths: paths).snapshot
        let description: CollectDescription
        switch snapshot.collect {
        case .success(let value)?:
            description = value
        case .failure(let failure)?:
            printError("djstatic: error: \(failure.message)")
            throw Exit(status: 2)
        case nil:
            throw Exit(status: 2)
        }
        let policy = PrunePolicy(keep: keep, olderThan: olderThan.flatMap(PrunePolicy.duration),
                                 unreferencedOlderThan: unreferencedOlderThan.flatMap(PrunePolicy.duration))
        let run = PruneRun(policy: policy, dryRun: dryRun, interactive: !noInput, verbosity: verbosity, json: format == "json")
        let status = try run.prune(description)
        if status != 0 { throw Exit(status: status) }
    }
}

/// One prune over a described storage: also what `collect --keep-releases` runs after a deploy.
struct PruneRun {
    var policy: PrunePolicy
    var dryRun: Bool
    var interactive: Bool
    var verbosity: Int
    var json: Bool
    /// Text output goes to standard error (collect's JSON mode keeps standard output for its object).
    var textToStandardError = false
    /// The releases table before deleting (collect --keep-releases prints only the summary line).
    var showPlan = true

    /// The store and manifest layout of the staticfiles storage; exit status 2 when it keeps no manifest.
    static func target(_ description: CollectDescription) throws -> (store: any PruneStore, layout: PruneLayout, close: () -> Void) {
        guard let storage = description.storage, let manifest = storage.manifest else {
            printError("djstatic: error: prune needs a manifest storage (ManifestStaticFilesStorage, S3ManifestStaticStorage or a "
                       + "subclass); '\(description.storage?.className ?? "?")' keeps no manifest, so no release names its files")
            throw Exit(status: 2)
        }
        if let s3 = storage.s3 {
            let prefix = S3Keys.prefix(location: s3.location)
            let manifestKey: String
            do {
                manifestKey = try S3Keys.key(location: s3.manifestLocation ?? s3.location, name: manifest.name)
            } catch {
                printError("djstatic: error: \(error)")
                throw Exit(status: 2)
            }
            guard PyString.startsWith(manifestKey, prefix) else {
                printError("djstatic: error: the manifest '\(manifestKey)' is outside the storage's location '\(prefix)'; prune keeps to one location")
                throw Exit(status: 2)
            }
            let client: S3Client
            do {
                let own = try InterpreterServices.s3Credentials()
                let explicit = own["access_key"].flatMap { key in
                    own["secret_key"].map { S3Credentials(accessKeyID: key, secretAccessKey: $0, sessionToken: own["security_token"]) }
                }
                let credentials = try S3CredentialChain.resolve(explicit: explicit, profile: own["session_profile"])
                client = try S3Client(configuration: try S3Store.configuration(s3), credentials: credentials)
            } catch {
                printError("djstatic: error: \(error)")
                throw Exit(status: 2)
            }
            let relative = PyString.dropping(prefix: prefix, from: manifestKey)
            let layout = PruneLayout(manifestName: manifest.name, liveManifest: relative,
                                     releaseSpecific: s3.manifestLocation.map { $0 != s3.location } ?? false)
            return (S3PruneStore(client: client, prefix: prefix), layout,
                    { _ = CollectCommand.blocking { try? await client.shutdown() } })
        }
        guard let location = storage.location, let manifestPath = storage.manifestPath else {
            printError("djstatic: error: ImproperlyConfigured: You're using the staticfiles app without having set the STATIC_ROOT setting to a filesystem path.")
            throw Exit(status: 2)
        }
        let store = LocalPruneStore(root: location)
        guard PyString.startsWith(manifestPath, store.root + "/") else {
            printError("djstatic: error: the manifest '\(manifestPath)' is outside STATIC_ROOT '\(store.root)'; prune keeps to one location")
            throw Exit(status: 2)
        }
        var relative = PyString.dropping(prefix: store.root + "/", from: manifestPath)
        while PyString.startsWith(relative, "/") { relative.unicodeScalars.removeFirst() }
        let layout = PruneLayout(manifestName: manifest.name, liveManifest: relative,
                                 releaseSpecific: relative.utf8.contains(UInt8(ascii: "/")))
        return (store, layout, {})
    }

    /// Every path the current finders provide (nothing ignored: a provided path is never deleted).
    static func finderNames(_ description: CollectDescription) throws -> Set<PyStrKey> {
        var names = Set<PyStrKey>()
        do {
            try StaticFinders(description).walk(ignoring: []) { found in names.insert(PyStrKey(found.prefixedPath)) }
        } catch {
            printError("djstatic: error: listing the finders' files: \(error)")
            throw Exit(status: 2)
        }
        return names
    }

    /// Plans, prints, asks, deletes; returns the exit status (0, or 1 after failures or a declined prompt).
    func prune(_ description: CollectDescription) throws -> Int32 {
        let (store, layout, close) = try Self.target(description)
        defer { close() }
        let pruner = Pruner(store: store, layout: layout, policy: policy, finderNames: try Self.finderNames(description))
        let planned = CollectCommand.blocking { () async -> Result<PrunePlan, any Error> in
            do { return .success(try await pruner.plan()) } catch { return .failure(error) }
        }
        let plan: PrunePlan
        switch planned {
        case .success(let value): plan = value
        case .failure(let error):
            printError("djstatic: error: \(store.displayLocation): \(error)")
            emitJSON(plan: nil, outcome: nil, status: "error", error: "\(error)")
            return 1
        }
        for warning in plan.warnings { printError("djstatic: warning: \(warning)") }
        if !json && verbosity >= 1 && showPlan { text(Self.planText(plan, store: store, verbosity: dryRun ? verbosity : 1)) }
        if dryRun || plan.isEmpty {
            if !json && verbosity >= 1 {
                text(plan.isEmpty ? "Nothing to prune.\n"
                     : "Would delete \(Self.count(plan.droppedReleases.count, "release manifest")) and "
                        + "\(Self.count(plan.files.count, "file")) (\(plan.bytes) bytes).\n")
            }
            emitJSON(plan: plan, outcome: nil, status: dryRun ? "dry-run" : "ok", error: nil)
            return 0
        }
        if interactive {
            let prompt = """

                You have requested to prune the static files at the destination
                location as specified in your settings:

                    \(store.displayLocation)

                This will DELETE \(Self.count(plan.droppedReleases.count, "release manifest")) and \
                \(Self.count(plan.files.count, "file")) (\(plan.bytes) bytes)
                that no kept release and no finder provides.
                Are you sure you want to do this?

                Type 'yes' to continue, or 'no' to cancel:\u{20}
                """
            json ? printError(prompt) : text(prompt)
            if CollectCommand.inputLine() != "yes" {
                printError("CommandError: Pruning static files cancelled.")
                emitJSON(plan: plan, outcome: nil, status: "cancelled", error: nil)
                return 1
            }
        }
        let loud = !json && verbosity >= 2
        let sink = TextSink(toStandardError: textToStandardError)
        let executed = CollectCommand.blocking { () async -> Result<PruneOutcome, any Error> in
            do {
                return .success(try await pruner.execute(plan) { line in if loud { sink.write(line + "\n") } })
            } catch { return .failure(error) }
        }
        let outcome: PruneOutcome
        switch executed {
        case .success(let value): outcome = value
        case .failure(let error):
            printError("djstatic: error: \(store.display(PruneLayout.journal)): \(error); nothing was deleted")
            emitJSON(plan: plan, outcome: nil, status: "error", error: "\(error)")
            return 1
        }
        for failure in outcome.failures { printError("Deleting '\(store.display(failure.name))' failed: \(failure.reason)") }
        if outcome.skippedFiles > 0 {
            printError("\(Self.count(outcome.skippedFiles, "file")) not deleted: a dropped release's manifest is still there and may name them; run prune again.")
        } else if !outcome.failures.isEmpty {
            printError("\(Self.count(outcome.failures.count, "file")) could not be deleted; '\(store.display(PruneLayout.journal))' keeps the list, and the next prune retries them.")
        }
        if !json && verbosity >= 1 {
            text("Deleted \(Self.count(outcome.deletedManifests.count, "release manifest")) and "
                 + "\(Self.count(outcome.deletedFiles, "file")) (\(outcome.deletedBytes) bytes).\n")
        }
        emitJSON(plan: plan, outcome: outcome, status: outcome.failures.isEmpty ? "ok" : "error", error: nil)
        return outcome.failures.isEmpty ? 0 : 1
    }

    func text(_ value: String) {
        textToStandardError ? FileHandle.standardError.write(Data(value.utf8)) : printOutput(value)
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }

    static func planText(_ plan: PrunePlan, store: any PruneStore, verbosity: Int) -> String {
        var out = "Releases at \(plan.location) (newest first):\n"
        if plan.releases.isEmpty { out += "  (none)\n" }
        let width = plan.releases.map(\.id.count).max() ?? 0
        for release in plan.releases {
            out += "  \(release.kept ? "keep" : "drop")  \(release.id.padding(toLength: width, withPad: " ", startingAt: 0))  \(date(release.date))"
            if release.live { out += "  live" }
            if !release.kept { out += "  \(count(release.files.count, "file")), \(release.bytes) bytes" }
            out += "\n"
            if verbosity >= 2 && !release.kept {
                for file in release.files { out += "        \(store.display(file.name)) (\(file.size) bytes)\n" }
            }
        }
        for (label, files) in [("Left by an interrupted prune", plan.pending), ("Named by no manifest, old enough", plan.unreferenced)]
            where !files.isEmpty {
            out += "\(label): \(count(files.count, "file")), \(files.reduce(0) { $0 + $1.size }) bytes\n"
            if verbosity >= 2 { for file in files { out += "        \(store.display(file.name)) (\(file.size) bytes)\n" } }
        }
        return out
    }

    func emitJSON(plan: PrunePlan?, outcome: PruneOutcome?, status: String, error: String?) {
        guard json else { return }
        var object: [String: Any] = ["status": status, "dry_run": dryRun]
        if let error { object["error"] = error }
        if let plan {
            object["location"] = plan.location
            object["releases"] = plan.releases.map { release in
                ["id": release.id, "manifest": release.manifest, "date": ISO8601DateFormatter().string(from: release.date),
                 "kept": release.kept, "live": release.live, "recorded": release.recorded,
                 "files": release.files.map(\.name), "bytes": release.bytes] as [String: Any]
            }
            object["pending"] = plan.pending.map(\.name)
            object["unreferenced"] = plan.unreferenced.map(\.name)
            object["plan"] = ["manifests": plan.droppedReleases.count, "files": plan.files.count, "bytes": plan.bytes]
            object["warnings"] = plan.warnings
        }
        if let outcome {
            object["deleted"] = ["manifests": outcome.deletedManifests, "files": outcome.deletedFiles, "bytes": outcome.deletedBytes]
            object["failures"] = outcome.failures.map { ["name": $0.name, "error": $0.reason] }
            object["skipped_files"] = outcome.skippedFiles
        }
        if textToStandardError {
            FileHandle.standardError.write(Data(Reporter.encode(["prune": object]).utf8))
        } else {
            printOutput(Reporter.encode(object))
        }
    }
}

/// Lines reported from the pruning task.
final class TextSink: @unchecked Sendable {
    private let lock = NSLock()
    let toStandardError: Bool
    init(toStandardError: Bool) { self.toStandardError = toStandardError }
    func write(_ text: String) {
        lock.withLock {
            (toStandardError ? FileHandle.standardError : FileHandle.standardOutput).write(Data(text.utf8))
        }
    }
}
