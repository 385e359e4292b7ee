import DJPython
import Foundation
import PythonStdlib

/// A settings module to evaluate and how Python must see the project.
public struct SettingsTarget: Sendable, Hashable {
    /// Dotted module name.
    public var module: String
    /// The settings file, when started from a path.
    public var file: String?
    /// sys.path roots; the first is the working directory (manage.py's directory when found).
    public var roots: [String]

    public var workingDirectory: String { roots[0] }
}

public enum DiscoveryError: Error, Sendable, CustomStringConvertible {
    case notFound(String)
    case noSettings(String)

    public var description: String {
        switch self {
        case .notFound(let path): return "\(path): no such file"
        case .noSettings(let directory):
            return "no settings given and none found from \(directory): pass a settings file, "
                + "--settings MODULE, [tool.djstatic] settings in pyproject.toml, or set DJANGO_SETTINGS_MODULE"
        }
    }
}

public enum ProjectDiscovery {
    static let fm = FileManager.default

    static func absolute(_ path: String, cwd: String = FileManager.default.currentDirectoryPath) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: cwd, isDirectory: true)).standardizedFileURL.path
    }

    static func parent(_ path: String) -> String { (path as NSString).deletingLastPathComponent }

    /// Whether `path` (a name with escaped non-UTF-8 bytes too) exists.
    static func exists(_ path: String) -> Bool { FileSystemEncoding.withPath(path) { access($0, F_OK) == 0 } }

    /// The nearest directory at or above `directory` containing `name`.
    static func ancestor(of directory: String, containing name: String) -> String? {
        var current = directory
        while true {
            if exists(current + "/" + name) { return current }
            let up = parent(current)
            if up == current || up.isEmpty { return nil }
            current = up
        }
    }

    /// `path/to/shop/settings/prod.py` -> module `shop.settings.prod`, importable the way
    /// `manage.py` imports it: packages are found by walking up `__init__.py` files; a settings
    /// directory without one (namespace packages) is named relative to manage.py's directory.
    public static func target(forFile path: String) throws(DiscoveryError) -> SettingsTarget {
        let file = absolute(path)
        guard exists(file) else { throw .notFound(path) }
        let directory = parent(file)
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let manageDirectory = ancestor(of: directory, containing: "manage.py")
        var root = directory
        var parts = stem == "__init__" ? [] : [stem]  // a settings package is imported by its name
        while exists(root + "/__init__.py") {
            parts.insert((root as NSString).lastPathComponent, at: 0)
            root = parent(root)
        }
        if parts.count == 1, stem != "__init__", let manageDirectory, manageDirectory != directory {
            let relative = String(file.dropFirst(manageDirectory.count + 1).dropLast(3))
            parts = relative.split(separator: "/").map(String.init)
            root = manageDirectory
        }
        var roots = [manageDirectory ?? root]
        if !roots.contains(root) { roots.append(root) }
        return SettingsTarget(module: parts.joined(separator: "."), file: file, roots: roots)
    }

    /// `--settings MODULE` with `--project-root DIR` (default: the current directory).
    public static func target(forModule module: String, projectRoot: String?) -> SettingsTarget {
        let root = absolute(projectRoot ?? ".")
        let file = root + "/" + module.replacingOccurrences(of: ".", with: "/")
        let candidate = exists(file + ".py") ? file + ".py" : (exists(file + "/__init__.py") ? file + "/__init__.py" : nil)
        return SettingsTarget(module: module, file: candidate, roots: [root])
    }

    /// No settings given: `[tool.djstatic] settings`, else $DJANGO_SETTINGS_MODULE, else manage.py's default.
    public static func defaultTargets(from directory: String, configuration: Configuration,
                                      environment: [String: String]) throws(DiscoveryError) -> [SettingsTarget] {
        let cwd = absolute(directory)
        if !configuration.settings.isEmpty {
            let root = configuration.directory ?? cwd
            return configuration.settings.map { target(forModule: $0, projectRoot: ancestor(of: root, containing: "manage.py") ?? root) }
        }
        let manageDirectory = ancestor(of: cwd, containing: "manage.py")
        if let module = environment["DJANGO_SETTINGS_MODULE"], !module.isEmpty {
            return [target(forModule: module, projectRoot: manageDirectory ?? cwd)]
        }
        if let manageDirectory, let module = managePyDefault(manageDirectory + "/manage.py") {
            return [target(forModule: module, projectRoot: manageDirectory)]
        }
        throw .noSettings(cwd)
    }

    /// The module in `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "...")`.
    static func managePyDefault(_ path: String) -> String? {
        guard let source = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let pattern = #"DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([A-Za-z_][\w.]*)['"]"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: source, range: NSRange(source.startIndex..., in: source)),
              let range = Range(match.range(at: 1), in: source) else { return nil }
        return String(source[range])
    }

    /// The project's virtualenv: $VIRTUAL_ENV, else `.venv`/`venv` beside manage.py or
    /// pyproject.toml at or above `directory`, else the virtualenv djstatic is installed in (its
    /// executable in the virtualenv's bin/, as `pip install djstatic` puts it). That last one ranks
    /// after a project's own `.venv` even when $VIRTUAL_ENV names it: pre-commit's Python hooks run
    /// with VIRTUAL_ENV set to the hook's own environment, which holds djstatic but not the project.
    public static func virtualEnvironment(near directory: String, environment: [String: String],
                                          installedIn: String? = installationVirtualEnvironment()) -> String? {
        if let active = environment["VIRTUAL_ENV"], exists(active + "/pyvenv.cfg"),
           URL(fileURLWithPath: active).resolvingSymlinksInPath().path != installedIn {
            return active
        }
        var current = directory
        while true {
            if exists(current + "/manage.py") || exists(current + "/pyproject.toml") {
                for name in [".venv", "venv"] where exists(current + "/" + name + "/pyvenv.cfg") {
                    return current + "/" + name
                }
            }
            let up = parent(current)
            if up == current || up.isEmpty { return installedIn }
            current = up
        }
    }

    /// The virtualenv whose bin/ holds the running executable, if any.
    public static func installationVirtualEnvironment() -> String? {
        let venv = HelperResources.executable.deletingLastPathComponent().deletingLastPathComponent().path
        return exists(venv + "/pyvenv.cfg") ? venv : nil
    }
}
