import DJRules
import DJSettings
import Foundation
import PythonStdlib
import TOMLKit

/// `[tool.djstatic]` from the nearest pyproject.toml (at or above the settings file) that has one.
public struct Configuration: Sendable {
    /// Directory of the pyproject.toml it came from.
    public var directory: String?
    public var settings: [String] = []
    public var select: [String] = []
    public var ignore: [String] = []
    public var djangoVersion: String?
    /// Rule code -> severity, or nil for "off".
    public var severity: [String: Severity?] = [:]
    public var environment: [String: String] = [:]
    public var timeout: Double?
    public var python: String?
    public var pythonPath: [String] = []
    /// `per-path-ignores`: path globs -> rule selectors ignored in files matching them, the way
    /// ruff's per-file-ignores work (third-party files cannot carry inline comments).
    public var perPathIgnores: [(glob: String, codes: Set<String>)] = []
    /// Problems found while reading it (unknown keys, unknown codes): reported as warnings.
    public var warnings: [String] = []

    public init() {}

    static let knownKeys: Set<String> = ["settings", "select", "ignore", "django-version", "severity", "env",
                                         "timeout", "python", "python-path", "per-path-ignores"]

    /// The configuration that applies to a settings target (searched from its file's directory).
    public static func load(for target: SettingsTarget) -> Configuration {
        load(near: target.file.map(ProjectDiscovery.parent) ?? target.workingDirectory)
    }

    /// Finds and reads the configuration for a project starting at `directory`.
    public static func load(near directory: String) -> Configuration {
        var current = directory
        while true {
            let candidate = current + "/pyproject.toml"
            if let text = try? String(contentsOfFile: candidate, encoding: .utf8),
               let table = try? TOMLTable(string: text),
               let tool = table["tool"]?.table, let ours = tool["djstatic"]?.table {
                return parse(ours, file: candidate)
            }
            let up = (current as NSString).deletingLastPathComponent
            if up == current || up.isEmpty { return Configuration() }
            current = up
        }
    }

    static func parse(_ table: TOMLTable, file: String) -> Configuration {
        var config = Configuration()
        config.directory = (file as NSString).deletingLastPathComponent
        func strings(_ key: String, in table: TOMLTable = table) -> [String] {
            (table[key]?.array).map { $0.compactMap { $0.string } } ?? table[key]?.string.map { [$0] } ?? []
        }
        for key in table.keys where !knownKeys.contains(key) {
            config.warnings.append("\(file): unknown key '\(key)' in [tool.djstatic]")
        }
        config.settings = strings("settings")
        config.select = strings("select")
        config.ignore = strings("ignore")
        config.djangoVersion = table["django-version"]?.string ?? table["django-version"]?.double.map { String($0) }
        if let version = config.djangoVersion, case .failure(let error) = DjangoVersion.target(version) {
            config.warnings.append("\(file): django-version in [tool.djstatic] ignored: \(error)")
            config.djangoVersion = nil
        }
        config.python = table["python"]?.string
        config.pythonPath = strings("python-path")
        config.timeout = table["timeout"]?.double ?? table["timeout"]?.int.map(Double.init)
        if let env = table["env"]?.table {
            for (key, value) in env {
                if let text = value.string { config.environment[key] = text } else { config.environment[key] = "\(value)" }
            }
        }
        if let severities = table["severity"]?.table {
            for (code, value) in severities {
                guard let rule = RuleCatalog.rule(named: code) else {
                    config.warnings.append("\(file): unknown rule '\(code)' in [tool.djstatic.severity]")
                    continue
                }
                let text = value.string ?? ""
                if text == "off" {
                    config.severity[rule.description.code] = .some(nil)
                } else if let severity = Severity(rawValue: text) {
                    config.severity[rule.description.code] = severity
                } else {
                    config.warnings.append("\(file): severity of \(code) must be error, warning, info or off, not '\(text)'")
                }
            }
        }
        if let table = table["per-path-ignores"]?.table {
            for glob in table.keys.sorted() {
                let selectors = strings(glob, in: table)
                for selector in selectors where RuleCatalog.codes(matching: selector).isEmpty {
                    config.warnings.append("\(file): unknown rule '\(selector)' in [tool.djstatic.per-path-ignores]")
                }
                config.perPathIgnores.append((glob, Set(selectors.flatMap(RuleCatalog.codes(matching:)))))
            }
        }
        for selector in config.select + config.ignore where RuleCatalog.codes(matching: selector).isEmpty {
            config.warnings.append("\(file): unknown rule '\(selector)' in [tool.djstatic]")
        }
        return config
    }
}

extension Configuration {
    /// Whether `per-path-ignores` silences this diagnostic. A glob is matched against the file's
    /// path relative to the configuration's directory, relative to the site-packages directory
    /// that holds it (so "tinymce/**" names an installed package), and as given; a glob without
    /// "/" also against the file name. `**` spans directories, `*`, `?` and `[...]` one name.
    public func ignoresByPath(_ diagnostic: Diagnostic) -> Bool {
        let candidates = Self.pathForms(diagnostic.file, directory: directory)
        return perPathIgnores.contains { entry in
            entry.codes.contains(diagnostic.code) && candidates.contains { PathGlob.matches(entry.glob, $0) }
        }
    }

    static func pathForms(_ file: String, directory: String?) -> [String] {
        var forms = [file, PyPath.basename(file)]
        if let directory, file.hasPrefix(directory + "/") { forms.append(String(file.dropFirst(directory.count + 1))) }
        for marker in ["/site-packages/", "/dist-packages/"] {
            if let range = file.range(of: marker, options: .backwards) { forms.append(String(file[range.upperBound...])) }
        }
        return forms
    }
}

/// Path globs as ruff's per-file-ignores and .gitignore-style tools read them.
public enum PathGlob {
    public static func matches(_ glob: String, _ path: String) -> Bool {
        match(glob.split(separator: "/", omittingEmptySubsequences: true).map(String.init)[...],
              path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)[...])
    }

    private static func match(_ pattern: ArraySlice<String>, _ parts: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return parts.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            return (parts.startIndex...parts.endIndex).contains { match(rest, parts[$0...]) }
        }
        guard let part = parts.first, PyFnmatch.fnmatchcase(part, first) else { return false }
        return match(pattern.dropFirst(), parts.dropFirst())
    }
}

/// `.env` files: KEY=VALUE lines, `export` prefixes, quotes and comments, as python-dotenv reads them.
public enum DotEnv {
    public static func parse(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if let quote = value.first, quote == "\"" || quote == "'", let end = value.dropFirst().lastIndex(of: quote) {
                value = String(value[value.index(after: value.startIndex)..<end])
                if quote == "\"" {
                    value = value.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\\"", with: "\"")
                }
            } else if let comment = value.range(of: " #") {
                value = value[..<comment.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            if !key.isEmpty { result[key] = value }
        }
        return result
    }
}
