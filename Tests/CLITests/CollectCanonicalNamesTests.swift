import Foundation
import Testing

/// "café" with a precomposed é and with e + U+0301 are two names to Python and to the file system
/// (macOS writes the second form, Linux keeps what it is given) and one to Swift's `String ==`:
/// side by side as CSS files and as directories, both tools collect them alike, listing every
/// file (-v 2), fresh and re-run. (djstatic failed with FileNotFoundError on the second
/// directory, and its later passes listed one CSS file under the other's hashed name.)
@Suite("collect: canonically equivalent names are two files")
struct CollectCanonicalNamesTests {
    @Test(arguments: ["dj42", "dj52", "dj61"])
    func bothSpellingsCollectAsDjangoDoes(_ venv: String) throws {
        var pair = CollectPair(project: URL(fileURLWithPath: "/"), settingsFile: CollectProject.settingsFile, venv: venv)
        defer { pair.removeWork() }
        pair.project = try CollectProject.make(in: pair.work, files: [
            "img.png": Data("png".utf8), "other.css": Data(".o{background:url(img.png)}\n".utf8),
        ])
        let source = pair.project.path + "/src/"
        for spelling in ["caf\u{E9}", "cafe\u{301}"] {
            try Self.place(source, spelling + ".css", ".a{background:url(img.png)}\n@import \"other.css\";\n")
            try Self.place(source, spelling + "/x.css", ".x{background:url(../img.png)}\n")
            try Self.place(source, spelling + "/y.png", spelling)
        }
        for run in ["fresh", "re-run"] {
            let outcome = try pair.run(["--noinput", "-v", "2"])
            #expect(outcome.django.status == 0, "\(outcome.django.summary.suffix(1500))")
            pair.expectSame("\(venv) \(run)", outcome)
        }
        let topLevelCSS = TreeComparison.entries(pair.ourRoot).keys.filter { name in
            name.starts(with: Array("caf".utf8)) && name.count > 8 && !name.contains(UInt8(ascii: "/"))
                && Array(name.suffix(4)) == Array(".css".utf8)
        }
        #expect(topLevelCSS.count == 4, "two spellings, each with its hashed copy: \(topLevelCSS.count)")
    }

    /// Writes `text` under `root` at `path`, its bytes exactly as given (the name's code points
    /// untouched), making the one directory it may be in.
    static func place(_ root: String, _ path: String, _ text: String) throws {
        let full = Array((root + path).utf8)
        if let slash = Array(path.utf8).lastIndex(of: UInt8(ascii: "/")) {
            let directory = Array(root.utf8) + Array(path.utf8)[..<slash]
            _ = String(decoding: directory, as: UTF8.self).withCString { mkdir($0, 0o755) }
        }
        let fd = String(decoding: full, as: UTF8.self).withCString { open($0, O_CREAT | O_WRONLY | O_TRUNC, 0o644) }
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { throw CocoaError(.fileWriteUnknown) }
    }
}
