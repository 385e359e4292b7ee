import Foundation
import Testing
@testable import PythonStdlib

// Unit tests for PyRegex. Every expected value below was produced by CPython 3.11.2 and
// 3.12.1 (identical results) with:
//     [[x for g in range(rx.groups + 1) for x in m.span(g)] for m in rx.finditer(s)]

private func spans(_ rx: PyRegex, _ s: String) -> [[Int]] {
    rx.matches(s).map { m in
        (0...m.groupCount).flatMap { g -> [Int] in
            if let r = m.range(g) { return [r.lowerBound, r.upperBound] }
            return [-1, -1]
        }
    }
}

@Suite("PyRegex semantics")
struct PyRegexTests {
    static let cpythonCases: [(String, String, PyRegex.Flags, String, [[Int]])] = [
        ("dot matches CR but not LF", "a.b", [], "a\u{d}b a\u{a}b", [[0, 3]]),
        ("DOTALL dot matches LF", "a.b", [.dotAll], "a\u{d}b a\u{a}b", [[0, 3], [4, 7]]),
        ("\\s is str.isspace", "\\s", [], "\u{9}\u{a}\u{b}\u{c}\u{d}\u{1c}\u{1d}\u{1e}\u{1f} \u{85}\u{a0}\u{1680}\u{2000}\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}", [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 6], [6, 7], [7, 8], [8, 9], [9, 10], [10, 11], [11, 12], [12, 13], [13, 14], [14, 15], [15, 16], [16, 17], [17, 18], [18, 19], [19, 20]]),
        ("\\s excludes ZWSP, BOM, MVS", "\\s", [], "\u{200b}\u{feff}\u{180e}x", []),
        ("\\w is isalnum or _", "\\w", [], "\u{e9}_\u{663}\u{b2}\u{bd}\u{216b}\u{301}\u{b7}-\u{df}\u{3a3}\u{1f600}", [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 6], [9, 10], [10, 11]]),
        ("\\d is isdecimal", "\\d", [], "0\u{663}\u{b2}\u{bd}\u{9ea}", [[0, 1], [1, 2], [4, 5]]),
        ("\\S \\W \\D", "\\S\\W\\D", [], "a\u{a0}b \u{e9}!", [[0, 3]]),
        ("i matches I \u{131} \u{130}", "i", [.ignoreCase], "iI\u{131}\u{130}j\u{cd}", [[0, 1], [1, 2], [2, 3], [3, 4]]),
        ("I matches i \u{131} \u{130}", "I", [.ignoreCase], "iI\u{131}\u{130}", [[0, 1], [1, 2], [2, 3], [3, 4]]),
        ("s matches S \u{17f}", "s", [.ignoreCase], "sS\u{17f}\u{1e9b}", [[0, 1], [1, 2], [2, 3]]),
        ("k matches K and Kelvin sign", "k", [.ignoreCase], "kK\u{212a}", [[0, 1], [1, 2], [2, 3]]),
        ("sharp s", "\u{df}", [.ignoreCase], "\u{df}\u{1e9e}Ss", [[0, 1], [1, 2]]),
        ("micro and mu", "\u{b5}", [.ignoreCase], "\u{b5}\u{3bc}\u{39c}", [[0, 1], [1, 2], [2, 3]]),
        ("sigma forms", "\u{3c3}", [.ignoreCase], "\u{3c3}\u{3c2}\u{3a3}", [[0, 1], [1, 2], [2, 3]]),
        ("class a-z ignorecase", "[a-z]+", [.ignoreCase], "Kelvin\u{212a}\u{130}\u{131}\u{17f}", [[0, 10]]),
        ("negated class ignorecase", "[^a-z]+", [.ignoreCase], "ab\u{212a}K\u{130}-\u{131}1", [[5, 6], [7, 8]]),
        ("scoped -i keeps case", "(?-i:sourceMappingURL)=", [.ignoreCase], "sourcemappingurl= sourceMappingURL= SOURCEMAPPINGURL=", [[18, 35]]),
        ("scoped i", "a(?i:b)c", [], "abc aBc ABC abC", [[0, 3], [4, 7]]),
        ("$ before final newline", "a$", [], "a\u{a}", [[0, 1]]),
        ("$ not before inner newline", "a$", [], "a\u{a}b", []),
        ("$ only one final newline", "a$", [], "a\u{a}\u{a}", []),
        ("multiline ^ $", "^\\w+$", [.multiline], "ab\u{a}cd\u{a}\u{a}ef", [[0, 2], [3, 5], [7, 9]]),
        ("^ without multiline", "^\\w", [], "ab\u{a}cd", [[0, 1]]),
        ("\\A and \\Z", "\\A\\w|\\w\\Z", [.multiline], "ab\u{a}cd\u{a}", [[0, 1]]),
        ("\\b and \\B", "\\bx|y\\B", [], "x xy yy xx", [[0, 1], [2, 3], [5, 6], [8, 9]]),
        ("backreference to empty group", "(a*)b\\1c", [], "bc abac", [[0, 2, 0, 0], [3, 7, 3, 4]]),
        ("backreference to unset group fails", "(a)?b\\1", [], "b ab aba", [[5, 8, 5, 6]]),
        ("ignorecase backreference", "(?P<q>[a-z]+)-(?P=q)", [.ignoreCase], "abc-ABC Kk-k\u{212a}", [[0, 7, 0, 3], [8, 13, 8, 10]]),
        ("group in repeat keeps last iteration", "(?:(\\w)\\d)+", [], "a1b2c", [[0, 4, 2, 3]]),
        ("group inside failed alternative", "(?:(a)x|(a)y)", [], "ay", [[0, 2, -1, -1, 0, 1]]),
        ("lazy vs greedy", "<.*?>|\\{.*\\}", [], "<a><b> {x}{y}", [[0, 3], [3, 6], [7, 13]]),
        ("lazy optional", "ab??", [], "ab", [[0, 1]]),
        ("counted repeats", "a{2}|b{1,2}?|c{2,}|d{,2}", [], "aaa bbb ccc dddd", [[0, 2], [2, 2], [3, 3], [4, 5], [5, 6], [6, 7], [7, 7], [8, 11], [11, 11], [12, 14], [14, 16], [16, 16]]),
        ("brace literal", "a{|b{1|c{x}|{}", [], "a{ b{1 c{x} {}", [[0, 2], [3, 6], [7, 11], [12, 14]]),
        ("empty matches", "x*", [], "abxd", [[0, 0], [1, 1], [2, 3], [3, 3], [4, 4]]),
        ("empty alternative", "a|", [], "bab", [[0, 0], [1, 2], [2, 2], [3, 3]]),
        ("scalars not graphemes", "url\\((.*?)\\)", [.ignoreCase], "\u{1f600}e\u{301}URL(\u{1f44d}\u{1f3fd})", [[3, 10, 7, 9]]),
        ("django url", "(?P<matched>url\\(['\\\"]{0,1}\\s*(?P<url>.*?)[\\\"']{0,1}\\))", [.ignoreCase], "a{b:url( 'x.png' )} c{d:URL(\"y.gif\")} e{f:url(data:x)}", [[4, 18, 4, 18, 9, 17], [24, 36, 24, 36, 29, 34], [42, 53, 42, 53, 46, 52]]),
        ("django url quote", "(?P<matched>url\\((?P<quote>['\\\"]{0,1})\\s*(?P<url>.*?)(?P=quote)\\))", [.ignoreCase], "url('a)b') url(\"c\") url(d)", [[0, 10, 0, 10, 4, 5, 5, 8], [11, 19, 11, 19, 15, 16, 16, 17], [20, 26, 20, 26, 24, 24, 24, 25]]),
        ("django import", "(?P<matched>import(?s:(?P<import>[\\s\\{].*?|\\*\\s*as\\s*\\w+))\\s*from\\s*['\\\"](?P<url>[./].*?)[\\\"']\\s*;)", [.ignoreCase], "import {a,\u{a} b} from './x.js';\u{a}import * as ns from \"../y.js\" ;\u{a}import c from 'lib';", [[0, 29, 0, 29, 6, 14, 21, 27], [30, 61, 30, 61, 36, 44, 51, 58]]),
        ("django sourcemap", "(?m)^(?P<matched>//# (?-i:sourceMappingURL)=(?P<url>.*))$", [.ignoreCase], "x\u{a}//# sourceMappingURL=a.js.map\u{a}//# SOURCEMAPPINGURL=b\u{a}", [[2, 31, 2, 31, 23, 31]]),
        ("django css sourcemap", "(?m)(?P<matched>)^(/\\*#[ \\t](?-i:sourceMappingURL)=(?P<url>.*)[ \\t]*\\*/)$", [.ignoreCase], "a{}\u{a}/*# sourceMappingURL=a.css.map */\u{a}", [[4, 37, 4, 4, 4, 37, 25, 35]]),
        ("django ignored blocks", "/\\*.*?\\*/|//[^\\n]*|\\\\.|'(?:[^'\\\\\\n]|\\\\.)*'|\\\"(?:[^\\\"\\\\\\n]|\\\\.)*\\\"|`(?:[^`\\\\]|\\\\.)*`", [.dotAll], "a='u\\'rl(x)';/* url(y)\u{a}*/ b=`t\\`${1}\u{a}`; // c\u{a}\"d\\\"\"", [[2, 12], [13, 25], [28, 38], [40, 44], [45, 50]]),
        ("scheme", "^[a-z]+:", [], "http://x", [[0, 5]]),
        ("scheme not at start", "^[a-z]+:", [], "/http:", []),
        // sre quirk: a non-BMP literal in a class under IGNORECASE is compared with the
        // lowercased character as written, so [\U00010400x] does not even match U+10400.
        ("non-BMP class literal ignorecase", "[\\U00010400x]", [.ignoreCase], "\u{10400}\u{10428}xX", [[2, 3], [3, 4]]),
        ("non-BMP class range ignorecase", "[\\U00010400-\\U00010401]", [.ignoreCase], "\u{10400}\u{10428}\u{10429}\u{10402}", [[0, 1], [1, 2], [2, 3]]),
        ("non-BMP lowercase class literal", "[\\U00010428y]", [.ignoreCase], "\u{10400}\u{10428}Yy", [[0, 1], [1, 2], [2, 3], [3, 4]]),
        ("non-BMP literal ignorecase", "\\U00010400+", [.ignoreCase], "\u{10400}\u{10428}", [[0, 2]]),
        ("non-BMP negated literal ignorecase", "[^\\U00010400]", [.ignoreCase], "\u{10400}\u{10428}", []),
    ]

    @Test("finditer spans match CPython", arguments: cpythonCases.indices)
    func cpythonCase(_ i: Int) throws {
        let (name, pattern, flags, input, expected) = Self.cpythonCases[i]
        let rx = try PyRegex(pattern, flags: flags)
        #expect(spans(rx, input) == expected, "\(name): /\(pattern)/")
    }

    @Test func subWithEmptyMatches() throws {
        // re.sub('x*', '-', 'abxd') == '-a-b--d-' ; re.sub('a|', '-', 'bab') == '-b--b-'
        #expect(try PyRegex("x*").sub("abxd") { _ in "-" } == "-a-b--d-")
        #expect(try PyRegex("a|").sub("bab") { _ in "-" } == "-b--b-")
        // re.sub('(?m)^', '>', 'a\nb\n') == '>a\n>b\n>'
        #expect(try PyRegex("(?m)^").sub("a\nb\n") { _ in ">" } == ">a\n>b\n>")
        // re.sub('$', '!', 'a\n') == 'a!\n!'
        #expect(try PyRegex("$").sub("a\n") { _ in "!" } == "a!\n!")
    }

    @Test func subDjangoStyle() throws {
        let rx = try PyRegex(#"(?P<matched>url\(['"]{0,1}\s*(?P<url>.*?)["']{0,1}\))"#, flags: .ignoreCase)
        let css = "a{b:url('x.png')} 😀{c:URL( y.gif )}"
        let out = rx.sub(css) { m in "url(\"/static/" + (m.string("url") ?? "") + "\")" }
        // re.sub(... lambda m: 'url("/static/%s")' % m.group('url'), css, flags=re.I)
        #expect(out == "a{b:url(\"/static/x.png\")} 😀{c:url(\"/static/y.gif \")}")
        #expect(rx.sub("no urls here") { _ in "!" } == "no urls here")
    }

    @Test func searchFromPosition() throws {
        let text = Array("aa\nab".unicodeScalars)
        // re.compile('^a').search('aa\nab', 1) is None; re.compile('(?m)^a').search(..., 1).span() == (3, 4)
        #expect(try PyRegex("^a").search(text, from: 1) == nil)
        #expect(try PyRegex("(?m)^a").search(text, from: 1)?.range == 3..<4)
        #expect(try PyRegex("a").search(text, from: 1)?.range == 1..<2)
        #expect(try PyRegex("b").search(text, from: 99) == nil)
        #expect(try PyRegex("$").search(text, from: 99)?.range == 5..<5)
    }

    @Test func matchAccessors() throws {
        let rx = try PyRegex(#"(?P<a>x)|(?P<b>y)"#)
        let m = try #require(rx.search("zy"))
        #expect(m.range == 1..<2)
        #expect(m.range("a") == nil)
        #expect(m.range("b") == 1..<2)
        #expect(m.string("b") == "y")
        #expect(m.string("nope") == nil)
        #expect(m.string(0) == "y")
        #expect(m.groupCount == 2)
        #expect(rx.groupIndex == ["a": 1, "b": 2])
    }

    @Test func deepInputsDoNotOverflowTheStack() throws {
        // A 1 MB template literal: REPEAT over a branch (flattened REPEAT_DET), no recursion.
        let body = String(repeating: "ab\\`c", count: 170_000)
        let js = "`" + body + "`"
        let rx = try PyRegex(#"/\*.*?\*/|//[^\n]*|\\.|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`"#,
                             flags: .dotAll)
        let ms = rx.matches(js)
        #expect(ms.count == 1 && ms[0].range == 0..<(body.unicodeScalars.count + 2))
        // General REPEAT/MIN_UNTIL contexts (not flattened): one explicit-stack context per
        // iteration; 100k iterations would overflow a recursive matcher's call stack.
        let rx2 = try PyRegex(#"(?:a(?:x|y)*?b)*c"#)
        let s2 = String(repeating: "axyb", count: 100_000) + "c"
        #expect(rx2.search(s2)?.range == 0..<s2.unicodeScalars.count)
    }

    @Test func deterministicRepeatIsUsedForDjangoStringPatterns() throws {
        let rx = try PyRegex(#"/\*.*?\*/|\\.|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*""#, flags: .dotAll)
        #expect(rx.program.code.filter { $0 == PyOp.repeatDet }.count >= 2)
        #expect(!rx.program.code.contains(PyOp.repeat))
    }

    @Test("unsupported syntax throws", arguments: [
        "(?=a)", "(?!a)", "(?<=a)", "(?<!a)", "(?>a)", "a*+", "a++", "a?+", "(a)(?(1)a|b)", "(?x)a", "(?a)a", "\\N{EM DASH}",
        "(?P<é>a)",
    ])
    func unsupported(_ pattern: String) {
        #expect {
            _ = try PyRegex(pattern)
        } throws: { error in
            (error as? PyRegexError)?.kind == .unsupported
        }
    }

    // All of these raise re.error in CPython 3.11 and 3.12.
    @Test("invalid patterns throw", arguments: [
        "(", ")", "a**", "*a", "[z-a]", "(?P=nope)", "\\q", "a(?i)b", "(?P<a>x)(?P<a>y)", "[a", "(?P<1a>x)",
        "x{3,2}", "\\1", "(a\\1)", "(?i", "(?z)", "\\", "[\\d-z]", "(?-i)", "^*",
    ])
    func invalid(_ pattern: String) {
        #expect {
            _ = try PyRegex(pattern)
        } throws: { error in
            (error as? PyRegexError)?.kind == .invalidPattern
        }
    }

    @Test("valid unusual syntax compiles", arguments: [
        "a{,}", "a{", "{", "}", "a{1", "[]a]", "[^]a]", "[a-]", "[-a]", "(?#comment)a", "(?u)a", "(?i)(?m)a",
        "\\x41\\u0042\\U00000043\\101\\0", "[\\x00-\\U0010FFFF]", "(?s-i:a)", "(?:)", "()", "a|",
    ])
    func valid(_ pattern: String) throws {
        _ = try PyRegex(pattern)
    }
}

// MARK: - Unicode tables

/// Regenerates the tables of PyRegexUnicodeData from CPython.
let pyRegexTableScript = #"""
# Generates the Unicode tables used by PyRegex from the running CPython's _sre.
import _sre, sys, ctypes, unicodedata
up = ctypes.pythonapi._PyUnicode_ToUppercase
up.restype = ctypes.c_uint32; up.argtypes = [ctypes.c_uint32]
N = 0x110000
def ranges(pred):
    out = []; start = None
    for c in range(N):
        v = pred(c)
        if v and start is None: start = c
        if not v and start is not None: out.append((start, c - 1)); start = None
    if start is not None: out.append((start, N - 1))
    return out
def fmt_ranges(rs):
    return " ".join("%x" % a if a == b else "%x-%x" % (a, b) for a, b in rs)
def runs(mapping):
    # mapping: sorted list of (c, m) with m != c -> runs "start count delta stride"
    out = []; i = 0
    while i < len(mapping):
        c, m = mapping[i]; d = m - c
        best = (1, 1)
        for stride in (1, 2):
            n = 1
            while i + n < len(mapping) and mapping[i + n][0] == c + n * stride and mapping[i + n][1] - mapping[i + n][0] == d:
                n += 1
            if n > best[0]: best = (n, stride)
        n, stride = best
        out.append("%x %x %s%x %x" % (c, n, "-" if d < 0 else "", abs(d), stride))
        i += n
    return ",".join(out)
def table():
    res = {}
    res["space"] = fmt_ranges(ranges(lambda c: chr(c).isspace()))
    res["word"] = fmt_ranges(ranges(lambda c: chr(c).isalnum() or c == 95))
    res["digit"] = fmt_ranges(ranges(lambda c: chr(c).isdecimal()))
    res["cased"] = fmt_ranges(ranges(lambda c: _sre.unicode_iscased(c)))
    res["lower"] = runs([(c, _sre.unicode_tolower(c)) for c in range(N) if _sre.unicode_tolower(c) != c])
    res["upper"] = runs([(c, up(c)) for c in range(N) if up(c) != c])
    return res
if __name__ == "__main__":
    import json
    from re._casefix import _EXTRA_CASES
    t = table(); t["unidata_version"] = unicodedata.unidata_version
    t["extra"] = {str(k): list(v) for k, v in _EXTRA_CASES.items()}
    t["version"] = list(sys.version_info[:2])
    json.dump(t, sys.stdout)
"""#

@Suite("PyRegex Unicode tables")
struct PyRegexUnicodeTablesTests {
    @Test("tables equal CPython's", .enabled(if: PyRegexPython.available))
    func tablesMatchCPython() throws {
        for interp in PyRegexPython.interpreters {
            let json = try PyRegexPython.runJSON(interp, script: pyRegexTableScript, payload: [:] as [String: Int])
            let t = json as! [String: Any]
            func ranges(_ s: String) -> [UInt32] {
                let r = PyRangeTable(parsing: s)
                return zip(r.lows, r.highs).flatMap { [$0, $1] }
            }
            func runs(_ s: String) -> [[Int64]] {
                let m = PyCaseMap(parsing: s)
                return m.starts.indices.map { [Int64(m.starts[$0]), Int64(m.counts[$0]), Int64(m.deltas[$0]), Int64(m.strides[$0])] }
            }
            let label = interp.label
            #expect(ranges(t["space"] as! String) == ranges(PyRegexUnicodeData.space), "space \(label)")
            #expect(ranges(t["cased"] as! String) == ranges(PyRegexUnicodeData.cased), "cased \(label)")
            #expect(runs(t["lower"] as! String) == runs(PyRegexUnicodeData.lower), "lower \(label)")
            #expect(runs(t["upper"] as! String) == runs(PyRegexUnicodeData.upper), "upper \(label)")
            if interp.version == (3, 11) {
                #expect(ranges(t["word"] as! String) == ranges(PyRegexUnicodeData.word311), "word \(label)")
                #expect(ranges(t["digit"] as! String) == ranges(PyRegexUnicodeData.digit311), "digit \(label)")
            } else if interp.version == (3, 12) {
                #expect(ranges(t["word"] as! String) == ranges(PyRegexUnicodeData.word312), "word \(label)")
                #expect(ranges(t["digit"] as! String) == ranges(PyRegexUnicodeData.digit312), "digit \(label)")
            }
            let extra = (t["extra"] as! [String: [Int]]).reduce(into: [UInt32: [UInt32]]()) {
                $0[UInt32($1.key)!] = $1.value.map { UInt32($0) }
            }
            #expect(extra == PyUnicode.extraCases, "_EXTRA_CASES \(label)")
            print("PyRegex Unicode tables verified against \(label) (Unicode \(t["unidata_version"] as! String))")
        }
    }

    @Test func spotChecks() {
        #expect(PyUnicode.lower(0x130) == 0x69)      // İ -> i (first char of the full mapping)
        #expect(PyUnicode.lower(0x212A) == 0x6B)     // Kelvin sign -> k
        #expect(PyUnicode.upper(0xDF) == 0x53)       // ß -> S (first char of "SS")
        #expect(PyUnicode.isCased(0xDF))
        #expect(!PyUnicode.isSpace(0x200B) && PyUnicode.isSpace(0x85) && PyUnicode.isSpace(0x1F))
        #expect(PyUnicode.isWord(0x11F04, .python312) && !PyUnicode.isWord(0x11F04, .python311))
    }
}
