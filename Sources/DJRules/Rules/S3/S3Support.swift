import DJSettings
import PythonStdlib
import S3Addressing

extension BackendConfiguration {
    /// The storage talks to Amazon's own S3 (no endpoint_url, or an amazonaws.com host); nil when
    /// the endpoint derives from an unset environment variable.
    var isAWS: Bool? {
        guard configuredEndpoint else { return truthy("endpoint_url").map { !$0 } }
        let host = text("endpoint_url").flatMap { try? PyURL.urlsplit($0).hostname } ?? ""
        return S3Address.isAWSHost(host)
    }

    /// endpoint_url is set to a judged, non-empty value.
    var configuredEndpoint: Bool { !(text("endpoint_url") ?? "").isEmpty }
}

/// Findings on STORAGES BACKEND paths with a given prefix.
struct BackendPathCheck {
    var prefix: String

    func check(_ context: RuleContext, _ message: (String) -> String) -> [Finding] {
        guard let snapshot = context.snapshot else { return [] }
        return snapshot.storageAliases.compactMap { alias in
            guard let backend = snapshot.storageBackend(alias), backend.hasPrefix(prefix) else { return nil }
            return Finding("STORAGES['\(alias)']: \(message(backend))", setting: "STORAGES", entry: alias,
                           at: snapshot.backends[alias]?.location)
        }
    }
}
