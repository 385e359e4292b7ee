import DJProject
import DJRules
import DJSettings
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
    /// Checks the example with `settings` as its settings module; also returns the project directory
    /// the diagnostics' files are in (removed again).
    func run(_ c: RuleExampleCase, settings: String) throws -> (result: CheckResult, directory: String) {
        var files = c.example.files
        files[Example.settingsFile] = settings
        let directory = try TestProject.make(files)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let checker = TestProject.checker(environment: c.example.environment, djangoVersion: c.example.djangoVersion,
                                          select: [c.code], timeout: c.code == "EVAL004" ? 2 : 20)
        return (try checker.check(try ProjectDiscovery.target(forFile: directory + "/" + Example.settingsFile)), directory)
    }

    @Test(arguments: RuleExampleCase.all)
    func example(_ c: RuleExampleCase) throws {
        let (result, directory) = try run(c, settings: c.example.settings)
        let hits = result.diagnostics.filter { $0.code == c.code }
        let where_ = "\(c.example.sourceFile):\(c.example.sourceLine)"
        if !c.triggers {
            if case .failure(let failure) = result.outcome.result, !c.code.hasPrefix("EVAL") {
                Issue.record("\(where_): good example of \(c.code) does not evaluate: \(failure.message)")
            }
            #expect(c.example.markers.isEmpty, "\(where_): good example of \(c.code) has \(Example.marker) markers")
            #expect(hits.isEmpty, "\(where_): good example of \(c.code) triggered: \(hits.map(\.message))")
            return
        }
        try #require(!hits.isEmpty, "\(where_): bad example of \(c.code) did not trigger; got \(result.diagnostics.map(\.code))")
        // Every finding lands exactly where the example marks one, and every marker gets one.
        let landed = hits.map { hit in
            DJSettings.SourceLocation(file: hit.file.hasPrefix(directory + "/") ? String(hit.file.dropFirst(directory.count + 1)) : hit.file,
                           line: hit.line, column: hit.column)
        }.sorted(by: Example.inOrder)
        func text(_ locations: [DJSettings.SourceLocation]) -> String { locations.map { "\($0.file):\($0.line):\($0.column)" }.joined(separator: ", ") }
        #expect(landed == c.example.markers,
                "\(where_): \(c.code) findings land at [\(text(landed))], the example marks [\(text(c.example.markers))]")
        for hit in hits { #expect(!hit.message.isEmpty) }
        // A suppression comment on the reported line silences the finding (when it is in settings.py).
        let hit = hits[0]
        guard hit.file == directory + "/" + Example.settingsFile else { return }
        var lines = c.example.settings.components(separatedBy: "\n")
        try #require(hit.line <= lines.count, "\(where_): \(c.code) points past the end of settings.py")
        lines[hit.line - 1] += "  # djstatic: ignore[\(c.code)]"
        let suppressed = try run(c, settings: lines.joined(separator: "\n")).result
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
        for (old, current) in RuleCatalog.renamedCodes {
            #expect(readme.contains("| \(old) | \(current) |"), "README.md does not list the renamed code \(old) as | \(old) | \(current) |")
        }
    }

    /// Every family's codes run from 001 without a gap: a code is never reused or dropped (a renamed
    /// rule's old code goes to RuleCatalog.renamedCodes).
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
