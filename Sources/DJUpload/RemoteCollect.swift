import DJCollect
import DJStaticFiles
import DJS3
import DJSettings
import Foundation

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
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-stage-\(UUID().uuidString)").path
        PartialFiles.shared.registerDirectory(staging)  // removed on Ctrl-C too
        defer {
            try? FileManager.default.removeItem(atPath: staging)
            PartialFiles.shared.unregisterDirectory(staging)
        }
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
        var summary = collected.summary
        summary.dryRun = options.dryRun

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
        let report = await uploader.run(objects, manifest: manifestObject, clear: options.clear, dryRun: dryRun,
                                        force: forceUpload)
        await close()
        if !report.failures.isEmpty {
            // The staging collect copied every file; what reached the bucket is what counts. A
            // failed upload is no copy, an object already there with the same bytes is unmodified.
            let failed = Set(report.failures.map(\.key))
            let attempted = Set(report.steps.filter { $0.action == .upload }.map(\.key))
            let present = Set(report.steps.filter { $0.action == .skip }.map(\.key))
            var written = 0, unchanged = 0
            for name in collected.copiedNames {
                guard let key = try? Self.key(location: location, name: name), !failed.contains(key) else { continue }
                if attempted.contains(key) { written += 1 } else if present.contains(key) { unchanged += 1 }
            }
            summary.modified = written
            summary.unmodified += unchanged
        }
        return Outcome(summary: summary, upload: report, bucket: target.bucket, prefix: uploader.prefix,
                       manifestKey: manifestKey)
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
