import DJCollect
import DJStaticFiles
import DJS3
import DJSettings
import Foundation
import PythonStdlib

/// `collect` for an S3 staticfiles storage: the files, hashed names, rewritten CSS/JS and
/// manifest are produced by the native collect in a private staging directory (the same code and
/// the same bytes as for a local STATIC_ROOT), then each becomes the object django-storages would
/// write — key, bytes, headers — and the uploader syncs them, manifest last.
/// What the upload asks the project's interpreter: handed in by the executable, the same way the
/// collect pipeline receives WhiteNoise's Brotli.
public struct UploadServices: Sendable {
    /// The S3 storage's own credentials (`access_key`, `secret_key`, `security_token`,
    /// `session_profile`; absent where the storage has none). Never printed.
    public var credentials: @Sendable () throws -> [String: String]
    /// `mimetypes.guess_type(key)` for each key: (type, encoding).
    public var guessTypes: @Sendable ([String]) throws -> [(type: String?, encoding: String?)]

    public init(credentials: @escaping @Sendable () throws -> [String: String],
                guessTypes: @escaping @Sendable ([String]) throws -> [(type: String?, encoding: String?)]) {
        self.credentials = credentials
        self.guessTypes = guessTypes
    }
}

public struct RemoteCollect: @unchecked Sendable {  // the console's closures: used by the one task that runs it
    public struct Outcome: Sendable {
        public var summary: CollectSummary
        public var upload: Uploader.Report
        public var bucket: String
        public var prefix: String
        /// Where the manifest goes, when the storage keeps one.
        public var manifestKey: String?
        /// The staging collect's first-pass rewrites computed ahead (`CollectPipeline.Outcome`).
        public var prerewrites: PrerewriteCount.Counts?
    }

    public var description: CollectDescription
    public var target: CollectDescription.S3Target
    public var options: CollectOptions
    public var version: DjangoVersion
    public var pythonVersion: String
    public var console: CollectConsole
    public var services: UploadServices
    /// Source files already read (see `CollectPipeline.readAhead`).
    public var readAhead = ReadAhead.none
    /// Upload objects whose bytes are already there too (`--force-upload`).
    public var forceUpload = false
    /// The store to write to; by default djstatic's S3 client with the storage's settings.
    public var makeStore: @Sendable (CollectDescription.S3Target) throws -> (store: any ObjectStore, close: @Sendable () async -> Void)

    public init(description: CollectDescription, target: CollectDescription.S3Target, options: CollectOptions,
                version: DjangoVersion, pythonVersion: String, console: CollectConsole, services: UploadServices) {
        self.description = description
        self.target = target
        self.options = options
        self.version = version
        self.pythonVersion = pythonVersion
        self.console = console
        self.services = services
        self.makeStore = { target in try Self.s3Store(target, credentials: services.credentials) }
    }

    /// djstatic's S3 client, with the storage's own credentials or, like boto3, the environment's
    /// and the shared files' (profile: the storage's session_profile).
    public static func s3Store(_ target: CollectDescription.S3Target, credentials: () throws -> [String: String]) throws
        -> (store: any ObjectStore, close: @Sendable () async -> Void) {
        let own = try credentials()
        let explicit = own["access_key"].flatMap { key in
            own["secret_key"].map { S3Credentials(accessKeyID: key, secretAccessKey: $0, sessionToken: own["security_token"]) }
        }
        let credentials = try S3CredentialChain.resolve(explicit: explicit, profile: own["session_profile"])
        let client = try S3Client(configuration: try S3Store.configuration(target), credentials: credentials)
        return (S3Store(client: client), { try? await client.shutdown() })
    }

    public func run() async throws -> Outcome {
        if options.link { throw CollectError("CommandError", "Can't symlink to a remote destination.") }
        let staging = Self.stagingParent(for: description, options: options) + "/djstatic-stage-\(UUID().uuidString)"
        PartialFiles.shared.registerDirectory(staging)  // removed on Ctrl-C too
        defer {
            try? FileManager.default.removeItem(atPath: staging)
            PartialFiles.shared.unregisterDirectory(staging)
        }
        let (store, close) = try makeStore(target)
        let verbosity = options.verbosity
        let dryRun = options.dryRun
        let out = MessageSink(console.out)
        let uploader = Uploader(store: store, prefix: S3Keys.prefix(location: target.location),
                                concurrency: max(16, target.maxConcurrency)) { step in
            switch (step.action, dryRun) {
            case (.upload, true) where verbosity >= 1: out.write("Pretending to upload '\(step.key)'")
            case (.delete, true) where verbosity >= 1: out.write("Pretending to delete '\(step.key)'")
            case (.upload, false) where verbosity >= 2: out.write("Uploading '\(step.key)'")
            case (.delete, false) where verbosity >= 2: out.write("Deleting '\(step.key)'")
            default: break
            }
        }
        // The bucket is listed while the tree is staged (a listing of thousands of keys takes
        // about as long as the staging collect).
        let listing = uploader.startListing()
        let staged: Staged
        do {
            staged = try stage(in: staging)
        } catch {
            listing.cancel()
            await close()
            throw error
        }
        var summary = staged.collected.summary
        summary.dryRun = options.dryRun
        let report = await uploader.run(staged.objects, manifest: staged.manifest, clear: options.clear, dryRun: dryRun,
                                        force: forceUpload, listing: listing)
        await close()
        // The staging collect copied every file; what reached the bucket is what counts, as for
        // Django, which skips a file the bucket already holds: a file uploaded (or, dry run, to
        // be) is a copy, one whose object already holds the same bytes is unmodified, a failed
        // upload is neither.
        let failed = Set(report.failures.map(\.key))
        let attempted = Set(report.steps.filter { $0.action == .upload }.map(\.key))
        let present = Set(report.steps.filter { $0.action == .skip }.map(\.key))
        var written = 0, unchanged = 0
        for name in staged.collected.copiedNames {
            guard let key = try? Self.key(location: target.location, name: name), !failed.contains(key) else { continue }
            if attempted.contains(key) { written += 1 } else if present.contains(key) { unchanged += 1 }
        }
        summary.modified = written
        summary.unmodified += unchanged
        // Django's post-processing does nothing in a dry run.
        if options.dryRun { summary.postProcessed = 0 }
        // The staging tree starts empty, so every hashed copy of a file that is not rewritten was
        // processed there; Django processes one only when the bucket lacks its hashed name (after
        // --clear, it lacks every one).
        if !options.clear, !options.dryRun, let listed = try? await listing.value {
            let location = target.location
            summary.postProcessed -= staged.collected.hashedCopies.count { file in
                (try? Self.key(location: location, name: file.hashed)).map { listed[PyStrKey($0)] != nil } == true
            }
        }
        return Outcome(summary: summary, upload: report, bucket: target.bucket, prefix: uploader.prefix,
                       manifestKey: staged.manifest?.key, prerewrites: staged.collected.prerewrites)
    }

    /// The staging collect and the objects made of its tree.
    struct Staged {
        var collected: CollectPipeline.Outcome
        var objects: [PreparedObject]
        var manifest: PreparedObject?
    }

    /// Collects into `staging` with the native pipeline and prepares every file (and the
    /// manifest, written last) as the object django-storages would write.
    private func stage(in staging: String) throws -> Staged {
        var staged = description
        staged.storage?.location = staging + "/files"
        staged.storage?.manifest?.location = staging + "/manifest"
        var stagingOptions = options
        stagingOptions.dryRun = false  // the plan needs the real bytes; only the upload is skipped
        var stagingConsole = console
        if options.dryRun {
            let ask = console.ask
            stagingConsole.ask = { ask("\nYou have activated the --dry-run option so no files will be modified.\n" + $0) }
        }
        let collected = try CollectPipeline(description: staged, options: stagingOptions, version: version,
                                            pythonVersion: pythonVersion, displayedDestination: "",
                                            readAhead: readAhead).run(console: stagingConsole)
        let names = Self.files(under: staging + "/files")
        let location = target.location
        let keys = try names.map { name throws(CollectError) in try Self.key(location: location, name: name) }
        var manifestKey: String?
        if let manifest = staged.storage?.manifest, options.postProcess,
           FileManager.default.fileExists(atPath: staging + "/manifest/" + manifest.name) {
            manifestKey = try Self.key(location: target.manifestLocation ?? target.location, name: manifest.name)
        }
        let guessed = try services.guessTypes(keys + (manifestKey.map { [$0] } ?? []))
        let preparer = ObjectPreparer(target: target)
        let headers = target.headers
        let slots = ResultSlots<PreparedObject, any Error>(count: names.count)
        DispatchQueue.concurrentPerform(iterations: names.count) { index in
            slots.set(index, Result {
                try preparer.prepare(name: names[index], key: keys[index], file: staging + "/files/" + names[index],
                                     gzipped: staging + "/gzip/files/" + names[index], guessed: guessed[index], headers: headers)
            })
        }
        if let error = slots.firstError { throw error }
        let objects = slots.successes ?? []
        let manifestName = staged.storage?.manifest?.name ?? ""
        let manifestObject = try manifestKey.map { key in
            try preparer.prepare(name: manifestName, key: key, file: staging + "/manifest/" + manifestName,
                                 gzipped: staging + "/gzip/manifest/" + manifestName,
                                 guessed: guessed[names.count], headers: target.manifestHeaders ?? headers)
        }
        return Staged(collected: collected, objects: objects, manifest: manifestObject)
    }

    /// Where the staging tree is made: `$TMPDIR` when set (the user's choice); else `/dev/shm`
    /// (Linux's shared-memory tmpfs; in containers often 64 MB) when it has room for twice what
    /// the tree can hold (the sources, their hashed copies and gzipped copies: three times the
    /// sources), since creating thousands of files there costs a fraction of what it costs on
    /// disk (collect-s3's unchanged re-deploy: 6.5 s on ext4, 3.1 s on tmpfs); else the system's
    /// temporary directory.
    static func stagingParent(for description: CollectDescription, options: CollectOptions,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              memory: String = "/dev/shm") -> String {
        let temporary = FileManager.default.temporaryDirectory.path
        if let chosen = environment["TMPDIR"], !chosen.isEmpty { return temporary }
        var filesystem = statvfs()
        guard statvfs(memory, &filesystem) == 0, access(memory, W_OK | X_OK) == 0 else { return temporary }
        let free = Int64(filesystem.f_bavail) * Int64(filesystem.f_frsize)
        let finders = StaticFinders(description)
        var sources: Int64 = 0
        // Unreadable roots are the collect's to report; here they only count for nothing.
        try? finders.walk(ignoring: finders.ignorePatterns(extra: options.ignorePatterns,
                                                           useDefaults: options.useDefaultIgnorePatterns)) { file in
            var info = stat()
            if let path = try? file.source.path(file.sourcePath), stat(path, &info) == 0 { sources += Int64(info.st_size) }
        }
        return free >= 2 * 3 * sources ? memory : temporary
    }

    static func key(location: String, name: String) throws(CollectError) -> String {
        do {
            return try S3Keys.key(location: location, name: name)
        } catch {
            throw CollectError("SuspiciousOperation", "Attempted access to '\(name)' denied.")
        }
    }

    /// Every regular file under `root`, as "/"-separated relative names in code-point order.
    static func files(under root: String) -> [String] {
        var out: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        for case let relative as String in walker {
            var info = stat()
            if stat(root + "/" + relative, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG { out.append(relative) }
        }
        return out.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }
}

/// Console output from concurrent upload tasks, one message at a time.
final class MessageSink: @unchecked Sendable {
    private let lock = NSLock()
    private let output: (String) -> Void
    init(_ output: @escaping (String) -> Void) { self.output = output }
    func write(_ message: String) { lock.withLock { output(message) } }
}
