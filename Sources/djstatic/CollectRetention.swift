import DJPrune
import DJSettings
import Foundation

extension CollectCommand {
    /// `--record-release` and `--keep-releases` need a manifest storage; refused before collecting.
    func checkRetention(_ description: CollectDescription) throws {
        if clear, let storage = description.storage, Self.isReleaseSpecific(storage) {
            printError("djstatic: warning: --clear with a release-specific manifest storage deletes every earlier release's "
                       + "files, which pages served by servers still on those releases reference (404s during a rolling deploy, "
                       + "cached by CDNs); deploy without --clear and let `djstatic prune --keep N` (or collect --keep-releases N) "
                       + "delete what only old releases name")
        }
        guard keepReleases != nil || recordRelease else { return }
        if let keepReleases, keepReleases < 1 {
            printError("djstatic: error: --keep-releases must be at least 1")
            throw Exit(status: 2)
        }
        if description.storage?.manifest == nil || noPostProcess {
            printError("djstatic: error: --keep-releases and --record-release need a manifest storage and post-processing "
                       + "(no manifest is written otherwise)")
            throw Exit(status: 2)
        }
    }

    /// After a successful deploy (its manifest live): record the manifest for a single-manifest
    /// storage (`--record-release`, implied by `--keep-releases`), then prune to the newest N.
    func retainReleases(_ description: CollectDescription) throws {
        guard !dryRun, keepReleases != nil || recordRelease else { return }
        let (store, layout, close) = try PruneRun.target(description)
        if !layout.releaseSpecific {
            let recorded = CollectCommand.blocking { () async -> Result<String, any Error> in
                do {
                    let manifest = try await store.read(layout.liveManifest)
                    return .success(try await Pruner.record(manifest: manifest, in: store))
                } catch { return .failure(error) }
            }
            if case .failure(let error) = recorded {
                close()
                printError("djstatic: error: recording the release in '\(store.display(PruneLayout.recordDirectory))': \(error)")
                throw Exit(status: 1)
            }
        }
        close()
        guard let keepReleases else { return }
        var run = PruneRun(policy: PrunePolicy(keep: keepReleases, olderThan: nil, unreferencedOlderThan: nil), dryRun: false,
                           interactive: false, verbosity: verbosity >= 2 ? 2 : verbosity, json: format == "json")
        run.textToStandardError = format == "json"
        run.showPlan = verbosity >= 2
        let status = try run.prune(description)
        if status != 0 { throw Exit(status: status) }
    }

    /// A manifest kept apart from the files, per release (`<location>/<release_id>/staticfiles.json`).
    static func isReleaseSpecific(_ storage: CollectDescription.Storage) -> Bool {
        if let s3 = storage.s3 { return s3.manifestLocation.map { $0 != s3.location } ?? false }
        guard let location = storage.location, let manifestLocation = storage.manifest?.location else { return false }
        let trim = { (path: String) in path.hasSuffix("/") ? String(path.dropLast()) : path }
        return trim(location) != trim(manifestLocation)
    }
}
