import DJPython
import DJSettings
import Foundation

/// `djstatic migrate`: plans the rewrite of the legacy storage settings in the embedded
/// interpreter, applies it to the source text, and proves it by evaluating the rewritten source
/// (without writing it) and comparing the storages Django creates and every other setting.
public struct Migrator: Sendable {
    public var checker: Checker

    public init(checker: Checker) {
        self.checker = checker
    }

    /// The settings file before and after, for a planned migration.
    public struct Rewrite: Sendable {
        public var file: String
        public var original: [String]
        public var rewritten: [String]
        /// The file ended with a newline.
        public var finalNewline: Bool

        public var rewrittenText: String {
            rewritten.joined(separator: "\n") + (finalNewline ? "\n" : "")
        }
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case unreadable(String)
        case evaluation(EvaluationFailure)
        case checker(CheckError)

        public var description: String {
            switch self {
            case .unreadable(let path): return "\(path): cannot read the settings file"
            case .evaluation(let failure):
                return "\(failure.location.file):\(failure.location.line): the rewritten settings fail: \(failure.message)"
            case .checker(let error): return error.description
            }
        }
    }

    /// The file's lines with the plan's edits applied.
    public static func rewrite(_ plan: MigrationPlan) throws(Failure) -> Rewrite {
        guard let text = try? String(contentsOfFile: plan.file, encoding: .utf8) else { throw .unreadable(plan.file) }
        let (lines, finalNewline) = MigrationPlan.lines(of: text)
        return Rewrite(file: plan.file, original: lines, rewritten: plan.apply(to: lines), finalNewline: finalNewline)
    }

    /// Evaluates the rewritten source in place of the file and lists every difference from the
    /// original evaluation: the storages (class, attributes), the legacy settings still set, and
    /// any other setting whose value changed. Empty: the rewrite is equivalent.
    public func differences(_ target: SettingsTarget, original: SettingsSnapshot, plan: MigrationPlan,
                            rewrite: Rewrite) throws(Failure) -> [String] {
        let outcome: EvaluationOutcome
        do {
            outcome = try checker.evaluate(target, configuration: Configuration.load(for: target), migration: .verify,
                                           sourceOverrides: [rewrite.file: rewrite.rewrittenText]).0
        } catch {
            throw .checker(error)
        }
        let rewritten: SettingsSnapshot
        switch outcome.result {
        case .success(let snapshot): rewritten = snapshot
        case .failure(let failure): throw .evaluation(failure)
        }
        var found: [String] = []
        for name in rewritten.migration?.legacyPresent ?? [] {
            found.append("\(name) is still set")
        }
        found += Self.compare(original.migration?.fingerprint, rewritten.migration?.fingerprint)
        let skipped = plan.rewrittenNames
        for name in Set(original.values.keys).union(rewritten.values.keys).sorted() where !skipped.contains(name) {
            let before = original.values[name], after = rewritten.values[name]
            if before != after {
                found.append("setting \(name): \(before?.pythonRepr ?? "(unset)") before, \(after?.pythonRepr ?? "(unset)") after")
            }
        }
        return found
    }

    /// Differences between two storage fingerprints ({alias: {backend, class, attributes | error}}).
    static func compare(_ before: SettingValue?, _ after: SettingValue?) -> [String] {
        let old = entries(before), new = entries(after)
        var found: [String] = []
        for alias in Set(old.keys).union(new.keys).sorted() {
            var a = entries(old[alias]), b = entries(new[alias])
            let attributesA = entries(a.removeValue(forKey: "attributes")), attributesB = entries(b.removeValue(forKey: "attributes"))
            found += differing(a, b).map { "storage '\(alias)': \($0)" }
            found += differing(attributesA, attributesB).map { "storage '\(alias)': attribute \($0)" }
        }
        return found
    }

    /// "key before-value before, after-value after" for each key whose values differ.
    private static func differing(_ a: [String: SettingValue], _ b: [String: SettingValue]) -> [String] {
        Set(a.keys).union(b.keys).sorted().filter { a[$0] != b[$0] }.map { "\($0) \(shown(a[$0])) before, \(shown(b[$0])) after" }
    }

    /// The number of storage attributes a fingerprint compares.
    public static func comparedAttributes(_ fingerprint: SettingValue?) -> Int {
        entries(fingerprint).values.reduce(0) { $0 + entries(entries($1)["attributes"]).count }
    }

    private static func entries(_ value: SettingValue?) -> [String: SettingValue] {
        guard case .dict(let items)? = value else { return [:] }
        var out: [String: SettingValue] = [:]
        for item in items {
            if case .string(let key) = item.key { out[key] = item.value }
        }
        return out
    }

    private static func shown(_ value: SettingValue?) -> String {
        guard let value else { return "(none)" }
        if case .opaque(type: "digest", _) = value { return "(a credential)" }
        return value.pythonRepr
    }
}
