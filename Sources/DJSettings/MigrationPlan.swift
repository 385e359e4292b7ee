/// `djstatic migrate`: how the legacy STATICFILES_STORAGE / DEFAULT_FILE_STORAGE settings (and the
/// django-storages settings only one of those storages reads) become one STORAGES dict.
public struct MigrationPlan: Sendable {
    public enum Status: Sendable, Hashable {
        /// The settings use no legacy storage setting.
        case nothing(String)
        /// The rewrite cannot be made faithfully: why, and where when a line is to blame.
        case refused(String, SourceLocation?)
        /// `edits` rewrite `file`.
        case planned
        /// The answer of the proof evaluation (the rewritten source evaluated): only `fingerprint`.
        case verification
    }

    /// Lines `start...end` (1-based) of the file are replaced by `text` (empty: removed).
    public struct Edit: Sendable, Hashable {
        public var start: Int
        public var end: Int
        public var text: String
        public init(start: Int, end: Int, text: String) {
            self.start = start
            self.end = end
            self.text = text
        }

        /// The replacement lines (none when the lines are only removed).
        public var lines: [String] { MigrationPlan.lines(of: text).lines }
    }

    /// A setting that moves into STORAGES: a legacy one as an alias's BACKEND (`option` nil), a
    /// django-storages one into the alias's OPTIONS.
    public struct Move: Sendable, Hashable {
        public var setting: String
        public var alias: String
        public var option: String?
        public var line: Int
        public init(setting: String, alias: String, option: String?, line: Int) {
            self.setting = setting
            self.alias = alias
            self.option = option
            self.line = line
        }
    }

    /// A django-storages setting that stays global, and why.
    public struct Kept: Sendable, Hashable {
        public var setting: String
        public var alias: String
        public var option: String
        public var reason: String
        public init(setting: String, alias: String, option: String, reason: String) {
            self.setting = setting
            self.alias = alias
            self.option = option
            self.reason = reason
        }
    }

    public var status: Status
    public var file: String
    public var edits: [Edit]
    public var legacy: [Move]
    public var moved: [Move]
    public var kept: [Kept]
    /// Lines holding a credential literal, masked, for showing the file (a diff's context).
    public var displayLines: [Int: String]
    /// The installed Django ignores the legacy settings (5.1+): the rewrite makes them take effect.
    public var ignoredByInstalledDjango: Bool
    /// The default and staticfiles storages as created from these settings (legacy settings
    /// honoured): class and attributes, credentials as digests. Equal fingerprints of the original
    /// and the rewritten settings are the proof of equivalence.
    public var fingerprint: SettingValue?
    /// The legacy settings the evaluated module still sets.
    public var legacyPresent: [String]

    public init(status: Status, file: String = "", edits: [Edit] = [], legacy: [Move] = [], moved: [Move] = [],
                kept: [Kept] = [], displayLines: [Int: String] = [:], ignoredByInstalledDjango: Bool = false,
                fingerprint: SettingValue? = nil, legacyPresent: [String] = []) {
        self.status = status
        self.file = file
        self.edits = edits
        self.legacy = legacy
        self.moved = moved
        self.kept = kept
        self.displayLines = displayLines
        self.ignoredByInstalledDjango = ignoredByInstalledDjango
        self.fingerprint = fingerprint
        self.legacyPresent = legacyPresent
    }

    /// The settings names whose values the rewrite changes on purpose (they are compared through
    /// the fingerprint instead).
    public var rewrittenNames: Set<String> {
        Set(["STORAGES", "STATICFILES_STORAGE", "DEFAULT_FILE_STORAGE"] + moved.map(\.setting))
    }

    /// `text` split at "\n" without terminators, and whether it ended with one.
    public static func lines(of text: String) -> (lines: [String], finalNewline: Bool) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let finalNewline = lines.last == ""
        if finalNewline { lines.removeLast() }
        return (lines, finalNewline)
    }

    /// `lines` (the file split at "\n", without terminators) with the edits applied.
    public func apply(to lines: [String]) -> [String] {
        var out: [String] = []
        var next = 1
        for edit in edits.sorted(by: { $0.start < $1.start }) {
            out += lines[(next - 1)..<(edit.start - 1)]
            out += edit.lines
            next = edit.end + 1
        }
        if next - 1 < lines.count { out += lines[(next - 1)...] }
        return out
    }
}
