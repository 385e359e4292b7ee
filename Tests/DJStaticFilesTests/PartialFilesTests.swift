import DJStaticFiles
import Foundation
import Glibc
import Testing

/// Ctrl-C while writer threads create and rename temporary files: `abandonAll` must remove a
/// temporary file created at the very moment the signal arrives (a CI run once kept one that a
/// writer registered before `abandonAll` and created just after it).
@Suite("temporary files of an interrupted run")
struct PartialFilesTests {
    @Test("abandoning removes every temporary file, even one being created at that moment")
    func abandonRemovesFilesCreatedConcurrently() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("partials-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        var leftovers: [String] = []
        for trial in 0..<30 {
            let directory = base + "/\(trial)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let partials = PartialFiles()
            // Writers never return: once abandoned, their next create or rename waits for good,
            // as they do in a process that is about to exit.
            for writer in 0..<3 {
                Thread {
                    var index = 0
                    while true {
                        let final = directory + "/w\(writer)-\(index % 8)"
                        let partial = SafeIO.partialName(for: final)
                        let fd = partials.create(partial) { open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666) }
                        guard fd >= 0 else { return }
                        close(fd)
                        _ = partials.commit(partial, as: final)
                        index += 1
                    }
                }.start()
            }
            // Interrupted at a random moment once every writer has renamed a file into place.
            var names: [String] = []
            for _ in 0..<5_000 where Set(names.filter { !SafeIO.isPartialName($0) }.map { $0.prefix(2) }).count < 3 {
                usleep(1000)
                names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            }
            usleep(useconds_t.random(in: 0...2000))
            partials.abandonAll()
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(Set(names.filter { !SafeIO.isPartialName($0) }.map { $0.prefix(2) }).count == 3,
                    "not every writer wrote before the interruption: \(names)")
            leftovers += names.filter(SafeIO.isPartialName).map { "\(trial)/\($0)" }
        }
        #expect(leftovers.isEmpty, "temporary files left after abandonAll: \(leftovers)")
    }
}
