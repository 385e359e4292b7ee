import Foundation
import Testing

/// The wheel `Scripts/build-wheel` wrote into dist/ (Scripts/test builds it before the tests),
/// installed by pip (offline) into fresh virtualenvs and run with no Swift toolchain on PATH.
enum Wheel {
    /// dist/djstatic-<version>-py3-none-<platform>.whl for the version the tests' own djstatic
    /// reports; a missing wheel is an error, not a skip.
    static func file() throws -> URL {
        let version = try runProcess(try Paths.djstatic(), ["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let dist = Paths.repository.appendingPathComponent("dist")
        let wheels = ((try? FileManager.default.contentsOfDirectory(atPath: dist.path)) ?? [])
            .filter { $0.hasPrefix("djstatic-\(version)-py3-none-") && $0.hasSuffix(".whl") }
        guard wheels.count == 1 else {
            throw SupportError(description: "expected one dist/djstatic-\(version)-py3-none-*.whl, found \(wheels); "
                               + "Scripts/build-wheel builds it (Scripts/test does, before the tests)")
        }
        return dist.appendingPathComponent(wheels[0])
    }

    static func version(of wheel: URL) -> String {
        wheel.lastPathComponent.components(separatedBy: "-")[1]
    }

    /// PATH: the virtualenv's bin/ and the system's; no Swift toolchain.
    static func environment(_ venv: URL) -> [String: String] {
        var environment = Paths.baseEnvironment()
        environment["PATH"] = venv.appendingPathComponent("bin").path + ":/usr/bin:/bin"
        return environment
    }

    /// The interpreter a test virtualenv was made from (its bin/python, symbolic links resolved).
    static func baseInterpreter(_ venv: String) -> URL {
        Paths.python(venv).resolvingSymlinksInPath()
    }

    static func sitePackages(_ venv: URL) throws -> URL {
        let lib = venv.appendingPathComponent("lib")
        guard let name = try FileManager.default.contentsOfDirectory(atPath: lib.path).first(where: { $0.hasPrefix("python") }) else {
            throw SupportError(description: "\(lib.path) has no pythonX.Y directory")
        }
        return lib.appendingPathComponent(name + "/site-packages")
    }

    /// A fresh virtualenv of `python` at `directory` with the wheel installed by its pip (no index,
    /// no dependencies). `packagesOf`: a test virtualenv whose site-packages the new one also sees
    /// (a .pth file), so Django and the fixtures' packages need no download.
    @discardableResult
    static func install(_ directory: URL, python: URL, packagesOf source: String? = nil) throws -> URL {
        let venv = try runProcess(python, ["-m", "venv", directory.path])
        guard venv.status == 0 else { throw SupportError(description: "venv: \(venv.summary)") }
        let pip = try runProcess(directory.appendingPathComponent("bin/python"),
                                 ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-index", "--no-deps",
                                  try file().path])
        guard pip.status == 0 else { throw SupportError(description: "pip install: \(pip.summary)") }
        if let source {
            try (try sitePackages(Paths.venv(source)).path + "\n")
                .write(to: try sitePackages(directory).appendingPathComponent("test_packages.pth"), atomically: true, encoding: .utf8)
        }
        return directory
    }

    static func temporaryDirectory() throws -> URL {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-wheel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        return work
    }
}

@Suite("the wheel, installed by pip, without a Swift toolchain")
struct WheelTests {
    static let djangos = ["dj42": "4.2.", "dj52": "5.2.", "dj61": "6.1."]

    /// check, inspect and collect from the wheel installed into a fresh virtualenv of each Django's
    /// interpreter, with no option naming a Python: the virtualenv holding djstatic is the one used.
    @Test(arguments: ["dj42", "dj52", "dj61"])
    func checkInspectAndCollectFromTheWheel(_ name: String) throws {
        let work = try Wheel.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let venv = try Wheel.install(work.appendingPathComponent("venv"), python: Wheel.baseInterpreter(name), packagesOf: name)
        let environment = Wheel.environment(venv)
        let djstatic = venv.appendingPathComponent("bin/djstatic")

        let swift = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["swift", "--version"], environment: environment)
        #expect(swift.status == 127, "a Swift toolchain is on the test's PATH: \(swift.summary)")
        let libraries = try runProcess(URL(fileURLWithPath: "/usr/bin/ldd"), [djstatic.path])
        #expect(libraries.status == 0 && !libraries.stdout.contains("libswift") && !libraries.stdout.contains("Foundation"),
                "\(libraries.summary)")
        let version = try runProcess(djstatic, ["--version"], environment: environment)
        #expect(version.stdout == Wheel.version(of: try Wheel.file()) + "\n", "\(version.summary)")

        let seed = Paths.fixtures.appendingPathComponent("seed-local")
        let inspect = try runProcess(djstatic, ["inspect", "myproject/settings.py", "--format", "json"],
                                     environment: environment, currentDirectory: seed)
        let python = try runProcess(venv.appendingPathComponent("bin/python"), ["-c", "import platform; print(platform.python_version())"])
        let answer = try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any]
        #expect(answer?["python_version"] as? String == python.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                "\(inspect.summary.prefix(2000))")
        #expect((answer?["django_version"] as? String)?.hasPrefix(Self.djangos[name]!) == true, "\(inspect.summary.prefix(2000))")

        // No settings, no Python named: manage.py's default module, the wheel's virtualenv.
        let check = try runProcess(djstatic, ["check"], environment: environment, currentDirectory: seed)
        let built = try runProcess(try Paths.djstatic(), ["check", "--python-path", Paths.venv(name).path],
                                   environment: Paths.baseEnvironment(), currentDirectory: seed)
        #expect(check.status == built.status && check.stdout == built.stdout && !check.stdout.isEmpty,
                "wheel:\n\(check.summary)\nbuilt:\n\(built.summary)")

        let golden = Paths.fixtures.appendingPathComponent(CollectScenarios.golden)
        let djangoRoot = work.appendingPathComponent("django").path, ourRoot = work.appendingPathComponent("djstatic").path
        let django = try runProcess(venv.appendingPathComponent("bin/python"), ["manage.py", "collectstatic", "--noinput"],
                                    environment: environment.merging(["STATIC_ROOT": djangoRoot]) { $1 }, currentDirectory: golden)
        let ours = try runProcess(djstatic, ["collect", CollectScenarios.goldenSettings, "--noinput"],
                                  environment: environment.merging(["STATIC_ROOT": ourRoot]) { $1 }, currentDirectory: golden)
        #expect(django.status == 0 && ours.status == 0, "django:\n\(django.summary)\ndjstatic:\n\(ours.summary)")
        #expect(ours.stdout.replacingOccurrences(of: ourRoot, with: "<ROOT>")
                == django.stdout.replacingOccurrences(of: djangoRoot, with: "<ROOT>"), "django:\n\(django.stdout)\ndjstatic:\n\(ours.stdout)")
        let differences = TreeComparison.differences(djangoRoot, ourRoot)
        #expect(differences.isEmpty, "\(differences.prefix(20).joined(separator: "\n"))")
    }

    /// A Python outside 3.10-3.13 (pyenv's, as on the CI image).
    static func unsupportedPython() throws -> URL {
        let pyenv = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".pyenv/versions")
        for version in ((try? FileManager.default.contentsOfDirectory(atPath: pyenv.path)) ?? []).sorted().reversed()
        where version.hasPrefix("3.9.") || version.hasPrefix("3.8.") {
            let minor = version.split(separator: ".").prefix(2).joined(separator: ".")
            return pyenv.appendingPathComponent("\(version)/bin/python\(minor)")
        }
        throw SupportError(description: "no Python 3.8 or 3.9 under \(pyenv.path) for the unsupported-Python test")
    }

    /// Installed into a virtualenv whose Python djstatic cannot embed, the wheel's djstatic says
    /// which Python and why; the binary without its helpers says where they should be.
    @Test func anInterpreterDjstaticCannotEmbedIsNamed() throws {
        let work = try Wheel.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let project = work.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        try "STATIC_URL = 'static/'\n".write(to: project.appendingPathComponent("settings.py"), atomically: true, encoding: .utf8)

        let old = try Wheel.install(work.appendingPathComponent("py39"), python: Self.unsupportedPython())
        let tooOld = try runProcess(old.appendingPathComponent("bin/djstatic"), ["check", "settings.py"],
                                    environment: Wheel.environment(old), currentDirectory: project)
        #expect(tooOld.status == 2, "\(tooOld.summary)")
        #expect(tooOld.stderr.contains("(base of \(old.path)) is Python 3.") && tooOld.stderr.contains("djstatic supports Python 3.10 to 3.13"),
                "\(tooOld.summary)")

        // Debian's python3.11 links libpython statically: in a prefix of its own, with no
        // libpython3.11.so beside it, it is a Python without a shared library.
        let prefix = work.appendingPathComponent("static-python")
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("lib"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/usr/bin/python3.11", toPath: prefix.appendingPathComponent("bin/python3.11").path)
        try FileManager.default.createSymbolicLink(atPath: prefix.appendingPathComponent("lib/python3.11").path,
                                                   withDestinationPath: "/usr/lib/python3.11")
        let noLibrary = try Wheel.install(work.appendingPathComponent("static"), python: prefix.appendingPathComponent("bin/python3.11"))
        let refused = try runProcess(noLibrary.appendingPathComponent("bin/djstatic"), ["check", "settings.py"],
                                     environment: Wheel.environment(noLibrary), currentDirectory: project)
        #expect(refused.status == 2, "\(refused.summary)")
        #expect(refused.stderr.contains("\(prefix.path)/bin/python3.11 (base of \(noLibrary.path)) has no shared libpython"),
                "\(refused.summary)")

        // The executable copied out of the virtualenv, without djstatic_DJPython.resources.
        let alone = work.appendingPathComponent("alone")
        try FileManager.default.createDirectory(at: alone, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: noLibrary.appendingPathComponent("bin/djstatic"), to: alone.appendingPathComponent("djstatic"))
        let missing = try runProcess(alone.appendingPathComponent("djstatic"), ["check", "settings.py", "--python-path", Paths.venv("dj52").path],
                                     environment: Paths.baseEnvironment(), currentDirectory: project)
        #expect(missing.status == 2, "\(missing.summary)")
        #expect(missing.stderr.contains("\(alone.path)/djstatic_DJPython.resources/Resources/djstatic_evaluator.py is missing"),
                "\(missing.summary)")
    }
}
