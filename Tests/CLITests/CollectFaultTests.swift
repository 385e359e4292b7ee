import Foundation
import Testing

/// Faults injected for real into `djstatic collect` — unreadable sources (capabilities dropped),
/// symbolic-link loops, a full disk (a small tmpfs), Ctrl-C and SIGKILL at random points of a
/// large collect, signal storms with Python handlers installed by the settings, `--clear` through
/// a symbolic link, a 500 MB file — and what each leaves behind: never a partial file under a
/// final name, the previous manifest intact, nothing touched outside STATIC_ROOT, and a re-run
/// that gives exactly the tree `manage.py collectstatic` gives.
@Suite("collect under faults: nothing lost, nothing leaked")
struct CollectFaultTests {
    static let venv = "dj52"
    static let future = (Date().timeIntervalSince1970 + 3600).rounded(.down)

    // MARK: unreadable sources

    /// A new source that cannot be opened (a symbolic-link loop; a file with mode 000 read
    /// without CAP_DAC_OVERRIDE): both tools fail at it with the same error and create nothing
    /// under its name (so the next run does not skip a broken copy as "unmodified"); once it is
    /// readable, the next run copies it and the trees are Django's.
    @Test(arguments: ["symlink loop", "mode 000"])
    func unreadableSourceLeavesNothingUnderItsName(_ kind: String) throws {
        var pair = CollectPair(project: URL(fileURLWithPath: "/"), settingsFile: CollectProject.settingsFile, venv: Self.venv)
        defer { pair.removeWork() }
        pair.project = try CollectProject.make(in: pair.work, files: CollectErrorScenarios.good)
        // Without the capabilities that let root read any file (the tests run as root).
        pair.launcher = ["/usr/bin/setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]
        pair.expectSame("\(kind): first run", try pair.run(["--noinput"]))
        let source = pair.project.appendingPathComponent("src/img/new.png")
        if kind == "symlink loop" {
            try FileManager.default.createSymbolicLink(atPath: source.path, withDestinationPath: "new.png")
        } else {
            try CollectProject.write(Data("PNG".utf8), to: source, mtime: Self.future)
            chmod(source.path, 0)
        }
        let failed = try pair.run(["--noinput"])
        #expect(failed.django.status == 1, "scenario assumption: Django fails on the unreadable file\n\(failed.django.summary)")
        pair.expectSame("\(kind): failing run", failed)
        #expect(!FileManager.default.fileExists(atPath: pair.ourRoot + "/img/new.png"), "nothing under the final name")
        #expect(Self.partials(in: pair.ourRoot).isEmpty)

        try? FileManager.default.removeItem(at: source)
        try CollectProject.write(Data("PNG".utf8), to: source, mtime: Self.future)
        pair.expectSame("\(kind): repaired", try pair.run(["--noinput"]))
    }

    // MARK: a full disk

    /// djstatic's STATIC_ROOT on a 4 MiB tmpfs. (1) The disk is filled to the last byte: the
    /// re-run fails writing staticfiles.json (Django deletes its manifest first and loses it);
    /// the previous manifest is still there, byte for byte. (2) A 3 MiB file: its copy fits, its
    /// hashed copy does not: exit 1 with Errno 28, no partial file, no hashed name, the manifest
    /// intact. (3) With room again, the re-run's tree is exactly Django's.
    @Test func fullDiskKeepsTheManifestAndLeavesNoPartialFile() throws {
        var pair = CollectPair(project: URL(fileURLWithPath: "/"), settingsFile: CollectProject.settingsFile, venv: Self.venv)
        defer { pair.removeWork() }
        pair.project = try CollectProject.make(in: pair.work, files: CollectErrorScenarios.good)
        let disk = pair.work.appendingPathComponent("disk").path
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        let mount = try runProcess(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=4m,mode=755", "tmpfs", disk])
        if mount.status != 0 {
            try Test.cancel("skipped: cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN): \(mount.stderr)")
        }
        defer { _ = try? runProcess(URL(fileURLWithPath: "/bin/umount"), ["-l", disk]) }
        pair.ourRootOverride = disk + "/static"
        pair.expectSame("first run", try pair.run(["--noinput"]))
        let manifestPath = pair.ourRoot + "/staticfiles.json"
        let manifest = try #require(FileManager.default.contents(atPath: manifestPath))

        // (1) Not one free block: only the manifest is written again, and cannot be.
        let filler = disk + "/filler"
        Self.fill(filler)
        let full = try pair.runOurs(["--noinput"])
        #expect(full.status == 1, "\(full.summary)")
        #expect(full.stderr.contains("OSError: [Errno 28] No space left on device"), "\(full.stderr)")
        #expect(FileManager.default.contents(atPath: manifestPath) == manifest, "the previous manifest must survive")
        #expect(Self.partials(in: pair.ourRoot).isEmpty)
        unlink(filler)

        // (2) A file whose hashed copy does not fit.
        let big = pair.project.appendingPathComponent("src/img/big.bin")
        try CollectProject.write(Data(repeating: 0x5A, count: 3 << 20), to: big, mtime: Self.future)
        let tooBig = try pair.runOurs(["--noinput"])
        #expect(tooBig.status == 1, "\(tooBig.summary)")
        #expect(tooBig.stderr.contains("OSError: [Errno 28] No space left on device"), "\(tooBig.stderr)")
        let hashed = try FileManager.default.contentsOfDirectory(atPath: pair.ourRoot + "/img").filter { $0.hasPrefix("big.") }
        #expect(hashed == ["big.bin"], "only the complete copy: \(hashed)")
        #expect(FileManager.default.contents(atPath: pair.ourRoot + "/img/big.bin")?.count == 3 << 20)
        #expect(FileManager.default.contents(atPath: manifestPath) == manifest, "the previous manifest must survive")
        #expect(Self.partials(in: pair.ourRoot).isEmpty)

        // (3) Room again: the re-run repairs the tree.
        #expect(try runProcess(URL(fileURLWithPath: "/bin/mount"), ["-o", "remount,size=32m", disk]).status == 0)
        let repaired = try pair.run(["--noinput"])
        #expect(repaired.django.status == 0 && repaired.ours.status == 0, "\(repaired.ours.summary)")
        let differences = TreeComparison.differences(pair.djangoRoot, pair.ourRoot)
        #expect(differences.isEmpty, "after the repair run: \(differences.prefix(10))")
    }

    // MARK: signals

    /// A large collect (the randomised tree plus 6 files of 24 MiB) killed with SIGKILL at three
    /// random points and interrupted with Ctrl-C once. Settings install Python handlers for SIGINT
    /// (ignoring it), SIGWINCH and SIGUSR1. Ctrl-C still ends the run within 2 s with exit 130;
    /// after every kill each file under a final name is complete (equal to the same file of
    /// Django's tree); a run under a SIGWINCH and SIGUSR1 storm succeeds; the final re-run's tree
    /// is exactly Django's.
    @Test func killedAndInterruptedCollectsAreRepairedByTheNextRun() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-faults-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let project = work.appendingPathComponent("project")
        let generated = try runProcess(Paths.python(Self.venv),
                                       [CollectRandomisedTests.generator.path, project.path, "--seed", "20240917"],
                                       environment: Paths.baseEnvironment())
        try #require(generated.status == 0, "\(generated.summary)")
        for index in 0..<6 {
            var blob = Data(repeating: UInt8(index), count: 24 << 20)
            blob.replaceSubrange(0..<16, with: Data("blob \(index) header..".utf8.prefix(16)))
            try CollectProject.write(blob, to: project.appendingPathComponent("static/big/blob-\(index).bin"), mtime: 1_600_000_000)
        }
        let settings = project.appendingPathComponent("randproj/settings.py")
        let handlers = """

            import os as _os, signal as _signal
            _signal.signal(_signal.SIGINT, lambda *args: None)  # Ctrl-C ignored by the settings
            _signal.signal(_signal.SIGWINCH, lambda *args: None)  # Python's handlers interrupt system calls
            _signal.signal(_signal.SIGUSR1, lambda *args: None)  # without it, SIGUSR1 would end the process
            if _os.environ.get("READY_FILE"):
                open(_os.environ["READY_FILE"], "w").close()

            """
        try (String(contentsOf: settings, encoding: .utf8) + handlers).write(to: settings, atomically: true, encoding: .utf8)
        var environment = Paths.baseEnvironment()
        let djangoRoot = work.appendingPathComponent("django").path, ourRoot = work.appendingPathComponent("djstatic").path
        environment["STATIC_ROOT"] = djangoRoot
        let django = try runProcess(Paths.python(Self.venv), ["manage.py", "collectstatic", "--noinput"],
                                    environment: environment, currentDirectory: project)
        try #require(django.status == 0, "\(django.summary)")
        let expected = TreeComparison.entries(djangoRoot)
        environment["STATIC_ROOT"] = ourRoot
        let arguments = ["collect", "randproj/settings.py", "--python-path", Paths.venv(Self.venv).path, "--noinput"]

        // How long an uninterrupted run takes (into a scratch root), to pick the kill points.
        var scratch = environment
        scratch["STATIC_ROOT"] = work.appendingPathComponent("scratch").path
        let timing = try Background(arguments, environment: scratch, directory: project, work: work)
        let whole = timing.wait()
        try #require(whole.status == 0 && !whole.signalled, "\(whole.stderr)")
        try? FileManager.default.removeItem(at: work.appendingPathComponent("scratch"))

        var generator = SystemRandomNumberGenerator()
        for round in 0..<3 {
            // One random point in each third of the run: evaluation or walk, copies, post-processing.
            let delay = Double.random(in: (Double(round) / 3 * whole.seconds)...(Double(round + 1) / 3 * whole.seconds),
                                      using: &generator)
            let run = try Background(arguments, environment: environment, directory: project, work: work)
            usleep(useconds_t(delay * 1_000_000))
            kill(run.pid, SIGKILL)
            let killed = run.wait()
            Self.expectOnlyCompleteFiles(ourRoot, expected, "after SIGKILL \(round + 1) at \(String(format: "%.2f", delay)) s "
                                         + "(exit \(killed.status), signalled \(killed.signalled))")
        }

        // Ctrl-C once files are being written (the settings' own SIGINT handler notwithstanding).
        try? FileManager.default.removeItem(atPath: ourRoot)
        let interrupted = try Background(arguments, environment: environment, directory: project, work: work)
        var info = stat()
        for _ in 0..<20_000 where stat(ourRoot, &info) != 0 { usleep(1000) }
        try #require(interrupted.process.isRunning, "the collect ended before it could be interrupted")
        let status = (try? String(contentsOfFile: "/proc/\(interrupted.pid)/status", encoding: .utf8)) ?? ""
        let signalState = status.split(separator: "\n").filter { $0.hasPrefix("Sig") }.joined(separator: " ")
        let sent = Date()
        kill(interrupted.pid, SIGINT)
        let stopped = interrupted.wait()
        let latency = Date().timeIntervalSince(sent)
        #expect(stopped.status == 130 && !stopped.signalled, "Ctrl-C: exit 130 expected, got \(stopped.status) (\(signalState)): \(stopped.stderr)")
        #expect(latency < 2, "Ctrl-C took \(latency) s to stop djstatic")
        Self.expectOnlyCompleteFiles(ourRoot, expected, "after Ctrl-C")
        #expect(Self.partials(in: ourRoot).isEmpty, "Ctrl-C removes the temporary files it was writing")

        // A storm of SIGWINCH (a terminal being resized) and SIGUSR1, both handled by the settings,
        // from the moment the handlers are installed to the end of the run: no EINTR failure, no
        // death by SIGUSR1 once the evaluation is over.
        let ready = work.appendingPathComponent("ready").path
        var stormEnvironment = environment
        stormEnvironment["READY_FILE"] = ready
        let stormy = try Background(arguments, environment: stormEnvironment, directory: project, work: work)
        let target = stormy.pid
        for _ in 0..<30_000 where !FileManager.default.fileExists(atPath: ready) && stormy.process.isRunning { usleep(1000) }
        try #require(FileManager.default.fileExists(atPath: ready), "the settings never installed their handlers")
        let signalsSent = Counter()
        let storm = Thread {
            while kill(target, 0) == 0 {
                kill(target, signalsSent.increment() % 2 == 0 ? SIGWINCH : SIGUSR1)
                usleep(200)
            }
        }
        storm.start()
        let survived = stormy.wait()
        #expect(survived.status == 0 && !survived.signalled, "under a SIGWINCH/SIGUSR1 storm: \(survived.stderr)")
        #expect(signalsSent.value > 100, "the storm sent \(signalsSent.value) signals")
        print("signal storm: \(signalsSent.value) signals (SIGWINCH, SIGUSR1) during a \(String(format: "%.1f", survived.seconds)) s collect")
        let differences = TreeComparison.differences(djangoRoot, ourRoot)
        #expect(differences.isEmpty, "after the re-run: \(differences.prefix(10))")
    }

    /// Settings that ignore SIGINT and then take their time (here: sleep 20 s): Ctrl-C during the
    /// evaluation itself still ends djstatic with exit 130 within 2 s.
    @Test func ctrlCStopsSettingsThatIgnoreIt() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-faults-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let project = try CollectProject.make(in: work, files: ["a.css": Data("a{}".utf8)])
        let ready = work.appendingPathComponent("ready").path
        let settings = project.appendingPathComponent(CollectProject.settingsFile)
        let stubborn = """

            import signal as _signal, time as _time
            _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
            open(os.environ["READY_FILE"], "w").close()
            _time.sleep(20)

            """
        try (String(contentsOf: settings, encoding: .utf8) + stubborn).write(to: settings, atomically: true, encoding: .utf8)
        var environment = Paths.baseEnvironment()
        environment["STATIC_ROOT"] = work.appendingPathComponent("root").path
        environment["READY_FILE"] = ready
        let run = try Background(["collect", CollectProject.settingsFile, "--python-path", Paths.venv(Self.venv).path, "--noinput"],
                                 environment: environment, directory: project, work: work)
        for _ in 0..<30_000 where !FileManager.default.fileExists(atPath: ready) { usleep(1000) }
        try #require(FileManager.default.fileExists(atPath: ready), "the settings never reached their sleep")
        usleep(300_000)
        let sent = Date()
        kill(run.pid, SIGINT)
        let stopped = run.wait()
        let latency = Date().timeIntervalSince(sent)
        #expect(stopped.status == 130 && !stopped.signalled, "exit 130 expected, got \(stopped.status): \(stopped.stderr)")
        #expect(latency < 2, "Ctrl-C took \(latency) s")
    }

    // MARK: --clear through a symbolic link

    /// STATIC_ROOT holds `media -> <a directory outside it>`. `collectstatic --clear` follows the
    /// link and deletes the files over there; djstatic leaves the link and what it points to alone.
    @Test func clearDoesNotDeleteThroughASymlinkedDirectory() throws {
        var pair = CollectPair(project: URL(fileURLWithPath: "/"), settingsFile: CollectProject.settingsFile, venv: Self.venv,
                               environment: CollectErrorScenarios.plain)
        defer { pair.removeWork() }
        pair.project = try CollectProject.make(in: pair.work, files: CollectErrorScenarios.good)
        for (root, tool) in [(pair.djangoRoot, "django"), (pair.ourRoot, "djstatic")] {
            let elsewhere = pair.work.appendingPathComponent("elsewhere-\(tool)")
            try CollectProject.write(Data("uploaded by a user\n".utf8), to: elsewhere.appendingPathComponent("precious.txt"), mtime: Self.future)
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: root + "/media", withDestinationPath: elsewhere.path)
        }
        let outcome = try pair.run(["--noinput", "--clear", "-v", "2"])
        #expect(outcome.django.status == 0 && outcome.ours.status == 0, "\(outcome.ours.summary)")
        #expect(outcome.django.stdout.contains("Deleting 'media/precious.txt'"), "scenario assumption: Django follows the link")
        #expect(!FileManager.default.fileExists(atPath: pair.work.appendingPathComponent("elsewhere-django/precious.txt").path))
        #expect(FileManager.default.fileExists(atPath: pair.work.appendingPathComponent("elsewhere-djstatic/precious.txt").path),
                "djstatic deleted a file outside STATIC_ROOT")
        #expect(!outcome.ours.stdout.contains("Deleting 'media/"), "\(outcome.ours.stdout)")
        #expect(outcome.ours.stdout.contains("Not following 'media'"), "\(outcome.ours.stdout)")
        // The links themselves differ only by where each points.
        let differences = TreeComparison.differences(pair.djangoRoot, pair.ourRoot).filter { !$0.hasPrefix("media: link ") }
        #expect(differences.isEmpty, "apart from what lies behind the link, the trees are Django's: \(differences)")
    }

    /// STATIC_ROOT holds `img -> <a directory outside it>` and the project has `img/` files.
    /// `collectstatic` writes them (copies and hashed copies) through the link, outside STATIC_ROOT;
    /// djstatic refuses before it creates anything through it: exit 1, an error naming the link
    /// and where it points, nothing over there, the link left alone. A link that stays inside
    /// STATIC_ROOT is followed, as Django follows it: that tree is Django's.
    @Test func collectDoesNotWriteThroughASymlinkLeadingOutside() throws {
        var pair = CollectPair(project: URL(fileURLWithPath: "/"), settingsFile: CollectProject.settingsFile, venv: Self.venv)
        defer { pair.removeWork() }
        pair.project = try CollectProject.make(in: pair.work, files: CollectErrorScenarios.good)
        for (root, tool) in [(pair.djangoRoot, "django"), (pair.ourRoot, "djstatic")] {
            let elsewhere = pair.work.appendingPathComponent("elsewhere-\(tool)")
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: root + "/img", withDestinationPath: elsewhere.path)
        }
        let outcome = try pair.run(["--noinput"])
        let djangoWrote = try FileManager.default.contentsOfDirectory(atPath: pair.work.appendingPathComponent("elsewhere-django").path)
        #expect(outcome.django.status == 0 && djangoWrote.contains("a.png"), "scenario assumption: Django writes through the link: \(djangoWrote)")
        #expect(outcome.ours.status == 1, "\(outcome.ours.summary)")
        let elsewhere = pair.work.appendingPathComponent("elsewhere-djstatic").path
        #expect(outcome.ours.stderr.contains("SuspiciousFileOperation: 'img' in \(pair.ourRoot) is a symbolic link to '\(elsewhere)', outside of it"),
                "\(outcome.ours.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty, "djstatic wrote outside STATIC_ROOT")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: pair.ourRoot + "/img") == elsewhere)
        #expect(!FileManager.default.fileExists(atPath: pair.ourRoot + "/staticfiles.json"), "a failed run writes no manifest")

        // Links that lead inside STATIC_ROOT are followed, by both.
        for root in [pair.djangoRoot, pair.ourRoot] {
            try FileManager.default.removeItem(atPath: root)
            try FileManager.default.createDirectory(atPath: root + "/images-v2", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: root + "/img", withDestinationPath: "images-v2")
        }
        pair.expectSame("a link inside STATIC_ROOT", try pair.run(["--noinput"]))
    }

    // MARK: divergences

    /// `img/a\b.png`: `Storage.save` turns the backslash into a directory separator (the copy is
    /// `img/a/b.png`), post-processing keeps it (`img/a\b.<hash>.png`). A re-run copies it again
    /// (its literal name never exists) into the same file, where Django adds a randomly suffixed
    /// duplicate (`img/a/b_XXXXXXX.png`) every run: apart from that duplicate the trees are the
    /// same (the manifest too, which both re-runs write with `img/a\\b.<hash>.png`).
    @Test(arguments: ["dj42", "dj52", "dj61"])
    func backslashNameCollectedUnderDjangosName(_ venv: String) throws {
        var pair = CollectPair(project: URL(fileURLWithPath: "/"), settingsFile: CollectProject.settingsFile, venv: venv)
        defer { pair.removeWork() }
        var files = CollectErrorScenarios.good
        files["img/a\\b.png"] = Data("backslash".utf8)
        pair.project = try CollectProject.make(in: pair.work, files: files)
        let first = try pair.run(["--noinput", "-v", "2"])
        pair.expectSame("first run", first)
        #expect(FileManager.default.fileExists(atPath: pair.ourRoot + "/img/a/b.png"))
        let second = try pair.run(["--noinput"])
        pair.expectSame("re-run (trees aside)", second, trees: false)
        let duplicates = (try? FileManager.default.contentsOfDirectory(atPath: pair.djangoRoot + "/img/a")) ?? []
        #expect(duplicates.count == 2, "scenario assumption: Django adds a random duplicate: \(duplicates)")
        let differences = TreeComparison.differences(pair.djangoRoot, pair.ourRoot)
        #expect(differences.count == 1 && differences[0].hasPrefix("only django wrote img/a/b_"),
                "only Django's random duplicate differs: \(differences)")
    }

    /// A STATIC_ROOT whose name is not UTF-8 (`b"st\xe9tic"` through surrogateescape, as Django
    /// accepts it) is collected by Django's own collectstatic, one line saying why, into that very
    /// directory (the native collect wrote into one named with U+FFFD instead).
    @Test func nonUTF8StaticRootIsCollectedWhereDjangoCollects() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("djstatic-faults-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let project = try CollectProject.make(in: work, files: CollectErrorScenarios.good)
        let settings = project.appendingPathComponent(CollectProject.settingsFile)
        try (String(contentsOf: settings, encoding: .utf8) + """

            STATIC_ROOT = os.path.join(os.environ["ROOT_PARENT"], b"st\\xe9tic".decode("utf-8", "surrogateescape"))

            """).write(to: settings, atomically: true, encoding: .utf8)
        var environment = Paths.baseEnvironment()
        environment["ROOT_PARENT"] = work.path
        let result = try runProcess(try Paths.djstatic(), ["collect", CollectProject.settingsFile, "--python-path",
                                                           Paths.venv(Self.venv).path, "--noinput"],
                                    environment: environment, currentDirectory: project)
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.contains("not collecting natively (the path \(work.path)/st\\xe9tic is not UTF-8)"), "\(result.stderr)")
        var names: [[UInt8]] = []
        if let directory = opendir(work.path) {
            while let entry = readdir(directory) {
                names.append(withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) })
            }
            closedir(directory)
        }
        #expect(names.contains(Array("st".utf8) + [0xE9] + Array("tic".utf8)), "the directory Django writes: \(names)")
        #expect(!names.contains(Array("st\u{FFFD}tic".utf8)), "a directory named with U+FFFD instead")
        let manifest = work.path + "/st" + "\u{FFFD}tic/staticfiles.json"
        #expect(!FileManager.default.fileExists(atPath: manifest))
    }

    // MARK: memory

    /// A 500 MiB static file is copied and hashed in bounded memory: djstatic's peak RSS (from
    /// /usr/bin/time) stays under 150 MiB with ManifestStaticFilesStorage.
    @Test func largeFileIsCollectedInBoundedMemory() throws {
        var pair = CollectPair(project: URL(fileURLWithPath: "/"), settingsFile: CollectProject.settingsFile, venv: Self.venv)
        defer { pair.removeWork() }
        pair.project = try CollectProject.make(in: pair.work, files: CollectErrorScenarios.good)
        Self.writeLargeFile(pair.project.appendingPathComponent("src/video/big.mp4").path, mebibytes: 500)
        pair.launcher = ["/usr/bin/time", "-f", "djstatic-maxrss-kib=%M"]
        let ours = try pair.runOurs(["--noinput"])
        #expect(ours.status == 0, "\(ours.summary)")
        let kib = try #require(Self.peakRSS(ours.stderr), "\(ours.stderr)")
        print("collect of a 500 MiB file: djstatic peak RSS \(kib / 1024) MiB")
        #expect(kib < 150 * 1024, "peak RSS \(kib / 1024) MiB for a 500 MiB file")
        var info = stat()
        #expect(stat(pair.ourRoot + "/video/big.mp4", &info) == 0 && info.st_size == 500 << 20)
    }

    /// A 500 MiB text file that WhiteNoise's CompressedStaticFilesStorage compresses (gzip only:
    /// Brotli at quality 11 would take many minutes; its streaming is compared with whitenoise in
    /// `multiMebibyteFilesCompressLikeWhiteNoise`): compressed in 1 MiB chunks, the variant
    /// written from the cache entry by copy. Peak RSS stays under 150 MiB (82 MiB; it was 1,151
    /// MiB; whitenoise itself takes 584 MiB); the `.gz` holds the whole file (its trailer's size).
    @Test func largeFileIsCompressedInBoundedMemory() throws {
        var pair = CollectPair(project: URL(fileURLWithPath: "/"), settingsFile: CollectProject.settingsFile, venv: Self.venv,
                               environment: ["STATIC_BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"])
        defer { pair.removeWork() }
        pair.project = try CollectProject.make(in: pair.work, files: CollectErrorScenarios.good)
        let settings = pair.project.appendingPathComponent(CollectProject.settingsFile)
        try (String(contentsOf: settings, encoding: .utf8) + "\nimport sys\nsys.modules[\"brotli\"] = None  # gzip only\n")
            .write(to: settings, atomically: true, encoding: .utf8)
        Self.writeLargeFile(pair.project.appendingPathComponent("src/data/big.txt").path, mebibytes: 500)
        pair.launcher = ["/usr/bin/time", "-f", "djstatic-maxrss-kib=%M"]
        let ours = try pair.runOurs(["--noinput"], extraEnvironment: ["DJSTATIC_COMPRESS_CACHE": pair.work.appendingPathComponent("cache").path])
        #expect(ours.status == 0, "\(ours.summary)")
        let kib = try #require(Self.peakRSS(ours.stderr), "\(ours.stderr)")
        print("WhiteNoise collect of a 500 MiB file: djstatic peak RSS \(kib / 1024) MiB")
        #expect(kib < 150 * 1024, "peak RSS \(kib / 1024) MiB for a 500 MiB file")
        let gz = try FileHandle(forReadingFrom: URL(fileURLWithPath: pair.ourRoot + "/data/big.txt.gz"))
        defer { try? gz.close() }
        let end = try gz.seekToEnd()
        try gz.seek(toOffset: end - 4)
        let trailer = try #require(try gz.read(upToCount: 4))
        #expect(trailer.reversed().reduce(0) { $0 << 8 | Int($1) } == 500 << 20, "the .gz's size field")
        #expect(end < 100 << 20, "compressed: \(end) bytes")
    }

    /// Files larger than the 1 MiB chunks (Brotli fed 1 MiB at a time, gzip likewise) compress to
    /// exactly whitenoise's `.br` and `.gz`, with CompressedManifestStaticFilesStorage.
    @Test func multiMebibyteFilesCompressLikeWhiteNoise() throws {
        var pair = CollectPair(project: URL(fileURLWithPath: "/"), settingsFile: CollectProject.settingsFile, venv: Self.venv,
                               environment: ["STATIC_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
                                             "DJSTATIC_COMPRESS_CACHE": FileManager.default.temporaryDirectory
                                                .appendingPathComponent("djstatic-cache-\(UUID().uuidString)").path])
        defer {
            pair.removeWork()
            try? FileManager.default.removeItem(atPath: pair.environment["DJSTATIC_COMPRESS_CACHE"] ?? "")
        }
        var files = CollectErrorScenarios.good
        var text = Data()
        var line = 0
        while text.count < (2 << 20) + 12_345 {
            text.append(contentsOf: "row \(line): value \(line * 7919 % 1_000_003) \(line % 13 == 0 ? "marker" : "")\n".utf8)
            line += 1
        }
        files["data/rows.txt"] = text
        pair.project = try CollectProject.make(in: pair.work, files: files)
        pair.expectSame("multi-MiB files compressed", try pair.run(["--noinput"]))
        #expect(FileManager.default.fileExists(atPath: pair.ourRoot + "/data/rows.txt.br"))
        #expect(FileManager.default.fileExists(atPath: pair.ourRoot + "/data/rows.txt.gz"))
    }

    // MARK: helpers

    /// Writes a file of `mebibytes` MiB of text lines, each MiB block numbered (compressible, not
    /// one repeated block).
    static func writeLargeFile(_ path: String, mebibytes: Int) {
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(fd) }
        var block = [UInt8]()
        var line = 0
        while block.count < 1 << 20 {
            block += Array("line \(line) of a large static file, compressible text\n".utf8)
            line += 1
        }
        block.removeLast(block.count - (1 << 20))
        for index in 0..<mebibytes {
            let label = Array(String(format: "%08d", index).utf8)
            block.replaceSubrange(0..<label.count, with: label)
            _ = write(fd, &block, block.count)
        }
    }

    /// The peak RSS in KiB that `/usr/bin/time -f djstatic-maxrss-kib=%M` printed last.
    static func peakRSS(_ stderr: String) -> Int? {
        let line = stderr.split(separator: "\n").last { $0.hasPrefix("djstatic-maxrss-kib=") }
        return line.flatMap { Int($0.dropFirst("djstatic-maxrss-kib=".count)) }
    }

    /// Our temporary files left under `root`.
    static func partials(in root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
            .filter { ($0 as NSString).lastPathComponent.hasPrefix(".djstatic-partial.") }
    }

    /// Every file under a final name in `root` is complete: its bytes are those of the same name
    /// in Django's final tree, or of another file of it. Mid-run, a CSS/JS hashed name may also
    /// hold the text of an earlier post-processing pass (ManifestStaticFilesStorage deletes those
    /// names in later passes, and a complete re-run goes through the same passes): that text is
    /// Django's final text of the file with other hashes in the references; a truncated file is
    /// not. The manifest, written last, must be Django's.
    static func expectOnlyCompleteFiles(_ root: String, _ expected: [[UInt8]: TreeComparison.Entry], _ label: String,
                                        sourceLocation: SourceLocation = #_sourceLocation) {
        let contents = Set(expected.values.compactMap(\.content))
        let manifest = (expected[Array("staticfiles.json".utf8)]?.content)
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }?["paths"] as? [String: String] ?? [:]
        func hashesBlanked(_ data: Data?) -> String? {
            data.map { String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "[0-9a-f]{12}", with: "#", options: .regularExpression) }
        }
        var bad: [String] = []
        for (bytes, entry) in TreeComparison.entries(root) where entry.kind == "file" {
            let name = String(decoding: bytes, as: UTF8.self)
            let base = (name as NSString).lastPathComponent
            if base.hasPrefix(".djstatic-partial.") || expected[bytes]?.content == entry.content { continue }
            if base == "staticfiles.json" {
                bad.append(name)
                continue
            }
            if let content = entry.content, contents.contains(content) { continue }
            let original = name.replacingOccurrences(of: #"\.[0-9a-f]{12}(?=\.(css|js)$)"#, with: "", options: .regularExpression)
            if original != name, let final = manifest[original],
               hashesBlanked(entry.content) == hashesBlanked(expected[Array(final.utf8)]?.content) {
                continue
            }
            bad.append(name)
        }
        #expect(bad.isEmpty, "\(label): partial or foreign files under final names: \(bad.sorted().prefix(10))",
                sourceLocation: sourceLocation)
    }

    /// Fills the file system holding `path` with one file, to the last block.
    static func fill(_ path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(fd) }
        var block = [UInt8](repeating: 0xAA, count: 64 << 10)
        while write(fd, &block, block.count) > 0 {}
        block = [0xAA]
        while write(fd, &block, 1) > 0 {}
    }
}

/// A count shared with the storm thread (read after it stops).
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    /// The count before this call.
    func increment() -> Int { lock.withLock { defer { count += 1 }; return count } }
}

/// djstatic running in the background, its output in files (so nothing blocks on a pipe).
private final class Background {
    let process = Process()
    let started = Date()
    let output: URL
    var pid: Int32 { process.processIdentifier }

    struct Ended {
        var status: Int32
        var signalled: Bool
        var stderr: String
        var seconds: Double
    }

    init(_ arguments: [String], environment: [String: String], directory: URL, work: URL) throws {
        output = work.appendingPathComponent("run-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = try Paths.djstatic()
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: output)
        try process.run()
    }

    func wait() -> Ended {
        process.waitUntilExit()
        return Ended(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                     stderr: (try? String(contentsOf: output, encoding: .utf8)) ?? "",
                     seconds: Date().timeIntervalSince(started))
    }
}
