import DJCheck
import DJRules
import Foundation
import Testing

/// One example of one rule, run through the real evaluator with only that rule selected.
struct RuleExampleCase: CustomTestStringConvertible, Sendable {
    var code: String
    var triggers: Bool
    var index: Int
    var example: Example

    var testDescription: String { "\(code) \(triggers ? "bad" : "good") #\(index + 1)" }

    static let all: [RuleExampleCase] = BuiltInRules.all.flatMap { rule -> [RuleExampleCase] in
        let d = rule.description
        return d.bad.enumerated().map { RuleExampleCase(code: d.code, triggers: true, index: $0, example: $1) }
            + d.good.enumerated().map { RuleExampleCase(code: d.code, triggers: false, index: $0, example: $1) }
    }
}

@Suite struct RuleExampleTests {
    func run(_ c: RuleExampleCase, settings: String) throws -> CheckResult {
        var files = c.example.files
        files["settings.py"] = settings
        let directory = try TestProject.make(files)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let checker = TestProject.checker(environment: c.example.environment, djangoVersion: c.example.djangoVersion,
                                          select: [c.code], timeout: c.code == "EVAL004" ? 2 : 20)
        return try checker.check(try ProjectDiscovery.target(forFile: directory + "/settings.py"))
    }

    @Test(arguments: RuleExampleCase.all)
    func example(_ c: RuleExampleCase) throws {
        let result = try run(c, settings: c.example.settings)
        let hits = result.diagnostics.filter { $0.code == c.code }
        let where_ = "\(c.example.sourceFile):\(c.example.sourceLine)"
        if !c.triggers {
            if case .failure(let failure) = result.outcome.result, !c.code.hasPrefix("EVAL") {
                Issue.record("\(where_): good example of \(c.code) does not evaluate: \(failure.message)")
            }
            #expect(hits.isEmpty, "\(where_): good example of \(c.code) triggered: \(hits.map(\.message))")
            return
        }
        try #require(!hits.isEmpty, "\(where_): bad example of \(c.code) did not trigger; got \(result.diagnostics.map(\.code))")
        for hit in hits {
            #expect(hit.line >= 1 && hit.column >= 1)
            #expect(!hit.message.isEmpty)
        }
        // A suppression comment on the reported line silences the finding (when it is in settings.py).
        let hit = hits[0]
        guard hit.file.hasSuffix("/settings.py") else { return }
        var lines = c.example.settings.components(separatedBy: "\n")
        try #require(hit.line <= lines.count, "\(where_): \(c.code) points past the end of settings.py")
        lines[hit.line - 1] += "  # djstatic: ignore[\(c.code)]"
        let suppressed = try run(c, settings: lines.joined(separator: "\n"))
        #expect(!suppressed.diagnostics.contains { $0.code == c.code && $0.line == hit.line },
                "\(where_): ignore[\(c.code)] on line \(hit.line) did not silence it")
    }

    @Test func everyRuleHasExamples() {
        for rule in BuiltInRules.all {
            let d = rule.description
            #expect(!d.bad.isEmpty && !d.good.isEmpty, "\(d.code) needs bad and good examples")
            #expect(d.name.allSatisfy { $0.isLowercase || $0 == "-" || $0.isNumber }, "\(d.code) name must be kebab-case")
            #expect(!d.rationale.isEmpty && !d.summary.isEmpty)
        }
        let codes = BuiltInRules.all.map(\.description.code)
        #expect(Set(codes).count == codes.count, "duplicate rule codes")
    }

    /// README's rule table lists every rule with its real severity and name.
    @Test func readmeListsEveryRule() throws {
        let readme = try String(contentsOfFile: TestProject.repository + "/README.md", encoding: .utf8)
        for rule in BuiltInRules.all.map(\.description) {
            #expect(readme.contains("| \(rule.code) | \(rule.severity.rawValue) | \(rule.name) |"),
                    "README.md does not list \(rule.code) as | \(rule.code) | \(rule.severity.rawValue) | \(rule.name) |")
        }
    }

    /// The rule codes of the catalogue (../shared/spec/rules.md) for these families are all implemented.
    @Test func catalogueFamiliesAreComplete() {
        let codes = Set(BuiltInRules.all.map(\.description.code))
        var expected = ["EVAL001", "EVAL002", "EVAL003", "EVAL004", "REL001", "REL002", "REL003", "SEC001"]
        expected += (1...25).map { String(format: "DJS%03d", $0) }
        expected += (1...33).map { String(format: "S3%03d", $0) } + (1...4).map { String(format: "GCS%03d", $0) }
        expected += (1...2).map { String(format: "AZ%03d", $0) } + (1...3).map { String(format: "RMT%03d", $0) }
        expected += (1...16).map { String(format: "WN%03d", $0) }
        expected += (1...12).map { String(format: "CF%03d", $0) }
        for code in expected { #expect(codes.contains(code), "\(code) is not implemented") }
    }
}
