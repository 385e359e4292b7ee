// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "djstatic",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "djstatic", targets: ["djstatic"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
    ],
    targets: [
        // The only code that touches the CPython C API (stable ABI, resolved with dlsym).
        .target(name: "CPythonShim", linkerSettings: [.linkedLibrary("dl")]),
        // Pure-Swift model of an evaluated settings module.
        .target(name: "DJSettings"),
        // Finds the project's libpython, runs the evaluator helper (.py resources) inside it.
        .target(name: "DJPython", dependencies: ["CPythonShim", "DJSettings"],
                resources: [.copy("Resources")]),
        // Rule engine and the built-in rules; never sees Python.
        .target(name: "DJRules", dependencies: ["DJSettings", "DJCollect"]),
        // Text, JSON, SARIF and GitHub reporters.
        .target(name: "DJOutput", dependencies: ["DJRules", "DJCollect"]),
        // Native collectstatic: Python-semantics primitives, finders, storages, post-processing.
        .target(name: "DJCollect", dependencies: [
            "DJSettings", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CompressNIO", package: "compress-nio"),
        ]),
        // Project discovery, configuration, evaluation + rules + suppressions.
        .target(name: "DJCheck", dependencies: [
            "DJPython", "DJRules", "DJSettings",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .executableTarget(name: "djstatic", dependencies: [
            "DJCheck", "DJCollect", "DJOutput", "DJPython", "DJRules",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "DJSettingsTests", dependencies: ["DJSettings"]),
        .testTarget(name: "DJCheckTests", dependencies: ["DJCheck", "DJRules", "DJOutput", "DJPython"]),
        .testTarget(name: "CLITests", dependencies: ["DJRules"]),
        .testTarget(name: "DJCollectTests", dependencies: ["DJCollect"],
                    exclude: ["python_semantics_reference.py"]),
    ],
    swiftLanguageModes: [.v6]
)
