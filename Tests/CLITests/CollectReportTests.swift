import Foundation
import Testing

/// `collect --format json` and the progress line on a terminal: the numbers are collectstatic's,
/// and neither changes what is written.
@Suite struct CollectReportTests {
    /// The counts in collectstatic's summary line ("\n3 static files copied to '…', 1 unmodified, 2 post-processed.").
    static func counts(_ summary: String) -> [String: Int] {
        var out: [String: Int] = [:]
        let line = summary.split(separator: "\n").last.map(String.init) ?? ""
        for part in line.split(separator: ",") {
            let words = part.split(separator: " ")
            guard let number = words.first.flatMap({ Int($0) }) else { continue }
            let key = part.contains("post-processed") ? "post_processed"
                : part.contains("unmodified") ? "unmodified"
                : part.contains("copied") ? "copied"
                : part.contains("deleted") ? "deleted" : part.contains("skipped") ? "skipped" : "?"
            out[key] = number
        }
        return out
    }

    @Test(arguments: ["dj42", "dj61"])
    func jsonSummaryHasCollectstaticNumbers(venv: String) throws {
        let pair = CollectPair(project: Paths.fixtures.appendingPathComponent(CollectScenarios.golden),
                               settingsFile: CollectScenarios.goldenSettings, venv: venv)
        defer { pair.removeWork() }
        for run in 1...2 {  // first run, then the unchanged re-run
            var environment = Paths.baseEnvironment()
            environment["STATIC_ROOT"] = pair.djangoRoot
            let django = try runProcess(Paths.python(venv), ["manage.py", "collectstatic", "--noinput"],
                                        environment: environment, currentDirectory: pair.project)
            environment["STATIC_ROOT"] = pair.ourRoot
            let ours = try runProcess(try Paths.djstatic(),
                                      ["collect", pair.settingsFile, "--python-path", Paths.venv(venv).path, "--noinput",
                                       "--format", "json"], environment: environment, currentDirectory: pair.project)
            try #require(django.status == 0 && ours.status == 0, "run \(run): \(django.summary)\n\(ours.summary)")
            let object = try jsonObject(ours.stdout, what: "collect --format json")
            let expected = Self.counts(django.stdout)
            #expect(object["status"] as? String == "ok")
            #expect(object["destination"] as? String == pair.ourRoot)
            #expect(object["manifest"] as? String == pair.ourRoot + "/staticfiles.json")
            for key in ["copied", "unmodified", "post_processed"] {
                #expect(object[key] as? Int == expected[key] ?? 0, "run \(run) \(key): django said \(django.stdout.suffix(200))")
            }
            #expect(!ours.stdout.contains("static files copied"), "the text summary must not reach stdout with --format json")
            #expect(TreeComparison.differences(pair.djangoRoot, pair.ourRoot).isEmpty)
        }
    }

    @Test func jsonReportsFailures() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-report-\(UUID().uuidString)")
        let project = try CollectProject.make(in: work, files: ["app.css": Data("body { background: url(missing.png); }".utf8)])
        defer { try? FileManager.default.removeItem(at: work) }
        var environment = Paths.baseEnvironment()
        environment["STATIC_ROOT"] = project.appendingPathComponent("out").path
        let ours = try runProcess(try Paths.djstatic(),
                                  ["collect", CollectProject.settingsFile, "--python-path", Paths.venv("dj52").path, "--noinput",
                                   "--format", "json"], environment: environment, currentDirectory: project)
        #expect(ours.status == 1)
        let object = try jsonObject(ours.stdout, what: "collect --format json")
        #expect(object["status"] as? String == "error")
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["type"] as? String == "ValueError")
        #expect((error["message"] as? String)?.contains("missing.png") == true)
        #expect(ours.stderr.contains("Post-processing 'app.css' failed!"))
    }

    /// Under a pseudo-terminal (util-linux `script`), verbosity 1 draws a progress line on standard
    /// error and erases it before the summary; nothing else changes.
    @Test func progressLineOnATerminal() throws {
        let pair = CollectPair(project: Paths.fixtures.appendingPathComponent(CollectScenarios.golden),
                               settingsFile: CollectScenarios.goldenSettings, venv: "dj52")
        defer { pair.removeWork() }
        var environment = Paths.baseEnvironment()
        environment["STATIC_ROOT"] = pair.ourRoot
        let command = [try Paths.djstatic().path, "collect", pair.settingsFile, "--python-path", Paths.venv("dj52").path,
                       "--noinput"].map { "'" + $0 + "'" }.joined(separator: " ")
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"],
                                    environment: environment, currentDirectory: pair.project)
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout.contains("Post-processing ["), "no progress bar drawn: \(result.stdout.debugDescription)")
        #expect(result.stdout.contains("\r\u{1B}[K\r\n"), "the progress line is not erased before the summary")
        #expect(result.stdout.contains("static files copied to '\(pair.ourRoot)'"))
        // Without a terminal (the differential tests' pipes) nothing of it appears.
        let piped = try runProcess(try Paths.djstatic(), ["collect", pair.settingsFile, "--python-path",
                                                          Paths.venv("dj52").path, "--noinput"],
                                   environment: environment, currentDirectory: pair.project)
        #expect(!piped.stdout.contains("Post-processing [") && !piped.stderr.contains("Post-processing ["))
    }
}
