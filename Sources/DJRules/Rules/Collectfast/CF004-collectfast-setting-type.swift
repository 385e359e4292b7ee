import DJSettings

public struct CollectfastSettingTypeRule: Rule {
    public static let description = RuleDescription(
        code: "CF004", name: "collectfast-setting-type", severity: .error,
        summary: "A setting Collectfast type-checks at import has the wrong type.",
        rationale: """
            Collectfast checks the type of its settings (and of DEBUG, AWS_IS_GZIPPED and \
            GZIP_CONTENT_TYPES) when its command is imported: a string "4" for the thread count or a \
            list of content types (which django-storages accepts) makes every collectstatic fail \
            with ValueError.
            """,
        mirrors: "ValueError",
        bad: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy
                      + "\n↓COLLECTFAST_THREADS = \"4\"\n↓GZIP_CONTENT_TYPES = [\"text/css\", \"text/javascript\"]")],
        good: [Example(collectfastApps + "\n" + s3Static + "\n" + boto3Strategy
                       + "\nCOLLECTFAST_THREADS = 4\nGZIP_CONTENT_TYPES = (\"text/css\", \"text/javascript\")")])

    /// Python types as `repr(type)` shows them, with how `isinstance` judges a value.
    enum PythonType: String {
        case int, bool, str, tuple

        func accepts(_ value: SettingValue) -> Bool? {
            switch (self, value) {
            case (_, .opaque), (_, .lazy): nil  // e.g. a namedtuple or an int subclass: cannot tell
            case (.int, .int), (.int, .bigInt), (.int, .bool), (.bool, .bool), (.tuple, .tuple),
                 (.str, .string), (.str, .placeholder), (.str, .secret): true
            default: false
            }
        }
    }

    public init() {}

    /// The ValueError Collectfast raises.
    static func message(setting: String, expected: PythonType, found: String) -> String {
        "The '\(setting)' setting must be of type <class '\(expected.rawValue)'>, found <class '\(found)'>"
    }

    public func check(_ context: RuleContext) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        let packages = snapshot.collectfastPackages
        guard !packages.isEmpty else { return [] }
        var checked: [(String, PythonType)] = [("DEBUG", .bool), ("AWS_IS_GZIPPED", .bool), ("GZIP_CONTENT_TYPES", .tuple)]
        for package in packages {
            checked += [(package.setting("DEBUG"), .bool), (package.setting("CACHE_KEY_PREFIX"), .str),
                        (package.setting("CACHE"), .str), (package.setting("THREADS"), .int), (package.setting("ENABLED"), .bool)]
        }
        return checked.compactMap { name, type in
            guard let value = snapshot[name], !value.dependsOnUnsetEnvironment,
                  type.accepts(value) == false else { return nil }
            return Finding(Self.message(setting: name, expected: type, found: value.pythonTypeName),
                           setting: snapshot.isExplicit(name) ? name : "INSTALLED_APPS")
        }
    }
}
