import Foundation

/// A CPython whose shared library djstatic can load: the project's own interpreter.
public struct PythonInstallation: Sendable, Hashable, CustomStringConvertible {
    /// Path of `libpythonX.Y.so*`.
    public var library: String
    /// The installation prefix, used as PYTHONHOME.
    public var home: String
    /// "3.12".
    public var version: String
    /// A virtualenv's site-packages directories, put first on sys.path.
    public var siteDirectories: [String]
    /// A virtualenv without include-system-site-packages: the base install's packages are hidden.
    public var isolateFromSystemSite: Bool
    /// Human description of where this interpreter came from.
    public var origin: String

    public var description: String { "Python \(version) (\(origin))" }

    public enum LocateError: Error, Sendable, CustomStringConvertible {
        case notFound(String)
        case noSharedLibrary(python: String, searched: [String])
        case unsupportedVersion(String, python: String)
        case brokenHome(String)

        public var description: String {
            switch self {
            case .notFound(let what): return "no Python found at \(what)"
            case .noSharedLibrary(let python, let searched):
                return "\(python) has no shared libpython (looked for \(searched.joined(separator: ", "))); "
                    + "djstatic embeds the project's interpreter and needs a Python built with --enable-shared"
            case .unsupportedVersion(let version, let python):
                return "\(python) is Python \(version); djstatic supports Python 3.10 to 3.13"
            case .brokenHome(let home):
                return "Python home \(home) has no standard library (lib/pythonX.Y/os.py missing)"
            }
        }
    }

    static let supportedMinors = 10...13

    /// Debian's default Python 3 (libpython3-dev's libpython3.11), used when there is no venv.
    public static func systemDefault() throws(LocateError) -> PythonInstallation {
        for version in ["3.11", "3.12", "3.13", "3.10"] {
            if let library = findLibrary(prefix: "/usr", version: version).found {
                return try validated(PythonInstallation(
                    library: library, home: "/usr", version: version, siteDirectories: [],
                    isolateFromSystemSite: false, origin: "system \(library)"))
            }
        }
        throw .noSharedLibrary(python: "the system Python", searched: ["/usr/lib/*/libpython3.1?.so.1.0"])
    }

    /// A virtualenv directory (with pyvenv.cfg).
    public static func virtualEnvironment(at directory: String) throws(LocateError) -> PythonInstallation {
        let venv = URL(fileURLWithPath: directory).standardizedFileURL.path
        guard let config = try? String(contentsOfFile: venv + "/pyvenv.cfg", encoding: .utf8) else {
            throw .notFound("\(venv) (no pyvenv.cfg)")
        }
        var fields: [String: String] = [:]
        for line in config.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            fields[parts[0].trimmingCharacters(in: .whitespaces).lowercased()] =
                parts[1].trimmingCharacters(in: .whitespaces)
        }
        guard let homeBin = fields["home"] else { throw .notFound("\(venv) (pyvenv.cfg has no home)") }
        let versionText = fields["version_info"] ?? fields["version"] ?? ""
        let numbers = versionText.split(separator: ".")
        var version = numbers.count >= 2 ? "\(numbers[0]).\(numbers[1])" : ""
        if version.isEmpty, let fromLib = try? FileManager.default.contentsOfDirectory(atPath: venv + "/lib")
            .first(where: { $0.hasPrefix("python3.") }) {
            version = String(fromLib.dropFirst("python".count))
        }
        // `home` is the base interpreter's bin directory; resolve symlinked prefixes (pyenv shims).
        try requireSupported(version, python: "\(homeBin)/python\(version) (base of \(venv))")
        let resolvedBin = URL(fileURLWithPath: homeBin).resolvingSymlinksInPath().path
        let prefix = URL(fileURLWithPath: resolvedBin).deletingLastPathComponent().path
        let search = findLibrary(prefix: prefix, version: version)
        guard let library = search.found else {
            throw .noSharedLibrary(python: "\(homeBin)/python\(version) (base of \(venv))", searched: search.tried)
        }
        let site = venv + "/lib/python\(version)/site-packages"
        return try validated(PythonInstallation(
            library: library, home: prefix, version: version, siteDirectories: [site],
            isolateFromSystemSite: fields["include-system-site-packages"]?.lowercased() != "true",
            origin: "virtualenv \(venv), base \(prefix)"))
    }

    /// `--python PATH`: a python executable, a virtualenv directory or a libpython file.
    public static func at(_ path: String) throws(LocateError) -> PythonInstallation {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound(path) }
        if isDirectory.boolValue { return try virtualEnvironment(at: path) }
        let name = URL(fileURLWithPath: path).lastPathComponent
        if name.hasPrefix("libpython") {
            let version = String(name.dropFirst("libpython".count).prefix { $0 == "." || $0.isNumber })
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
            let libDir = URL(fileURLWithPath: path).deletingLastPathComponent()
            var prefix = libDir.deletingLastPathComponent().path
            if libDir.lastPathComponent.hasSuffix("-linux-gnu") {  // /usr/lib/x86_64-linux-gnu
                prefix = libDir.deletingLastPathComponent().deletingLastPathComponent().path
            }
            return try validated(PythonInstallation(
                library: path, home: prefix, version: version, siteDirectories: [],
                isolateFromSystemSite: false, origin: path))
        }
        // An executable inside a venv: bin/python -> venv/pyvenv.cfg.
        let binDir = URL(fileURLWithPath: path).deletingLastPathComponent()
        let venvDir = binDir.deletingLastPathComponent().path
        if fm.fileExists(atPath: venvDir + "/pyvenv.cfg") { return try virtualEnvironment(at: venvDir) }
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        let realName = real.lastPathComponent
        guard realName.hasPrefix("python3.") else {
            throw .notFound("\(path) (cannot tell its version from \(realName))")
        }
        let version = String(realName.dropFirst("python".count))
        try requireSupported(version, python: path)
        let prefix = real.deletingLastPathComponent().deletingLastPathComponent().path
        let search = findLibrary(prefix: prefix, version: version)
        guard let library = search.found else { throw .noSharedLibrary(python: path, searched: search.tried) }
        return try validated(PythonInstallation(
            library: library, home: prefix, version: version, siteDirectories: [],
            isolateFromSystemSite: false, origin: real.path))
    }

    static func findLibrary(prefix: String, version: String) -> (found: String?, tried: [String]) {
        var directories = [prefix + "/lib", prefix + "/lib64"]
        let multiarch = ["x86_64-linux-gnu", "aarch64-linux-gnu"]
        directories += multiarch.map { prefix + "/lib/" + $0 }
        if prefix == "/usr" || prefix == "/usr/local" || prefix == "/" {
            directories += multiarch.map { "/usr/lib/" + $0 }
        }
        var tried: [String] = []
        for directory in directories {
            for name in ["libpython\(version).so.1.0", "libpython\(version).so"] {
                let candidate = directory + "/" + name
                tried.append(candidate)
                if FileManager.default.fileExists(atPath: candidate) { return (candidate, tried) }
            }
        }
        return (nil, tried)
    }

    /// An interpreter outside 3.10-3.13 is named as such before its library is looked for (a
    /// Python 3.7 has a libpython3.7m.so that is not the problem).
    static func requireSupported(_ version: String, python: String) throws(LocateError) {
        let parts = version.split(separator: ".")
        guard parts.count == 2, parts[0] == "3", let minor = Int(parts[1]), supportedMinors.contains(minor) else {
            throw .unsupportedVersion(version.isEmpty ? "of unknown version" : version, python: python)
        }
    }

    static func validated(_ installation: PythonInstallation) throws(LocateError) -> PythonInstallation {
        try requireSupported(installation.version, python: installation.origin)
        let stdlib = "\(installation.home)/lib/python\(installation.version)/os.py"
        guard FileManager.default.fileExists(atPath: stdlib) else { throw .brokenHome(installation.home) }
        return installation
    }
}
