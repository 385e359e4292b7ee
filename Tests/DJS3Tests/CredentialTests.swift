import Foundation
import Testing
@testable import DJS3

@Suite struct CredentialTests {
    /// Every case of `botocore_reference.py credentials`: the same environment, HOME and files
    /// must give the same keys, token and provider as `botocore.session.Session(profile=...)`,
    /// or an error where botocore raises one.
    @Test func chainMatchesBotocore() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("djs3-creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let cases = try #require(try reference(["credentials", base.path]) as? [[String: Any]])
        #expect(cases.count == 24)
        for record in cases {
            let name = record["name"] as? String ?? "?"
            let environment = try #require(record["env"] as? [String: String])
            let profile = record["profile"] as? String
            if let error = record["error"] as? String {
                let expected = error == "ProfileNotFound" ? "The config profile (" : "Partial credentials found"
                do {
                    let found = try S3CredentialChain.resolve(profile: profile, environment: environment)
                    Issue.record("\(name): botocore raised \(error), we found \(String(describing: found))")
                } catch {
                    #expect("\(error)".hasPrefix(expected), "\(name): \(error)")
                }
                continue
            }
            guard let result = record["result"] as? [String: Any] else {
                do {
                    let found = try S3CredentialChain.resolve(profile: profile, environment: environment)
                    Issue.record("\(name): botocore found none, we found \(found)")
                } catch {
                    #expect("\(error)" == "Unable to locate credentials", "\(name)")
                }
                continue
            }
            let found = try S3CredentialChain.resolve(profile: profile, environment: environment)
            #expect(found.accessKeyID == result["access_key"] as? String, "\(name): access key")
            #expect(found.secretAccessKey == result["secret_key"] as? String, "\(name): secret")
            #expect(found.sessionToken == result["token"] as? String, "\(name): token")
            #expect(found.source.rawValue == result["method"] as? String, "\(name): provider")
        }
    }

    @Test func explicitCredentialsWinOverEverything() throws {
        let explicit = S3Credentials(accessKeyID: "AKX", secretAccessKey: "sx")
        let found = try S3CredentialChain.resolve(
            explicit: explicit, environment: ["AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "e", "HOME": "/nonexistent"])
        #expect(found == explicit)
        #expect(found.source == .explicit)
    }

    @Test func valuesNeverAppearInDescriptions() throws {
        let credentials = S3Credentials(accessKeyID: "AKIASECRETACCESSKEY1", secretAccessKey: "wJalrSECRETVALUE",
                                        sessionToken: "TOKENVALUE123")
        var dumped = ""
        dump(credentials, to: &dumped)
        let renderings = [
            credentials.description, credentials.debugDescription, "\(credentials)", String(reflecting: credentials),
            dumped, "\([credentials])", "\(Optional(credentials) as Any)",
            "\(SigV4Signer(credentials: credentials, region: "us-east-1"))",
        ]
        for text in renderings {
            for secret in ["AKIASECRETACCESSKEY1", "wJalrSECRETVALUE", "TOKENVALUE123"] {
                #expect(!text.contains(secret), "\(secret) leaked in: \(text)")
            }
        }
        #expect(credentials.description.contains("<redacted>"))
    }

    @Test func errorsNameTheSourceButNotTheValues() {
        let environment = ["AWS_ACCESS_KEY_ID": "AKIAPARTIALKEY", "HOME": "/nonexistent"]
        do {
            _ = try S3CredentialChain.resolve(environment: environment)
            Issue.record("partial environment credentials were accepted")
        } catch {
            #expect("\(error)" == "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY")
        }
    }
}
