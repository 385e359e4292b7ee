import Testing
@testable import PythonStdlib

// Expected values below were obtained from CPython 3.11.2 (.venvs/dj52/bin/python); where
// 3.12.1 (.venvs/dj61/bin/python) differs, both are listed.

/// Code-point equality for `#expect` (Swift `==` on String uses canonical equivalence).
private func same(_ a: String, _ b: String) -> Bool { PyString.codePointEqual(a, b) }
private func same(_ a: (String, String), _ b: (String, String)) -> Bool { same(a.0, b.0) && same(a.1, b.1) }

private func split5(_ url: String, flavor: PyURL.Flavor = .python311) throws -> [String] {
    let r = try PyURL.urlsplit(url, flavor: flavor)
    return [r.scheme, r.netloc, r.path, r.query, r.fragment]
}

private func urlsplitRaises(_ url: String, flavor: PyURL.Flavor = .python311) -> Bool {
    do {
        _ = try PyURL.urlsplit(url, flavor: flavor)
        return false
    } catch {
        return true
    }
}

@Suite("PythonSemantics")
struct PythonSemanticsTests {
    // MARK: unquote

    @Test(arguments: [
        ("%2561", "%61"),
        ("a%C3%BC%ZZ%C3", "a\u{FC}%ZZ\u{FFFD}"),
        ("%C3\u{FC}%BC", "\u{FFFD}\u{FC}\u{FFFD}"),  // non-ASCII splits the escape sequence
        ("%E2%82%AC%E2%82", "\u{20AC}\u{FFFD}"),      // truncated sequence: one U+FFFD
        ("%ED%A0%80", "\u{FFFD}\u{FFFD}\u{FFFD}"),     // encoded surrogate
        ("%F0%9F%98%80%F0%9F%98", "\u{1F600}\u{FFFD}"),
        ("%C0%AF", "\u{FFFD}\u{FFFD}"),                // overlong
        ("%E0%80%AF", "\u{FFFD}\u{FFFD}\u{FFFD}"),
        ("%F4%90%80%80", "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),
        ("abc", "abc"), ("%", "%"), ("%4", "%4"), ("%41%", "A%"), ("%%41", "%A"),
    ])
    func unquote(_ input: String, _ expected: String) {
        #expect(same(PyURL.unquote(input), expected))
    }

    // MARK: quote

    /// `str.replace` of one ASCII character (Django's `name.replace("\\", "/")`), byte-exact
    /// on names with combining marks, a decomposed é and characters outside the BMP.
    @Test(arguments: [
        ("a\\b\\c.css", "a/b/c.css"), ("no-backslash/e\u{301}.png", "no-backslash/e\u{301}.png"),
        ("\\", "/"), ("", ""), ("\u{1F600}\\x\\\\", "\u{1F600}/x//"), ("ü\\n\u{0308}", "ü/n\u{0308}"),
    ])
    func replaceOneASCIICharacter(_ name: String, _ expected: String) {
        #expect(Array(PyString.replace(name, "\\", with: "/").utf8) == Array(expected.utf8))
    }

    @Test func quote() {
        #expect(PyURL.quote("a b/\u{FC}~!*()'@#?%") == "a%20b/%C3%BC~%21%2A%28%29%27%40%23%3F%25")
        #expect(PyURL.quote("a b/\u{FC}~!*()'@#?%", safe: PyURL.djangoFilepathSafe)
                == "a%20b/%C3%BC~!*()'%40%23%3F%25")
        #expect(PyURL.quote("a b/", safe: "") == "a%20b%2F")
        #expect(PyURL.quote("") == "")
        #expect(PyURL.quote("\u{E9}", safe: "\u{E9}/") == "%C3%A9")  // non-ASCII safe chars ignored
        #expect(PyURL.quote("e\u{301}") == "e%CC%81")
    }

    // MARK: posixpath

    @Test(arguments: [
        (".htaccess", ".htaccess", ""), ("..double", "..double", ""), ("..a.b", "..a", ".b"),
        ("a.", "a", "."), ("a.tar.gz", "a.tar", ".gz"), ("/x/.bashrc", "/x/.bashrc", ""),
        ("a/b.c/d", "a/b.c/d", ""), ("a/.b.c", "a/.b", ".c"), ("...", "...", ""), ("", "", ""),
        ("a/b/", "a/b/", ""),
    ])
    func splitext(_ p: String, _ root: String, _ ext: String) {
        let r = PyPath.splitext(p)
        #expect(same((r.root, r.ext), (root, ext)))
    }

    @Test(arguments: [
        ("", "."), (".", "."), ("//a//b/../c/./", "//a/c"), ("///x", "/x"), ("../../a", "../../a"),
        ("a/../../b", "../b"), ("/..", "/"), ("//..", "//"), ("/../a", "/a"), ("a/./b/", "a/b"),
        ("//", "//"), ("///", "/"), ("x/..", "."), ("./a", "a"),
    ])
    func normpath(_ p: String, _ expected: String) {
        #expect(PyPath.normpath(p) == expected)
    }

    @Test func splitDirnameBasenameJoin() {
        #expect(same(PyPath.split("//a//b"), ("//a", "b")))
        #expect(same(PyPath.split("a/"), ("a", "")))
        #expect(same(PyPath.split("///"), ("///", "")))
        #expect(same(PyPath.split("a"), ("", "a")))
        #expect(same(PyPath.split("/a//b//c"), ("/a//b", "c")))
        #expect(PyPath.dirname("//a//") == "//a")
        #expect(PyPath.dirname("a//b") == "a")
        #expect(PyPath.basename("a/b/") == "")
        #expect(PyPath.join("a", "/b", "c") == "/b/c")
        #expect(PyPath.join("a/", "", "b") == "a/b")
        #expect(PyPath.join("", "a") == "a")
        #expect(PyPath.join("a", "") == "a/")
        #expect(PyPath.isabs("/a") && !PyPath.isabs("a/b"))
        #expect(PyPath.abspath("../x/./y", cwd: "/srv/app") == "/srv/x/y")
        #expect(PyPath.abspath("//net/x/..", cwd: "/srv") == "//net")
    }

    // MARK: urlsplit / urldefrag / urljoin

    @Test func urlsplit() throws {
        #expect(try split5("img/a b#c?.png") == ["", "", "img/a b", "", "c?.png"])
        #expect(try split5("  http://Ex.com:80/p;x?q#f") == ["http", "Ex.com:80", "/p;x", "q", "f"])
        #expect(try split5("HTTP://h/p") == ["http", "h", "/p", "", ""])
        #expect(try split5("\u{0} \ta\r\nb:c") == ["ab", "", "c", "", ""])
        #expect(try split5("mailto:x@y") == ["mailto", "", "x@y", "", ""])
        #expect(try split5("1a:b") == ["", "", "1a:b", "", ""])
        #expect(try split5("//h/p") == ["", "h", "/p", "", ""])
        #expect(try split5("http://[::1]:80/x") == ["http", "[::1]:80", "/x", "", ""])
        #expect(try split5("path:80") == ["path", "", "80", "", ""])
        #expect(try split5("a#b#c") == ["", "", "a", "", "b#c"])
        #expect(try split5("a?b?c") == ["", "", "a", "b?c", ""])
        #expect(try split5("http://[v1.x]/") == ["http", "[v1.x]", "/", "", ""])
        let nfd = try PyURL.urlsplit("e\u{301}.png#e\u{301}")
        #expect(same(nfd.path, "e\u{301}.png") && !same(nfd.path, "\u{E9}.png"))
        #expect(same(nfd.fragment, "e\u{301}"))
    }

    @Test func urlsplitValueErrors() throws {
        for url in ["http://[::1", "http://a]/", "http://[1.2.3.4]/", "http://[vz.x]/",
                    "http://\u{2100}/", "http://[::1]@h/", "http://a[::1]/", "http://[::1]x/"] {
            #expect(urlsplitRaises(url), "\(url)")
        }
        // CPython 3.12.1 lacks the bracketed-netloc check (CVE-2025-0938 fix).
        #expect(try split5("http://a[::1]/", flavor: .python312_1) == ["http", "a[::1]", "/", "", ""])
        #expect(try split5("http://[::1]x/", flavor: .python312_1) == ["http", "[::1]x", "/", "", ""])
        #expect(urlsplitRaises("http://[1.2.3.4]/", flavor: .python312_1))
    }

    @Test(arguments: [
        ("a.png?#iefix", "a.png", "iefix"), ("a.png#b", "a.png", "b"), ("a.png", "a.png", ""),
        ("http://h/p;par?q#f", "http://h/p;par?q", "f"), ("/p;x/y;z?#", "/p;x/y;z", ""),
        ("#", "", ""), ("a;b#c", "a;b", "c"),
    ])
    func urldefrag(_ url: String, _ defrag: String, _ fragment: String) throws {
        let r = try PyURL.urldefrag(url)
        #expect(same((r.url, r.fragment), (defrag, fragment)))
    }

    @Test func urldefragSchemeLists() throws {
        // 'rtsps' joined uses_netloc in 3.12.
        #expect(try PyURL.urldefrag("rtsps:#x", flavor: .python311).url == "rtsps:")
        #expect(try PyURL.urldefrag("rtsps:#x", flavor: .python312_1).url == "rtsps://")
    }

    @Test(arguments: [
        ("http://a/b/c/d;p?q", "../g", "http://a/b/g"),
        ("http://a/b/c/d;p?q", "g;x?y#s", "http://a/b/c/g;x?y#s"),
        ("http://a/b/c/d;p?q", "../../../g", "http://a/g"),
        ("http://a/b/c/d;p?q", ".", "http://a/b/c/"),
        ("http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y"),
        ("/static/", "css/a.css", "/static/css/a.css"),
        ("https://cdn.x/static/", "//other/x", "https://other/x"),
        ("", "a", "a"), ("a", "", "a"),
        ("/static/css/", "../img/a.png", "/static/img/a.png"),
    ])
    func urljoin(_ base: String, _ url: String, _ expected: String) throws {
        #expect(try PyURL.urljoin(base, url) == expected)
    }

    @Test func urlunsplitRoundTrip() throws {
        let r = try PyURL.urlsplit("http://h/a;b?c#d")
        #expect(PyURL.urlunsplit(r) == "http://h/a;b?c#d")
        #expect(PyURL.urlunsplit(scheme: "", netloc: "", path: "a.css", query: "", fragment: "x") == "a.css#x")
        #expect(PyURL.urlunsplit(scheme: "http", netloc: "", path: "p", query: "", fragment: "") == "http:///p")
    }

    // MARK: fnmatch

    @Test(arguments: [
        ("vendor/x/y.js", "vendor/*", true), (".well-known", ".*", true), ("cvs", "CVS", false),
        ("CVS", "CVS", true), ("a.txt~", "*~", true), ("a~b", "*~", false), ("a/.b", "*.b", true),
        ("[", "[", true), ("a", "[a", false), ("]", "[]]", true), ("a", "[!]]", true),
        ("b", "[!a]", true), ("-", "[a-]", true), ("b", "[a-c]", true), ("b", "[c-a]", false),
        ("a", "[!]", false), ("!", "[!]", false), ("\n", "?", true), ("ab", "a[]b", false),
        ("a\\b", "a\\b", true), ("\\", "[\\]", true), ("x", "[z-a]", false), ("z", "[b-a-z]", true),
        ("-", "[b-a-z]", true),
    ])
    func fnmatchcase(_ name: String, _ pattern: String, _ expected: Bool) {
        #expect(PyFnmatch.fnmatchcase(name, pattern) == expected)
    }

    @Test func fnmatchCodePoints() {
        #expect(!PyFnmatch.fnmatchcase("\u{E9}", "e?"))     // NFC é is one code point
        #expect(PyFnmatch.fnmatchcase("e\u{301}", "e?"))    // NFD é is two
    }

    // MARK: json.dumps

    @Test func jsonDumps() {
        let s = "a\u{7F}\"\\\n\r\t\u{8}\u{C}\u{0}\u{1F}/\u{E9}\u{1F600}\u{2028}"
        #expect(PyJSON.dumps(.string(s))
                == #""a\u007f\"\\\n\r\t\b\f\u0000\u001f/\u00e9\ud83d\ude00\u2028""#)
        #expect(PyJSON.dumps(.array([.int(1), .bool(true), .null,
                                     .object([(key: "b", value: .array([])), (key: "a", value: .object([]))])]))
                == #"[1, true, null, {"b": [], "a": {}}]"#)
        let manifest = PyJSONValue.object([
            (key: "paths", value: .object([(key: "a.css", value: .string("a.123.css"))])),
            (key: "version", value: .string("1.1")), (key: "hash", value: .string("abc")),
        ])
        #expect(PyJSON.dumps(manifest)
                == #"{"paths": {"a.css": "a.123.css"}, "version": "1.1", "hash": "abc"}"#)
    }

    // MARK: str

    @Test func strip() {
        #expect(PyString.strip(" \t\n a b \u{1C}\u{1F}\u{85}\u{A0}\u{3000}") == "a b")
        #expect(PyString.strip("\u{200B} x \u{FEFF}") == "\u{200B} x \u{FEFF}")
        #expect(PyString.strip("\u{0} a \u{0}") == "\u{0} a \u{0}")
        #expect(PyString.strip("\u{180E} a") == "\u{180E} a")
    }

    @Test func codePointOrder() {
        #expect(!PyString.codePointLess("\u{E9}", "e\u{301}"))
        #expect(PyString.codePointLess("e\u{301}", "\u{E9}"))
        #expect(PyString.codePointLess("a", "a\u{0}"))
        #expect(PyString.codePointLess("\u{FFFF}", "\u{10000}"))
        #expect(PyString.codePointLess("Z", "a"))
        #expect(!PyString.codePointEqual("\u{E9}", "e\u{301}"))
        #expect(PyString.sorted(["\u{E9}", "e\u{301}", "f"]).map { $0.unicodeScalars.count } == [2, 1, 1])
    }

    /// `{"caf\u00e9.css", "cafe\u0301.css"}` has two members in Python (two files on disk too).
    @Test func strKeysCompareCodePoints() {
        let composed = "caf\u{E9}.css", decomposed = "cafe\u{301}.css"
        #expect(composed == decomposed)  // Swift's String: canonical equivalence
        #expect(PyStrKey(composed) != PyStrKey(decomposed))
        #expect(Set([composed, decomposed]).count == 1)
        #expect(Set([PyStrKey(composed), PyStrKey(decomposed), PyStrKey("caf" + "\u{E9}.css")]).count == 2)
        var bridged = "xcaf\u{E9}.css"  // the same code points in another storage
        bridged.removeFirst()
        #expect(PyStrKey(bridged) == PyStrKey(composed) && PyStrKey(bridged).hashValue == PyStrKey(composed).hashValue)
        #expect([PyStrKey(decomposed): 1][PyStrKey(composed)] == nil)
    }
}

/// The one-pass decoder the manifest post-processor reads CSS/JS with must accept and reject
/// exactly what strict UTF-8 decoding does (Swift's validating String, like Python's
/// `bytes.decode()`, rejects overlongs, surrogates and code points above U+10FFFF).
@Suite struct UTF8DecodingTests {
    @Test func agreesWithValidatingDecoding() {
        var generator = SystemRandomNumberGenerator()
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0,
                                    0xF4, 0xF5, 0xFF, 0xA0, 0x9F, 0x90, 0x8F]
        var compared = 0, invalid = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...12, using: &generator)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator) ? interesting.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            let expected = String(validating: bytes, as: UTF8.self).map { Array($0.unicodeScalars) }
            #expect(UTF8Encoding.scalars(bytes) == expected, "\(bytes)")
            if expected == nil { invalid += 1 }
            compared += 1
        }
        for text in ["", "plain ascii url(a.png)", "é ü ß", "日本語", "😀 \u{10FFFF}"] {
            #expect(UTF8Encoding.scalars(Array(text.utf8)) == Array(text.unicodeScalars))
            #expect(UTF8Encoding.bytes(Array(text.unicodeScalars)) == Array(text.utf8))
        }
        #expect(compared == 20_000 && invalid > 1_000, "compared \(compared), invalid \(invalid)")
    }
}
