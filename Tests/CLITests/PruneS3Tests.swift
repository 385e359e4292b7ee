import Foundation
import Testing

/// prune on S3 (django-storages' S3ManifestStaticStorage with the seed's release-specific
/// manifests, `<location>/<release_id>/staticfiles.json`), against moto on 127.0.0.1, with the
/// server going away mid-prune (a proxy in front of it that exits after the Nth DeleteObjects).
@Suite("prune on S3", .serialized)
struct PruneS3Tests {
    /// Every object's SHA-256, and the parsed manifests, read with boto3.
    static func bucket(_ server: MotoServer, _ name: String) throws -> (objects: [String: String], manifests: [String: Set<String>]) {
        let script = """
            import hashlib, json, sys
            import boto3
            s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                              aws_access_key_id="testing", aws_secret_access_key="testing")
            objects, manifests = {}, {}
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[2]):
                for entry in page.get("Contents", []):
                    body = s3.get_object(Bucket=sys.argv[2], Key=entry["Key"])["Body"].read()
                    objects[entry["Key"]] = hashlib.sha256(body).hexdigest()
                    if entry["Key"].endswith("/staticfiles.json"):
                        paths = json.loads(body)["paths"]
                        manifests[entry["Key"]] = sorted(set(paths) | set(paths.values()))
            print(json.dumps({"objects": objects, "manifests": manifests}))
            """
        let result = try runProcess(Paths.python("dj52"), ["-c", script, server.endpoint, name])
        try #require(result.status == 0, "\(result.summary)")
        let answer = try jsonObject(result.stdout, what: "bucket")
        let manifests = (answer["manifests"] as? [String: [String]] ?? [:]).mapValues(Set.init)
        return (answer["objects"] as? [String: String] ?? [:], manifests)
    }

    /// Every stored manifest names only objects that are there (of those that were there before).
    static func expectInvariant(_ state: (objects: [String: String], manifests: [String: Set<String>]),
                                before: [String: String], _ label: String) {
        for (key, names) in state.manifests {
            let missing = names.map { "static/" + $0 }.filter { before[$0] != nil && state.objects[$0] == nil }
            #expect(missing.isEmpty, "\(label): \(key) names deleted objects: \(missing.sorted().prefix(5))")
        }
    }

    /// A proxy to `server` that exits after answering `deletes` DeleteObjects requests.
    static func dyingProxy(_ server: MotoServer, deletes: Int) throws -> (process: Process, endpoint: String) {
        let proxy = Process()
        proxy.executableURL = Paths.python("dj52")
        proxy.arguments = [Paths.repository.appendingPathComponent("Tests/Reference/s3_dying_proxy.py").path,
                           String(server.port), String(deletes)]
        let portPipe = Pipe()
        proxy.standardOutput = portPipe
        try proxy.run()
        let line = String(decoding: portPipe.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(Int(line.trimmingCharacters(in: .whitespacesAndNewlines)))
        return (proxy, "http://127.0.0.1:\(port)")
    }

    @Test("5 deploys to S3, prune --keep 2 with the server gone twice mid-prune: invariant after each step, re-run finishes")
    func keepTwoOfFiveDeploysWithTheServerDying() throws {
        let server = try MotoServer()
        defer { server.stop() }
        let project = try ReleaseProject(fixture: "collect-s3", package: "s3site")
        defer { project.remove() }
        #expect(try server.bucket(["create", "prune"]).status == 0)
        project.extraEnvironment = ["S3_BACKEND": "s3site.storage.ReleaseManifestS3Storage", "S3_BUCKET": "prune",
                                    "S3_ENDPOINT_URL": server.endpoint, "AWS_ACCESS_KEY_ID": "testing",
                                    "AWS_SECRET_ACCESS_KEY": "testing"]
        for i in 1...5 {
            try project.writeSources(deploy: i)
            let deployed = try project.djstatic(["collect", "--noinput"], release: "r\(i)")
            try #require(deployed.status == 0, "deploy \(i): \(deployed.summary)")
        }
        let before = try Self.bucket(server, "prune")
        let manifest = { (release: String) in before.manifests["static/\(release)/staticfiles.json"] ?? [] }
        let kept = manifest("r4").union(manifest("r5"))
        let onlyDropped = manifest("r1").union(manifest("r2")).union(manifest("r3")).subtracting(kept)
            .subtracting(fileNames(under: project.src))
        var expected = before.objects
        for name in onlyDropped { expected["static/" + name] = nil }
        for release in ["r1", "r2", "r3"] { expected["static/\(release)/staticfiles.json"] = nil }
        #expect(onlyDropped.count > 3 * ReleaseProject.generated && before.objects.count - expected.count > 3 * ReleaseProject.generated)

        // 1. The server dies after two DeleteObjects: two dropped manifests are gone, the third
        //    could not be deleted, so no file is (the third may name any of them); exit 1, named.
        var proxy = try Self.dyingProxy(server, deletes: 2)
        project.extraEnvironment["S3_ENDPOINT_URL"] = proxy.endpoint
        let first = try project.djstatic(["prune", "--keep", "2", "--noinput"], release: "r5")
        proxy.process.waitUntilExit()
        #expect(first.status == 1, "\(first.summary)")
        #expect(first.stderr.contains("Deleting 'static/r3/staticfiles.json' failed"), "\(first.stderr.prefix(2000))")
        var state = try Self.bucket(server, "prune")
        Self.expectInvariant(state, before: before.objects, "after the first failure")
        #expect(state.manifests.keys.sorted() == ["static/r3/staticfiles.json", "static/r4/staticfiles.json", "static/r5/staticfiles.json"])
        #expect(state.objects["static/.djstatic/prune-pending.json"] != nil)

        // 2. The server dies after one DeleteObjects: the last dropped manifest goes, the file
        //    batch does not; every failed key is named; exit 1.
        proxy = try Self.dyingProxy(server, deletes: 1)
        project.extraEnvironment["S3_ENDPOINT_URL"] = proxy.endpoint
        let second = try project.djstatic(["prune", "--keep", "2", "--noinput"], release: "r5")
        proxy.process.waitUntilExit()
        #expect(second.status == 1, "\(second.summary)")
        for name in onlyDropped.prefix(20) {
            #expect(second.stderr.contains("Deleting 'static/\(name)' failed"), "\(name) is not named: \(second.stderr.prefix(1000))")
        }
        state = try Self.bucket(server, "prune")
        Self.expectInvariant(state, before: before.objects, "after the second failure")
        #expect(state.manifests.keys.sorted() == ["static/r4/staticfiles.json", "static/r5/staticfiles.json"])

        // 3. The server back: the journal names what is left; the re-run finishes the job.
        project.extraEnvironment["S3_ENDPOINT_URL"] = server.endpoint
        let third = try project.djstatic(["prune", "--keep", "2", "--noinput", "--format", "json"], release: "r5")
        #expect(third.status == 0, "\(third.summary)")
        let after = try Self.bucket(server, "prune")
        let missing = Set(expected.keys).subtracting(after.objects.keys).sorted()
        let extra = Set(after.objects.keys).subtracting(expected.keys).sorted()
        #expect(missing.isEmpty && extra.isEmpty, "deleted \(missing.prefix(10)), left \(extra.prefix(10))")
        #expect(expected.allSatisfy { after.objects[$0.key] == nil || after.objects[$0.key] == $0.value }, "a kept object changed")
        for name in kept { #expect(after.objects["static/" + name] != nil, "\(name), named by a kept release, is gone") }
        let json = try jsonObject(third.stdout, what: "prune --format json")
        #expect((json["pending"] as? [String])?.count == onlyDropped.count, "the journal's files were pending: \(third.stdout.prefix(500))")

        // 4. collect --keep-releases 2 prunes after the deploy: r4 goes, r5 and r6 stay.
        let sixth = try project.djstatic(["collect", "--noinput", "--keep-releases", "2"], release: "r6")
        #expect(sixth.status == 0 && sixth.stdout.contains("Deleted 1 release manifest"), "\(sixth.summary)")
        #expect(try Self.bucket(server, "prune").manifests.keys.sorted() == ["static/r5/staticfiles.json", "static/r6/staticfiles.json"])
    }

    /// A single S3 manifest: collect --keep-releases records each deployed manifest under
    /// <location>/.djstatic/releases/ in the bucket and prunes to the newest.
    @Test("collect --keep-releases 1 on S3ManifestStaticStorage: recorded in the bucket, the first deploy's files pruned")
    func collectKeepReleasesOnS3() throws {
        let server = try MotoServer()
        defer { server.stop() }
        let project = try ReleaseProject(fixture: "collect-s3", package: "s3site")
        defer { project.remove() }
        #expect(try server.bucket(["create", "single"]).status == 0)
        project.extraEnvironment = ["S3_BUCKET": "single", "S3_ENDPOINT_URL": server.endpoint, "S3_LOCATION": "assets",
                                    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"]
        var manifests: [Set<String>] = []
        for i in [1, 3] {
            try project.writeSources(deploy: i)
            let deployed = try project.djstatic(["collect", "--noinput", "--keep-releases", "1"], release: nil)
            try #require(deployed.status == 0, "deploy \(i): \(deployed.summary)")
            manifests.append(try Self.bucket(server, "single").manifests["assets/staticfiles.json"] ?? [])
        }
        let state = try Self.bucket(server, "single")
        let records = state.objects.keys.filter { $0.hasPrefix("assets/.djstatic/releases/") }
        #expect(records.count == 1, "\(records)")
        let onlyFirst = manifests[0].subtracting(manifests[1]).subtracting(fileNames(under: project.src))
        #expect(onlyFirst.count > ReleaseProject.generated)
        for name in onlyFirst { #expect(state.objects["assets/" + name] == nil, "\(name), named only by the first deploy, is still there") }
        for name in manifests[1] { #expect(state.objects["assets/" + name] != nil, "\(name), named by the live manifest, is gone") }
    }
}
