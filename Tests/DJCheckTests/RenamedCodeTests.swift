import DJProject
import DJRules
import Foundation
import Testing

/// A renamed rule's old code keeps working wherever a rule is named. No code has been renamed yet,
/// so these tests stand in a table in which DJS006 (static-url-without-trailing-slash) used to be
/// OLD006.
@Suite struct RenamedCodeTests {
    static let renamed = ["OLD006": "DJS006"]
    static let settings = #"STATIC_URL = "https://cdn.example.com/static""# + "\n"

    /// DJS006 findings (code and severity) for a project of `files`, and the configuration warnings.
    func check(_ files: [String: String], select: [String] = [], ignore: [String] = []) throws
        -> (findings: [String], notes: [String]) {
        let directory = try TestProject.make(files)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var checker = TestProject.checker(select: select)
        checker.ignore = ignore
        let result = try checker.check(try ProjectDiscovery.target(forFile: directory + "/settings.py"))
        return (result.diagnostics.filter { $0.name == "static-url-without-trailing-slash" }
                    .map { "\($0.code) \($0.severity.rawValue)" },
                result.notes.filter { $0.contains("unknown rule") })
    }

    @Test func theCatalogueResolvesAnOldCode() {
        RuleCatalog.$renamedCodes.withValue(Self.renamed) {
            #expect(RuleCatalog.codes(matching: "OLD006") == ["DJS006"])
            #expect(RuleCatalog.codes(matching: "old006") == ["DJS006"])
            #expect(RuleCatalog.rule(named: "OLD006")?.description.code == "DJS006")
        }
        #expect(RuleCatalog.codes(matching: "OLD006").isEmpty, "without the rename OLD006 is unknown")
    }

    @Test func selectIgnoreAndSuppressionsAcceptAnOldCode() throws {
        try RuleCatalog.$renamedCodes.withValue(Self.renamed) { () throws in
            let selected = try check(["settings.py": Self.settings], select: ["OLD006"])
            #expect(selected.findings == ["DJS006 error"])
            let ignored = try check(["settings.py": Self.settings], select: ["DJS"], ignore: ["OLD006"])
            #expect(ignored.findings.isEmpty)
            let suppressed = try check([
                "settings.py": Self.settings.replacingOccurrences(of: "\n", with: "  # djstatic: ignore[OLD006]\n"),
            ], select: ["DJS006"])
            #expect(suppressed.findings.isEmpty)
        }
    }

    @Test func pyprojectAcceptsAnOldCode() throws {
        let cases: [(pyproject: String, findings: [String])] = [
            ("[tool.djstatic]\nselect = [\"OLD006\"]\n", ["DJS006 error"]),
            ("[tool.djstatic]\nignore = [\"OLD006\"]\n", []),
            ("[tool.djstatic.severity]\nOLD006 = \"info\"\n", ["DJS006 info"]),
            ("[tool.djstatic.per-path-ignores]\n\"settings.py\" = [\"OLD006\"]\n", []),
        ]
        try RuleCatalog.$renamedCodes.withValue(Self.renamed) { () throws in
            for (pyproject, expected) in cases {
                let result = try check(["settings.py": Self.settings, "pyproject.toml": pyproject])
                #expect(result.findings == expected && result.notes.isEmpty, "\(pyproject): \(result)")
            }
        }
    }
}
