import DJS3
import DJSettings
import Foundation
import PythonStdlib
import S3Addressing

/// The object store behind an S3 staticfiles storage: djstatic's own S3 client.
public struct S3Store: ObjectStore {
    public let client: S3Client

    public init(client: S3Client) { self.client = client }

    /// The client configuration django-storages' settings describe (boto3's defaults otherwise).
    public static func configuration(_ target: CollectDescription.S3Target) throws -> S3Configuration {
        var style = S3AddressingStyle.auto
        if let name = target.addressingStyle {
            guard let parsed = S3AddressingStyle(rawValue: name) else {
                throw S3Error.invalidConfiguration("addressing_style must be 'auto', 'virtual' or 'path', not '\(name)'")
            }
            style = parsed
        }
        return S3Configuration(bucket: target.bucket, region: target.region, endpointURL: target.endpointURL,
                               addressingStyle: style, useSSL: target.useSSL,
                               multipartThreshold: target.multipartThreshold, partSize: target.multipartChunkSize)
    }

    public func list(prefix: String) async throws -> [PyStrKey: String] {
        var out: [PyStrKey: String] = [:]
        for object in try await client.listObjects(prefix: prefix) { out[PyStrKey(object.key)] = object.eTag }
        return out
    }

    public func put(_ object: PreparedObject) async throws {
        try await client.putObject(key: object.key, file: object.file, headers: object.headers)
    }

    public func delete(key: String) async throws {
        try await client.deleteObject(key: key)
    }
}
