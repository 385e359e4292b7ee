import Foundation
import PythonStdlib

/// What the uploader needs of an object store: one listing, writes and deletes.
public protocol ObjectStore: Sendable {
    /// Every object under `prefix`: key → ETag (quoted, as S3 returns it). Keys compare by code
    /// point, as S3 compares them: "café" precomposed and decomposed are two objects.
    func list(prefix: String) async throws -> [PyStrKey: String]
    /// Writes one object (multipart above the object's threshold).
    func put(_ object: PreparedObject) async throws
    func delete(key: String) async throws
}
