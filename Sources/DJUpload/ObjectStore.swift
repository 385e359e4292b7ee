import Foundation

/// What the uploader needs of an object store: one listing, writes and deletes.
public protocol ObjectStore: Sendable {
    /// Every object under `prefix`: key → ETag (quoted, as S3 returns it).
    func list(prefix: String) async throws -> [String: String]
    /// Writes one object (multipart above the object's threshold).
    func put(_ object: PreparedObject) async throws
    func delete(key: String) async throws
}
