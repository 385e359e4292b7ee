import DJRules
import Foundation

public enum OutputFormat: String, Sendable, CaseIterable {
    case text, json, sarif, github
}

/// Turns diagnostics into one of the output formats. Paths are shown relative to `baseDirectory`
/// when they are inside it.
public struct Reporter: Sendable {
    public var format: OutputFormat
    public var baseDirectory: String
    public var colour: Bool
    public var toolVersion: String

    public init(format: OutputFormat, baseDirectory: String = FileManager.default.currentDirectoryPath,
                colour: Bool = false, toolVersion: String) {
        self.format = format
        self.baseDirectory = baseDirectory
        self.colour = colour
        self.toolVersion = toolVersion
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        switch format {
        case .text: text(diagnostics)
        case .json: json(diagnostics)
        case .sarif: sarif(diagnostics)
        case .github: github(diagnostics)
        }
    }

    public func displayPath(_ path: String) -> String {
        let base = baseDirectory.hasSuffix("/") ? baseDirectory : baseDirectory + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    /// The git work tree holding `directory` (the nearest ancestor with a `.git`), where code
    /// scanning and annotations expect paths to start; nil outside one.
    public static func repositoryRoot(containing directory: String) -> String? {
        var current = directory
        while true {
            if FileManager.default.fileExists(atPath: current + "/.git") { return current }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || parent.isEmpty { return nil }
            current = parent
        }
    }

    /// A SARIF `artifactLocation.uri`: a percent-encoded reference relative to the base directory
    /// when the file is inside it, else a `file://` URI.
    func artifactURI(_ path: String) -> String {
        let shown = displayPath(path)
        let encoded = shown.unicodeScalars.map { scalar -> String in
            if scalar.isASCII, let byte = UInt8(exactly: scalar.value),
               (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || "-._~/!$&'()*+,;=:@".utf8.contains(byte) {
                return String(scalar)
            }
            return String(scalar).utf8.map { String(format: "%%%02X", $0) }.joined()
        }.joined()
        return shown.hasPrefix("/") ? "file://" + encoded : encoded
    }

    public static func summary(_ diagnostics: [Diagnostic]) -> [Severity: Int] {
        var counts: [Severity: Int] = [.error: 0, .warning: 0, .info: 0]
        for diagnostic in diagnostics { counts[diagnostic.severity, default: 0] += 1 }
        return counts
    }

    // MARK: text

    func text(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        for d in diagnostics {
            let severity = colour ? paint(d.severity) : d.severity.rawValue
            out += "\(Self.visible(displayPath(d.file))):\(d.line):\(d.column): \(severity)[\(d.code)]: \(Self.visible(d.message))\n"
            for hint in d.hints { out += "    hint: \(Self.visible(hint))\n" }
        }
        return out
    }

    /// Control characters from setting values (CR, LF, ESC, ...) written as escapes, so that a value
    /// can neither forge a diagnostic line (or a GitHub workflow command) nor drive the terminal.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where isControl(scalar):
                let hex = String(scalar.value, radix: 16)
                out += scalar.value < 0x100 ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                    : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    func paint(_ severity: Severity) -> String {
        let code = switch severity {
        case .error: "1;31"
        case .warning: "1;33"
        case .info: "1;36"
        }
        return "\u{1B}[\(code)m\(severity.rawValue)\u{1B}[0m"
    }

    /// "2 errors, 1 warning, 0 infos" style line for stderr.
    public static func summaryLine(_ diagnostics: [Diagnostic]) -> String {
        let counts = summary(diagnostics)
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        if diagnostics.isEmpty { return "No problems found." }
        return "Found " + [plural(counts[.error]!, "error"), plural(counts[.warning]!, "warning"),
                           plural(counts[.info]!, "info")].joined(separator: ", ") + "."
    }

    /// ASSET findings grouped by where their files come from, largest group first: "9 in tinymce,
    /// 1 in shop" (an installed package by its top-level name below site-packages, a project file
    /// by its top-level directory), so third-party breakage is told apart from the project's own.
    public func assetGroups(_ diagnostics: [Diagnostic]) -> String? {
        var counts: [String: Int] = [:]
        for d in diagnostics where d.code.hasPrefix("ASSET") {
            let path = displayPath(d.file)
            let group: String
            if let marker = path.range(of: "/site-packages/") ?? path.range(of: "/dist-packages/") {
                group = String(path[marker.upperBound...].prefix { $0 != "/" })
            } else if path.hasPrefix("/") {  // outside the working directory: from its repository's root
                let root = Self.repositoryRoot(containing: (path as NSString).deletingLastPathComponent) ?? ""
                group = String(path.dropFirst(root.count).drop { $0 == "/" }.prefix { $0 != "/" })
            } else {
                group = path.contains("/") ? String(path.prefix { $0 != "/" }) : "."
            }
            counts[group, default: 0] += 1
        }
        guard !counts.isEmpty else { return nil }
        let ordered = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        return "Broken static references: " + ordered.map { "\($0.value) in \(Self.visible($0.key))" }.joined(separator: ", ") + "."
    }

    // MARK: json

    func json(_ diagnostics: [Diagnostic]) -> String {
        let counts = Self.summary(diagnostics)
        let object: [String: Any] = [
            "diagnostics": diagnostics.map { d -> [String: Any] in
                [
                    "code": d.code, "name": d.name, "severity": d.severity.rawValue, "message": d.message,
                    "file": displayPath(d.file), "line": d.line, "column": d.column,
                    "setting": d.setting as Any? ?? NSNull(), "hints": d.hints,
                ]
            },
            "summary": ["error": counts[.error]!, "warning": counts[.warning]!, "info": counts[.info]!],
        ]
        return Self.encode(object)
    }

    public static func encode(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object,
                                                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return restoringFloats(String(decoding: data, as: UTF8.self)) + "\n"
    }

    /// One JSON value on one line (scalars included, which JSONSerialization refuses at top level).
    public static func encodeInline(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return restoringFloats(String(String(decoding: data, as: UTF8.self).dropFirst().dropLast()))
    }

    /// Marks a float for `encode`: JSONSerialization writes 6.0 as 6, which reads back as an int;
    /// a whole float is carried as a marked string and written as Python's json writes it (6.0).
    public static func float(_ value: Double) -> Any {
        guard value.isFinite, value == value.rounded(), abs(value) < 1e16 else { return value }
        return floatMark + "\(value)" + floatMark
    }

    private static let floatMark = "\u{E000}"

    private static func restoringFloats(_ text: String) -> String {
        guard text.contains(floatMark) else { return text }
        return text.replacingOccurrences(of: "\"" + floatMark, with: "").replacingOccurrences(of: floatMark + "\"", with: "")
    }

    // MARK: sarif

    func sarif(_ diagnostics: [Diagnostic]) -> String {
        let rules = BuiltInRules.all.map(\.description)
        let index = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.code, $0) })
        let level: (Severity) -> String = { $0 == .info ? "note" : $0.rawValue }
        let driverRules: [[String: Any]] = rules.map { rule in
            [
                "id": rule.code, "name": rule.name,
                "shortDescription": ["text": rule.summary],
                "fullDescription": ["text": rule.rationale],
                "help": ["text": "djstatic rule \(rule.code)"],
                "defaultConfiguration": ["level": level(rule.severity)],
                "properties": ["mirrors": rule.mirrors ?? ""],
            ]
        }
        let results: [[String: Any]] = diagnostics.map { d in
            var result: [String: Any] = [
                "ruleId": d.code, "level": level(d.severity),
                "message": ["text": ([d.message] + d.hints).joined(separator: "\n")],
                "locations": [[
                    "physicalLocation": [
                        "artifactLocation": ["uri": artifactURI(d.file)],
                        "region": ["startLine": max(d.line, 1), "startColumn": max(d.column, 1)],
                    ],
                ]],
            ]
            if let i = index[d.code] { result["ruleIndex"] = i }
            return result
        }
        let log: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [[
                "tool": ["driver": [
                    "name": "djstatic", "version": toolVersion, "semanticVersion": toolVersion,
                    "informationUri": "https://github.com/djstatic/djstatic", "rules": driverRules,
                ]],
                "columnKind": "unicodeCodePoints",
                "results": results,
            ]],
        ]
        return Self.encode(log)
    }

    // MARK: github

    /// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`.
    func github(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { d in
            let command = switch d.severity {
            case .error: "error"
            case .warning: "warning"
            case .info: "notice"
            }
            let properties = [
                "file=" + Self.escapeProperty(Self.visible(displayPath(d.file))), "line=\(d.line)", "col=\(d.column)",
                "title=" + Self.escapeProperty("\(d.code) \(d.name)"),
            ].joined(separator: ",")
            return "::\(command) \(properties)::" + Self.escapeData(([d.message] + d.hints).map(Self.visible).joined(separator: "\n"))
        }.joined(separator: "\n") + (diagnostics.isEmpty ? "" : "\n")
    }

    static func escapeData(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    static func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
