import DJSettings
import DJStaticFiles

/// The one collect pipeline, for a local STATIC_ROOT and for the staging tree of an S3 deploy
/// alike: collectstatic's copy phase (`Collector`), then the storage's post-processing — the
/// manifest's hashed names and rewrites, and WhiteNoise's compression over them.
public struct CollectPipeline {
    public struct Outcome {
        public var summary: CollectSummary
        /// The names copied (or linked), as stored.
        public var copiedNames: [String]
        /// The files the manifest does not rewrite that post-processing reported processed, with
        /// their hashed names: each a copy of its source, which Django processes only when that
        /// name is not stored yet.
        public var hashedCopies: [(original: String, hashed: String)]
        /// First-pass rewrites computed on all cores, computed while the setup ran, and taken (nil:
        /// no manifest).
        public var prerewrites: PrerewriteCount.Counts?
    }

    public var description: CollectDescription
    public var options: CollectOptions
    public var version: DjangoVersion
    /// The project interpreter's version (the manifest's JSON is written as its `json.dumps` does).
    public var pythonVersion: String
    /// WhiteNoise's Brotli compression, done by the project's own `brotli` module (nil: none).
    public var brotli: BrotliBatch?
    /// What the prompt and the summary call the destination; nil: the storage's location.
    public var displayedDestination: String?
    /// Source files already read (`ReadAhead.read` over a preview of the description).
    public var readAhead = ReadAhead.none

    public init(description: CollectDescription, options: CollectOptions, version: DjangoVersion, pythonVersion: String,
                brotli: BrotliBatch? = nil, displayedDestination: String? = nil, readAhead: ReadAhead = .none) {
        self.description = description
        self.options = options
        self.version = version
        self.pythonVersion = pythonVersion
        self.brotli = brotli
        self.displayedDestination = displayedDestination
        self.readAhead = readAhead
    }

    public func run(console: CollectConsole) throws(CollectError) -> Outcome {
        var collector = try Collector(description: description, options: options, version: version, console: console)
        if let displayedDestination { collector.displayedDestination = displayedDestination }
        var manifest = description.storage?.manifest != nil
            ? try ManifestPostProcessor(description: description, version: version, pythonVersion: pythonVersion) : nil
        manifest?.readAhead = readAhead
        let processor: (any PostProcessor)? = description.storage?.compression != nil
            ? try WhiteNoisePostProcessor(description: description, manifest: manifest, brotli: brotli)
            : manifest
        let summary = try collector.handle(postProcessor: processor)
        let hashedCopies = manifest.map { manifest in collector.postProcessed.filter { !manifest.isAdjustable($0.original) } }
        return Outcome(summary: summary, copiedNames: collector.copiedNames, hashedCopies: hashedCopies ?? [],
                       prerewrites: manifest?.prerewrites.value)
    }
}
