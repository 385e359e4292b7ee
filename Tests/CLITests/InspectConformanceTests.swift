import Foundation
import Testing

/// The fixtures' settings modules, as paths relative to the fixture (where manage.py is).
enum FixtureSettings {
    static let files: [String: [String]] = [
        "split-settings": ["config/settings/production.py", "config/settings/dev.py"],
        "django-environ": ["shop/settings.py"],
        "decouple": ["blog/settings.py"],
        "seed-s3": ["myproject/settings.py"],
        "seed-s3-fixed": ["myproject/settings.py"],
        "seed-local": ["myproject/settings.py"],
        "legacy-storage": ["intranet/settings.py"],
        "whitenoise": ["portal/settings.py"],
        "minimal": ["mysite/settings.py"],
        "script-prefix": ["tools/settings.py"],
        "i18n": ["atlas/settings.py"],
        "lazy-urlconf": ["portal/settings.py"],
        "env-defaults": ["service/settings.py"],
        "ci-placeholders": ["ops/settings.py", "ops/settings_flags.py", "ops/settings_cache.py"],
        "class-based": ["intranet/settings.py"],
        "cors-whitenoise": ["shop/settings.py"],
        "split-settings-include": ["conf/settings/__init__.py"],
        "layered-settings": ["newsroom/settings/production.py"],
        "assets-broken": ["site_config/settings.py"],
    ]

    /// `config/settings/production.py` -> `config.settings.production`; a package's
    /// `conf/settings/__init__.py` -> `conf.settings`.
    static func module(_ file: String) -> String {
        let path = file.hasSuffix("/__init__.py") ? String(file.dropLast("/__init__.py".count)) : String(file.dropLast(3))
        return path.replacingOccurrences(of: "/", with: ".")
    }
}

/// Differential test: `djstatic inspect` against an independent dump of django.conf.settings
/// (Tests/Reference/dump_settings.py) made by the same Django in the same virtualenv.
@Suite("inspect conforms to django.conf.settings")
struct InspectConformanceTests {
    static let venv = "dj52"

    /// Every fixture whose settings evaluate (seed-s3 does not: see seedS3NameError).
    static let evaluating = [
        "split-settings", "django-environ", "decouple", "seed-s3-fixed", "seed-local",
        "legacy-storage", "whitenoise", "minimal", "script-prefix", "i18n", "lazy-urlconf", "env-defaults",
        "ci-placeholders", "cors-whitenoise", "split-settings-include", "layered-settings", "class-based",
    ]

    /// The Django each virtualenv of Scripts/bootstrap pins.
    static let djangoVersions = ["dj42": "4.2.30", "dj52": "5.2.19", "dj61": "6.1.3"]

    @Test("settings equal Django 5.2's", arguments: evaluating)
    func settingsEqualDjangos(fixture: String) throws {
        let files = try #require(FixtureSettings.files[fixture], "no settings file listed for \(fixture)")
        for file in files {
            try compare(fixture: fixture, settingsFile: file, venv: Self.venv)
        }
    }

    @Test("settings equal Django 4.2's and 6.1's", arguments: evaluating, ["dj42", "dj61"])
    func settingsEqualOtherDjangos(fixture: String, venv: String) throws {
        let files = try #require(FixtureSettings.files[fixture], "no settings file listed for \(fixture)")
        for file in files {
            try compare(fixture: fixture, settingsFile: file, venv: venv)
        }
    }

    private func compare(fixture: String, settingsFile: String, venv: String) throws {
        let directory = Paths.fixtures.appendingPathComponent(fixture)
        let envFile = directory.appendingPathComponent(".env.test")
        let module = FixtureSettings.module(settingsFile)
        let label = "\(fixture)/\(settingsFile) [\(venv)]"

        let inspected = try runProcess(
            try Paths.djstatic(),
            ["inspect", settingsFile, "--format", "json", "--python-path", Paths.venv(venv).path,
             "--env-file", envFile.path],
            environment: Paths.baseEnvironment(), currentDirectory: directory)
        try #require(inspected.status == 0 && !inspected.signalled, "djstatic inspect \(label): \(inspected.summary)")
        let document = try jsonObject(inspected.stdout, what: "djstatic inspect \(label)")

        #expect(document["django_version"] as? String == Self.djangoVersions[venv], "\(label): django_version")
        #expect(document["settings_module"] as? String == module, "\(label): settings_module")
        // Every variable must come from .env.test: a placeholder would make the comparison moot.
        let missing = document["missing_env"] as? [String] ?? ["<missing_env absent>"]
        #expect(missing.isEmpty, "\(label): variables not given in .env.test: \(missing)")

        var environment = Paths.baseEnvironment()
        environment.merge(try readEnvFile(envFile)) { $1 }
        environment["DJANGO_SETTINGS_MODULE"] = module
        let dumped = try runProcess(Paths.python(venv), [Paths.referenceDumper.path],
                                    environment: environment, currentDirectory: directory)
        try #require(dumped.status == 0 && !dumped.signalled, "reference dump \(label): \(dumped.summary)")
        let reference = try jsonObject(dumped.stdout, what: "reference dump \(label)")

        // Values compare as canonical JSON text (sorted keys), not with NSDictionary.isEqual: that
        // treats true as equal to 1, and swift-corelibs-foundation's returns false for identical
        // dictionaries holding JSON booleans.
        let ours = try #require(document["settings"] as? [String: Any], "\(label): no settings object")
        let differing = Set(ours.keys).union(reference.keys).sorted().filter { name in
            guard let mine = ours[name], let theirs = reference[name] else { return true }
            return !sameJSON(mine, theirs)
        }
        #expect(differing.isEmpty, """
            \(label): djstatic inspect differs from django.conf.settings in \(differing.count) setting(s): \
            \(differing.joined(separator: ", "))
            \(differing.map { name in
                "  \(name):\n    djstatic: \(describe(ours[name]))\n    django:   \(describe(reference[name]))"
            }.joined(separator: "\n"))
            """)
    }

    private func describe(_ value: Any?) -> String {
        guard let value else { return "<absent>" }
        let text = canonicalJSON(value)
        let inner = String(text.dropFirst().dropLast())  // canonicalJSON wraps the value in [ ]
        return inner.count > 400 ? String(inner.prefix(400)) + "…" : inner
    }

    /// The seed article's S3 settings import only `environ` from os, then use `os.environ`:
    /// the NameError must be reported at the `os` of that line.
    @Test("seed-s3: EVAL001 NameError at the os.environ.get line")
    func seedS3NameError() throws {
        let directory = Paths.fixtures.appendingPathComponent("seed-s3")
        let settingsFile = "myproject/settings.py"
        let source = try String(contentsOf: directory.appendingPathComponent(settingsFile), encoding: .utf8)
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let hits = lines.enumerated().filter { _, text in
            !text.trimmingCharacters(in: .whitespaces).hasPrefix("#") && text.contains("os.environ.get(")
        }
        try #require(hits.count == 1, "expected exactly one os.environ.get( line in the seed-s3 settings")
        let (index, text) = hits[0]
        let range = try #require(text.range(of: "os.environ.get("))
        let line = index + 1
        let column = text.distance(from: text.startIndex, to: range.lowerBound) + 1

        let result = try runProcess(
            try Paths.djstatic(),
            ["check", settingsFile, "--python-path", Paths.venv(Self.venv).path,
             "--env-file", directory.appendingPathComponent(".env.test").path],
            environment: Paths.baseEnvironment(), currentDirectory: directory)
        #expect(result.status == 2, "djstatic check seed-s3: \(result.summary)")
        let expected = "\(settingsFile):\(line):\(column): error[EVAL001]: NameError: name 'os' is not defined"
        let printed = result.stdout.split(whereSeparator: \.isNewline).map(String.init)
        #expect(printed.contains(expected), "expected the line\n  \(expected)\n\(result.summary)")
    }
}
