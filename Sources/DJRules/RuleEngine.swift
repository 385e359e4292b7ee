import DJSettings

/// Runs rules over an outcome and places their findings.
public struct RuleEngine: Sendable {
    public var rules: [any Rule]

    public init(rules: [any Rule] = BuiltInRules.all) {
        self.rules = rules
    }

    public func run(_ context: RuleContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for rule in rules {
            let description = type(of: rule).description
            for finding in rule.check(context) {
                let location = finding.location ?? place(finding.setting, entry: finding.entry, in: context)
                diagnostics.append(Diagnostic(
                    code: description.code, name: description.name, severity: finding.severity ?? description.severity,
                    message: finding.message, file: location.file, line: location.line,
                    column: location.column, setting: finding.setting, hints: finding.hints))
            }
        }
        return diagnostics.sorted { ($0.file, $0.line, $0.column, $0.code) < ($1.file, $1.line, $1.column, $1.code) }
    }

    private func place(_ setting: String?, entry: String?, in context: RuleContext) -> SourceLocation {
        switch context.outcome {
        case .evaluated(let snapshot):
            guard let setting else { return SourceLocation(file: snapshot.settingsFile, line: 1, column: 1) }
            return entry.flatMap { snapshot.entrySources[setting]?[$0] } ?? snapshot.location(of: setting)
        case .failed(let failure, _):
            return failure.location
        }
    }
}

/// Looks a rule up by code or name.
public enum RuleCatalog {
    /// Codes that were renamed, old -> current. A code, once published, keeps working wherever a
    /// rule is named (--select/--ignore, `[tool.djstatic]` select/ignore/severity/per-path-ignores,
    /// `# djstatic: ignore[...]`): when a rule's code changes, its old code is added here (mapping to the
    /// current code, never to another old one) and never removed. No code has been renamed yet.
    /// Task-local so that a test can stand in a table with `$renamedCodes.withValue(...)`.
    @TaskLocal public static var renamedCodes: [String: String] = [:]

    /// The current code of a renamed code, else nil.
    public static func currentCode(ofRenamed code: String) -> String? {
        renamedCodes[code.uppercased()]
    }

    public static func rule(named codeOrName: String) -> (any Rule)? {
        let wanted = currentCode(ofRenamed: codeOrName) ?? codeOrName.uppercased()
        return BuiltInRules.all.first {
            $0.description.code == wanted || $0.description.name == codeOrName.lowercased()
        }
    }

    /// Codes matched by a selector: a code ("DJS006") or a renamed one, a name, or a prefix ("DJS", "S3", "ALL").
    public static func codes(matching selector: String) -> [String] {
        let upper = selector.uppercased()
        let all = BuiltInRules.all.map(\.description)
        if upper == "ALL" { return all.map(\.code) }
        if let rule = rule(named: selector) { return [rule.description.code] }
        return all.map(\.code).filter { $0.hasPrefix(upper) }
    }
}
