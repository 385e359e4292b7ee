import DJSettings
import Foundation

public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, warning, error
    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// A tiny project that demonstrates a rule: `settings` is the settings module's source; `files`
/// are other project files (relative path -> source), e.g. a storage module.
///
/// A bad example marks where each of its findings lands with `↓` written immediately before the
/// character at the finding's line and column, in `settings` or in one of the `files` (as
/// SwiftLint's examples do). The markers are removed from the source and kept in `markers`.
public struct Example: Sendable {
    /// The character that marks a finding's position in an example's source.
    public static let marker: Character = "↓"
    /// The name the settings module's source is marked under.
    public static let settingsFile = "settings.py"

    public var settings: String
    public var files: [String: String]
    /// Where the findings land, one per `↓`, sorted: the file is `settings.py` or a key of `files`.
    public var markers: [SourceLocation]
    /// Environment variables set for the evaluation.
    public var environment: [String: String]
    /// Target Django version (`--django-version`), when the example depends on it.
    public var djangoVersion: String?
    /// Where the example is written (a failing example points at its rule's source).
    public var sourceFile: String
    public var sourceLine: Int

    public init(_ settings: String, files: [String: String] = [:], environment: [String: String] = [:],
                djangoVersion: String? = nil, file: String = #filePath, line: Int = #line) {
        var markers: [SourceLocation] = []
        self.settings = Self.unmark(settings, file: Self.settingsFile, into: &markers)
        self.files = files.reduce(into: [:]) { $0[$1.key] = Self.unmark($1.value, file: $1.key, into: &markers) }
        self.markers = markers.sorted(by: Self.inOrder)
        self.environment = environment
        self.djangoVersion = djangoVersion
        self.sourceFile = file
        self.sourceLine = line
    }

    /// `source` without its markers; each marker's position (columns count characters as Python
    /// does, in code points) is appended to `markers`.
    static func unmark(_ source: String, file: String, into markers: inout [SourceLocation]) -> String {
        guard source.contains(marker) else { return source }
        var line = 1, column = 1
        var unmarked = String.UnicodeScalarView()
        for scalar in source.unicodeScalars {
            if Character(scalar) == marker {
                markers.append(SourceLocation(file: file, line: line, column: column))
                continue
            }
            unmarked.append(scalar)
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return String(unmarked)
    }

    /// Order of positions: by file, line, column.
    public static func inOrder(_ a: SourceLocation, _ b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// What a rule needs evaluated beyond the settings module (each level includes the ones before).
public enum Requirement: Int, Sendable, Comparable {
    /// The settings module alone.
    case settings
    /// `django.setup()` and collectstatic's finders.
    case finders
    /// The finders and the asset audit: the storage's reference patterns and the templates'
    /// `{% static %}` paths.
    case assets

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Everything a rule says about itself: identity, documentation, and the examples the test
/// suite runs through the real interpreter (each `bad` example must trigger the rule exactly at
/// its `↓` markers, each `good` one must not trigger it).
public struct RuleDescription: Sendable {
    /// Stable public code, e.g. "DJS006".
    public var code: String
    /// kebab-case name that reads naturally after "ignore", e.g. "static-url-without-trailing-slash".
    public var name: String
    public var severity: Severity
    /// One line: what it finds.
    public var summary: String
    /// Why it matters in production.
    public var rationale: String
    /// The Django check or exception it mirrors, if any (e.g. "urls.E006").
    public var mirrors: String?
    /// Whether the outcome depends on the target Django version.
    public var versionAware: Bool
    /// Runs only when selected explicitly (it costs a `django.setup()` and a walk of every static root).
    public var optIn: Bool
    public var requires: Requirement
    /// Built (their `↓` markers parsed) when asked for, not with the description: `check` reads
    /// every rule's description to pick the enabled rules; only the tests and `djstatic rule CODE`
    /// read the examples.
    public var bad: [Example] { makeBad() }
    public var good: [Example] { makeGood() }
    private let makeBad: @Sendable () -> [Example]
    private let makeGood: @Sendable () -> [Example]

    public init(code: String, name: String, severity: Severity, summary: String, rationale: String,
                mirrors: String? = nil, versionAware: Bool = false, optIn: Bool = false, requires: Requirement = .settings,
                bad: @autoclosure @escaping @Sendable () -> [Example], good: @autoclosure @escaping @Sendable () -> [Example]) {
        self.code = code
        self.name = name
        self.severity = severity
        self.summary = summary
        self.rationale = rationale
        self.mirrors = mirrors
        self.versionAware = versionAware
        self.optIn = optIn
        self.requires = requires
        self.makeBad = bad
        self.makeGood = good
    }
}

/// What a rule reports; the engine adds code, severity and a location.
public struct Finding: Sendable {
    public var message: String
    /// The setting concerned; its source gives the location unless `location` is set.
    public var setting: String?
    /// The string entry (list item, dict key such as a STORAGES alias) of `setting` concerned: the
    /// finding lands where that entry was written, when it was written as a literal.
    public var entry: String?
    public var location: SourceLocation?
    public var hints: [String]
    /// When the finding's consequence depends on the project (e.g. an error only where collectstatic
    /// fails on it): overrides the rule's severity.
    public var severity: Severity?

    public init(_ message: String, setting: String? = nil, entry: String? = nil, at location: SourceLocation? = nil,
                hints: [String] = [], severity: Severity? = nil) {
        self.message = message
        self.setting = setting
        self.entry = entry
        self.location = location
        self.hints = hints
        self.severity = severity
    }
}

public protocol Rule: Sendable {
    static var description: RuleDescription { get }
    init()
    func check(_ context: RuleContext) -> [Finding]
}

extension Rule {
    public var description: RuleDescription { Self.description }
}

/// What rules look at: the evaluated settings, or why evaluation failed.
public struct RuleContext: Sendable {
    public enum Outcome: Sendable {
        case evaluated(SettingsSnapshot)
        case failed(EvaluationFailure, settingsFile: String)
    }

    public var outcome: Outcome
    /// The Django version rules target: `--django-version`, else the installed one, else 5.2.
    public var djangoVersion: DjangoVersion
    /// The project's working directory (where manage.py runs): relative paths resolve against it.
    public var projectRoot: String

    /// What several rules compute from the same outcome, computed once (the asset scan).
    let shared = SharedAnalyses()

    public init(outcome: Outcome, djangoVersion: DjangoVersion, projectRoot: String) {
        self.outcome = outcome
        self.djangoVersion = djangoVersion
        self.projectRoot = projectRoot
    }

    public var snapshot: SettingsSnapshot? {
        if case .evaluated(let snapshot) = outcome { return snapshot }
        return nil
    }

    public var failure: EvaluationFailure? {
        if case .failed(let failure, _) = outcome { return failure }
        return nil
    }
}

/// A rule's finding, placed and classified: what every reporter prints.
public struct Diagnostic: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var severity: Severity
    public var message: String
    public var file: String
    public var line: Int
    public var column: Int
    public var setting: String?
    public var hints: [String]

    public init(code: String, name: String, severity: Severity, message: String, file: String, line: Int,
                column: Int, setting: String?, hints: [String] = []) {
        self.code = code
        self.name = name
        self.severity = severity
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.setting = setting
        self.hints = hints
    }
}

/// Analyses shared by the rules of one context, each computed on first use.
final class SharedAnalyses: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [ObjectIdentifier: Any] = [:]

    func value<T>(_ make: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        if let value = values[ObjectIdentifier(T.self)] as? T { return value }
        let value = make()
        values[ObjectIdentifier(T.self)] = value
        return value
    }
}
