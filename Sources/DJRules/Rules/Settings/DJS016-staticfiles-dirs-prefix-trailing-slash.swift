import DJSettings

public struct PrefixTrailingSlashRule: Rule {
    public static let description = RuleDescription(
        code: "DJS016", name: "staticfiles-dirs-prefix-trailing-slash", severity: .error,
        summary: "A (prefix, path) STATICFILES_DIRS entry has a prefix ending with '/'.",
        rationale: "The prefix is joined with '/', so 'vendor/' produces 'vendor//file.js' paths.",
        mirrors: "staticfiles.E003",
        bad: [Example(#"↓STATICFILES_DIRS = [("vendor/", "/srv/vendor")]"#)],
        good: [Example(#"STATICFILES_DIRS = [("vendor", "/srv/vendor")]"#)])

    public init() {}
    public func check(_ context: RuleContext) -> [Finding] {
        guard let (_, entries) = dirsEntries(context) else { return [] }
        return entries.compactMap { entry in
            guard let prefix = entry.prefix?.string, prefix.hasSuffix("/") else { return nil }
            return Finding("The prefix \(SettingValue.quote(prefix)) in the STATICFILES_DIRS setting must not end with a slash. (staticfiles.E003)",
                           setting: "STATICFILES_DIRS")
        }
    }
}
