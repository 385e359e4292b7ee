import DJRules
import DJSettings
import Foundation
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
    /// Problems found while reading it (unknown keys, unknown codes): reported as warnings.
    public var warnings: [String] = []

    public init() {}

    static let knownKeys: Set<String> = ["settings", "select", "ignore", "django-version", "severity", "env",
                                         "timeout", "python", "python-path"]

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
        func strings(_ key: String) -> [String] {
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
        for selector in config.select + config.ignore where RuleCatalog.codes(matching: selector).isEmpty {
            config.warnings.append("\(file): unknown rule '\(selector)' in [tool.djstatic]")
        }
        return config
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
