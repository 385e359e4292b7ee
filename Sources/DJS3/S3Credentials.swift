import Foundation

/// An AWS access key pair with an optional session token.
///
/// The values never appear in `description`, `debugDescription`, string interpolation, `dump`
/// or reflection: only the source the credentials came from is shown.
public struct S3Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    /// Where a set of credentials was found, in botocore's provider terms.
    public enum Source: String, Sendable, Equatable {
        /// Passed in explicitly (django-storages `access_key`/`secret_key`/`security_token`).
        case explicit
        /// `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (+ token) in the environment.
        case environment = "env"
        /// The shared credentials file (`~/.aws/credentials`).
        case sharedCredentialsFile = "shared-credentials-file"
        /// The config file (`~/.aws/config`).
        case configFile = "config-file"
    }

    public let accessKeyID: String
    public let secretAccessKey: String
    public let sessionToken: String?
    public let source: Source

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil,
                source: Source = .explicit) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken.flatMap { $0.isEmpty ? nil : $0 }
        self.source = source
    }

    public var description: String {
        "S3Credentials(source: \(source.rawValue), accessKeyID: <redacted>, secretAccessKey: <redacted>"
            + (sessionToken == nil ? ")" : ", sessionToken: <redacted>)")
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["source": source, "credentials": "<redacted>"], displayStyle: .struct)
    }
}

/// botocore's default credential chain, limited to the providers that need no network:
/// environment variables, the shared credentials file and the config file.
public enum S3CredentialChain {
    /// Resolves credentials the way `boto3.Session(profile_name=profile).get_credentials()` does.
    ///
    /// - Parameters:
    ///   - explicit: credentials from settings; they win when given.
    ///   - profile: an explicitly chosen profile (django-storages `session_profile`). As in botocore,
    ///     an explicit profile disables the environment-variable provider.
    ///   - environment: the process environment (`AWS_PROFILE`, `AWS_DEFAULT_PROFILE`,
    ///     `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`, `HOME` and the key variables).
    /// - Throws: `S3Error.noCredentials` when no provider has credentials (botocore's
    ///   `NoCredentialsError`); `S3Error.invalidConfiguration` for a named profile that neither file has, a
    ///   provider with an access key but no secret, or an unparsable file (messages never contain
    ///   credential values).
    public static func resolve(explicit: S3Credentials? = nil, profile: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> S3Credentials {
        if let explicit { return explicit }
        let namedProfile = profile ?? nonEmpty(environment["AWS_DEFAULT_PROFILE"]) ?? nonEmpty(environment["AWS_PROFILE"])
        let profileName = namedProfile ?? "default"

        let credentialsPath = expand(environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials",
                                     environment: environment)
        let configPath = expand(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config", environment: environment)
        let credentialsFile = try INIFile.load(path: credentialsPath) ?? [:]
        let configProfiles = try INIFile.profiles(INIFile.load(path: configPath) ?? [:])
        // botocore looks a named profile up (in both files) before any provider runs.
        if namedProfile != nil, credentialsFile[profileName] == nil, configProfiles[profileName] == nil {
            throw S3Error.invalidConfiguration("The config profile (\(profileName)) could not be found")
        }

        if profile == nil, let found = try fromEnvironment(environment) { return found }
        if let found = try fromSection(credentialsFile[profileName], source: .sharedCredentialsFile) { return found }
        if let found = try fromSection(configProfiles[profileName], source: .configFile) { return found }
        throw S3Error.noCredentials
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    private static func fromEnvironment(_ environment: [String: String]) throws -> S3Credentials? {
        guard let accessKey = nonEmpty(environment["AWS_ACCESS_KEY_ID"]) else { return nil }
        guard let secret = nonEmpty(environment["AWS_SECRET_ACCESS_KEY"]) else {
            throw S3Error.invalidConfiguration(
                "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY")
        }
        // botocore checks the legacy name first.
        let token = nonEmpty(environment["AWS_SECURITY_TOKEN"]) ?? nonEmpty(environment["AWS_SESSION_TOKEN"])
        return S3Credentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: token,
                             source: .environment)
    }

    private static func fromSection(_ section: [String: String]?, source: S3Credentials.Source) throws
        -> S3Credentials? {
        guard let section, let accessKey = section["aws_access_key_id"] else { return nil }
        guard let secret = section["aws_secret_access_key"] else {
            throw S3Error.invalidConfiguration(
                "Partial credentials found in \(source.rawValue), missing: aws_secret_access_key")
        }
        let token = section["aws_security_token"] ?? section["aws_session_token"]
        return S3Credentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: token, source: source)
    }

    /// `os.path.expandvars` + `expanduser` for the forms that occur in these variables.
    private static func expand(_ path: String, environment: [String: String]) -> String {
        var result = path
        if result == "~" || result.hasPrefix("~/") {
            let home = environment["HOME"] ?? NSHomeDirectory()
            result = home + result.dropFirst()
        }
        for (name, value) in environment where result.contains("$") {
            result = result.replacingOccurrences(of: "${\(name)}", with: value)
        }
        return result
    }
}

/// The subset of Python's `configparser.RawConfigParser` that AWS config files use: `[section]`
/// headers, `key = value` / `key: value` options (names lower-cased, values stripped), full-line
/// `#`/`;` comments, and indented continuation lines (kept as part of the previous value).
enum INIFile {
    /// nil when the file does not exist.
    static func load(path: String) throws -> [String: [String: String]]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else {
            throw S3Error.invalidConfiguration("Unable to parse config file: \(path)")
        }
        return try parse(text, path: path)
    }

    static func parse(_ text: String, path: String) throws -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        var lastOption: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if let first = line.first, first == " " || first == "\t", let section = current, let option = lastOption {
                sections[section]?[option, default: ""] += "\n" + trimmed
                continue
            }
            if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") {
                let name = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
                current = name
                lastOption = nil
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard let section = current,
                  let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw S3Error.invalidConfiguration("Unable to parse config file: \(path)")
            }
            let name = trimmed[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            sections[section]?[name] = value
            lastOption = name
        }
        return sections
    }

    /// botocore's `build_profile_map`: `[profile NAME]` sections and `[default]`.
    static func profiles(_ sections: [String: [String: String]]) -> [String: [String: String]] {
        var profiles: [String: [String: String]] = [:]
        for (name, values) in sections {
            if name == "default" {
                profiles["default"] = values
            } else if name.hasPrefix("profile") {
                let parts = name.split(whereSeparator: { $0 == " " || $0 == "\t" })
                if parts.count == 2 { profiles[String(parts[1])] = values }
            }
        }
        return profiles
    }
}
