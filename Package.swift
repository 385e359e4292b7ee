// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "djstatic",
    // Linux only: the CPython bridge and the collect pipeline use Glibc and Debian's library paths.
    products: [
        .executable(name: "djstatic", targets: ["djstatic"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
    ],
    targets: [
        // The only code that touches the CPython C API (stable ABI, resolved with dlsym).
        .target(name: "CPythonShim", linkerSettings: [.linkedLibrary("dl")]),
        // Pure-Swift model of an evaluated settings module.
        .target(name: "DJSettings"),
        // Finds the project's libpython, runs the evaluator helper (.py resources) inside it.
        .target(name: "DJPython", dependencies: ["CPythonShim", "DJSettings", "S3Addressing"],
                resources: [.copy("Resources")]),
        // Leaf ports of the Python standard library whose behaviour output depends on: the `re`
        // engine (a port of sre), posixpath, urllib.parse (quote/unquote_plus included), fnmatch,
        // json.dumps, str ordering. No dependencies.
        .target(name: "PythonStdlib", exclude: ["Semantics/README.md"]),
        // Where an S3 bucket lives, as botocore's endpoint rules derive it (endpoint_url, region,
        // addressing style): the one definition of the S3 host, for the client, the rules and the
        // collect description. No network, no crypto.
        .target(name: "S3Addressing", dependencies: ["PythonStdlib"]),
        // The static-file tree as collectstatic sees it, without hashing or compression: finders and
        // their walk, FileSystemStorage paths and EINTR-safe, atomic file I/O, and the reference
        // grammar (the storage's patterns, the version's skip rules, how a reference resolves).
        // What rules and collect both read.
        .target(name: "DJStaticFiles", dependencies: ["DJSettings", "PythonStdlib"]),
        // Rule engine and the built-in rules; never sees Python.
        .target(name: "DJRules", dependencies: ["DJSettings", "PythonStdlib", "DJStaticFiles", "S3Addressing"]),
        // Text, JSON, SARIF and GitHub reporters, over the diagnostic model only.
        .target(name: "DJOutput", dependencies: ["DJRules", "DJSettings"]),
        // Native collectstatic, one pipeline for every destination: copy phase, manifest
        // post-processing, WhiteNoise compression (Brotli handed in by the executable).
        .target(name: "DJCollect", dependencies: [
            "DJSettings", "DJStaticFiles", "PythonStdlib", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CompressNIO", package: "compress-nio"),
        ]),
        // S3 protocol layer: SigV4 signing, credential chain, request URLs (over S3Addressing), an async S3 client.
        .target(name: "DJS3", dependencies: [
            "PythonStdlib", "S3Addressing",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // Collect to S3: the collect pipeline's staged tree as django-storages' objects, synced by
        // djstatic's S3 client; what only the interpreter knows (credentials, MIME types) is handed in.
        .target(name: "DJUpload", dependencies: [
            "DJCollect", "DJS3", "DJSettings", "DJStaticFiles", "PythonStdlib", "S3Addressing",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Release retention: which releases' manifests to keep, what only dropped ones name, deleted
        // in an order an interruption cannot break (local STATIC_ROOT or S3).
        .target(name: "DJPrune", dependencies: ["DJS3", "PythonStdlib", .product(name: "Crypto", package: "swift-crypto")]),
        // The project layer that check, collect, find and migrate go through: discovery,
        // [tool.djstatic] configuration, evaluation + rules + suppressions, migrate's rewrite and proof.
        .target(name: "DJProject", dependencies: [
            "DJPython", "DJRules", "DJSettings", "PythonStdlib",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .executableTarget(name: "djstatic", dependencies: [
            "DJCollect", "DJOutput", "DJPrune", "DJProject", "DJPython", "DJRules", "DJS3", "DJUpload", "DJSettings",
            "DJStaticFiles", "PythonStdlib",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "DJSettingsTests", dependencies: ["DJSettings"]),
        .testTarget(name: "DJStaticFilesTests", dependencies: ["DJStaticFiles"]),
        .testTarget(name: "DJCheckTests", dependencies: ["DJProject", "DJRules", "DJOutput", "DJPython"]),
        .testTarget(name: "CLITests"),
        .testTarget(name: "DJS3Tests", dependencies: ["DJS3", "PythonStdlib", "S3Addressing", .product(name: "Crypto", package: "swift-crypto")],
                    exclude: ["botocore_reference.py", "flaky_server.py"]),
        .testTarget(name: "DJUploadTests", dependencies: ["DJCollect", "DJUpload", "DJSettings", "PythonStdlib",
                                                          .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "PythonStdlibTests", dependencies: ["PythonStdlib"],
                    exclude: ["python_semantics_reference.py"]),
    ],
    swiftLanguageModes: [.v6]
)
