import Foundation
import Testing
@testable import PythonStdlib

// Randomised differential tests of PyRegex against CPython's `re`.
//
// Inputs are generated in Swift with a fixed seed, sent to ONE Python process per interpreter
// (as a JSON file), and every match span, every group span and the `sub` output are compared.
// The interpreters are the project's `.venvs/dj52/bin/python` (3.11) and
// `.venvs/dj61/bin/python` (3.12) when present, or $PYREGEX_PYTHON; the tests are skipped when
// none is available.

// MARK: - Python discovery

enum PyRegexPython {
    struct Interpreter: Sendable {
        var path: String
        var version: (Int, Int)
        var unicode: PyUnicodeVersion { version.1 >= 12 ? .python312 : .python311 }
        var label: String { "Python \(version.0).\(version.1)" }
    }

    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let interpreters: [Interpreter] = {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["PYREGEX_PYTHON"], !env.isEmpty {
            candidates.append(contentsOf: env.split(separator: ":").map(String.init))
        } else {
            candidates.append(repoRoot.appendingPathComponent(".venvs/dj52/bin/python").path)
            candidates.append(repoRoot.appendingPathComponent(".venvs/dj61/bin/python").path)
        }
        var out: [Interpreter] = []
        for path in candidates where FileManager.default.isExecutableFile(atPath: path) {
            guard let v = try? run(path, ["-c", "import sys; print(sys.version_info[0], sys.version_info[1])"]),
                  let parts = Optional(v.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
                  parts.count == 2, parts[0] == 3, parts[1] >= 11
            else { continue }
            if out.contains(where: { $0.version == (parts[0], parts[1]) }) { continue }
            out.append(Interpreter(path: path, version: (parts[0], parts[1])))
        }
        return out
    }()

    static var available: Bool { !interpreters.isEmpty }

    static func run(_ exe: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        let err = Pipe()
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw NSError(domain: "PyRegexPython", code: Int(p.terminationStatus), userInfo: [
                NSLocalizedDescriptionKey: String(decoding: errData, as: UTF8.self),
            ])
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A reference script running in the background; its JSON output is collected by `wait()`.
    final class Running {
        let process: Process
        let dir: URL
        let outURL: URL
        let errURL: URL

        init(_ interpreter: Interpreter, script: String, payload: Any) throws {
            dir = FileManager.default.temporaryDirectory
                .appendingPathComponent("pyregex-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let scriptURL = dir.appendingPathComponent("ref.py")
            let dataURL = dir.appendingPathComponent("in.json")
            outURL = dir.appendingPathComponent("out.json")
            errURL = dir.appendingPathComponent("err.txt")
            try script.write(to: scriptURL, atomically: true, encoding: .utf8)
            try JSONSerialization.data(withJSONObject: payload).write(to: dataURL)
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            process = Process()
            process.executableURL = URL(fileURLWithPath: interpreter.path)
            process.arguments = ["-X", "utf8", scriptURL.path, dataURL.path]
            process.standardOutput = try FileHandle(forWritingTo: outURL)
            process.standardError = try FileHandle(forWritingTo: errURL)
            try process.run()
        }

        func wait() throws -> Any {
            process.waitUntilExit()
            defer { try? FileManager.default.removeItem(at: dir) }
            guard process.terminationStatus == 0 else {
                let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
                throw NSError(domain: "PyRegexPython", code: Int(process.terminationStatus),
                              userInfo: [NSLocalizedDescriptionKey: err])
            }
            return try JSONSerialization.jsonObject(with: Data(contentsOf: outURL))
        }
    }

    /// Runs `script` with a JSON payload (passed as a temporary file) and decodes its JSON output.
    static func runJSON(_ interpreter: Interpreter, script: String, payload: Any) throws -> Any {
        try Running(interpreter, script: script, payload: payload).wait()
    }
}

// MARK: - Deterministic random generator

struct PyRegexSplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// MARK: - Patterns under test

struct PyRegexCase: Sendable {
    var pattern: String
    var flags: PyRegex.Flags
    var flagString: String {
        (flags.contains(.ignoreCase) ? "i" : "") + (flags.contains(.multiline) ? "m" : "")
            + (flags.contains(.dotAll) ? "s" : "")
    }
}

enum PyRegexCorpus {
    /// The patterns Django's ManifestStaticFilesStorage (4.2 – 6.1) compiles, with its flags.
    static let django: [PyRegexCase] = [
        .init(pattern: #"(?P<matched>url\(['"]{0,1}\s*(?P<url>.*?)["']{0,1}\))"#, flags: .ignoreCase),
        .init(pattern: #"(?P<matched>url\((?P<quote>['"]{0,1})\s*(?P<url>.*?)(?P=quote)\))"#, flags: .ignoreCase),
        .init(pattern: #"(?P<matched>@import\s*["']\s*(?P<url>.*?)["'])"#, flags: .ignoreCase),
        .init(pattern: #"(?m)^(?P<matched>/\*#[ \t](?-i:sourceMappingURL)=(?P<url>.*)[ \t]*\*/)$"#, flags: .ignoreCase),
        .init(pattern: #"(?m)(?P<matched>)^(/\*#[ \t](?-i:sourceMappingURL)=(?P<url>.*)[ \t]*\*/)$"#, flags: .ignoreCase),
        .init(pattern: #"(?m)^(?P<matched>//# (?-i:sourceMappingURL)=(?P<url>.*))$"#, flags: .ignoreCase),
        .init(pattern: #"(?m)(?P<matched>)^(//# (?-i:sourceMappingURL)=(?P<url>.*))$"#, flags: .ignoreCase),
        .init(pattern: #"(?P<matched>import(?s:(?P<import>[\s\{].*?|\*\s*as\s*\w+))\s*from\s*['"](?P<url>[./].*?)["']\s*;)"#, flags: .ignoreCase),
        .init(pattern: #"(?P<matched>import(?s:(?P<import>[\s\{].*?))\s*from\s*['"](?P<url>[\.\/].*?)["']\s*;)"#, flags: .ignoreCase),
        .init(pattern: #"(?P<matched>export(?s:(?P<exports>[\s\{].*?))\s*from\s*["'](?P<url>[./].*?)["']\s*;)"#, flags: .ignoreCase),
        .init(pattern: #"(?P<matched>import\s*['"](?P<url>[./].*?)["']\s*;)"#, flags: .ignoreCase),
        .init(pattern: #"(?P<matched>import\(["'](?P<url>.*?)["']\))"#, flags: .ignoreCase),
        .init(pattern: #"(?P<matched>import(?P<import>[\s\{][^;]*?|\*\s*as\s*\w+)\s*from\s*['"](?P<url>[./].*?)["'])"#, flags: .ignoreCase),
        .init(pattern: #"(?P<matched>export(?P<exports>[\s\{][^;]*?)\s*from\s*["'](?P<url>[./].*?)["'])"#, flags: .ignoreCase),
        .init(pattern: #"(?P<matched>import\s*['"](?P<url>[./].*?)["'])"#, flags: .ignoreCase),
        .init(pattern: #"(?P<matched>import\(["'](?P<url>[./].*?)["']\))"#, flags: .ignoreCase),
        .init(pattern: #"/\*.*?\*/|\\.|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*""#, flags: .dotAll),
        .init(pattern: #"/\*.*?\*/|//[^\n]*|\\.|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`"#, flags: .dotAll),
        .init(pattern: #"^[a-z]+:"#, flags: []),
    ]

    /// Extra patterns exercising the engine's sre emulation more broadly (small alphabet inputs).
    static let generic: [PyRegexCase] = [
        .init(pattern: #"a*"#, flags: []),
        .init(pattern: #"a*?"#, flags: []),
        .init(pattern: #"(a)|b"#, flags: []),
        .init(pattern: #"(?:(a)|b)*"#, flags: []),
        .init(pattern: #"(?:(a)|(b))*c"#, flags: []),
        .init(pattern: #"(a|b)*?c"#, flags: []),
        .init(pattern: #"(a*)*b"#, flags: []),
        .init(pattern: #"(a*)+"#, flags: []),
        .init(pattern: #"(a|)+b"#, flags: []),
        .init(pattern: #"(?:a|())*?b"#, flags: []),
        .init(pattern: #"(a+|b+)*c"#, flags: []),
        .init(pattern: #"(a+?)(b*)(\1)"#, flags: []),
        .init(pattern: #"(?P<x>[ab])(?P=x)+"#, flags: .ignoreCase),
        .init(pattern: #"(a)?\1"#, flags: []),
        .init(pattern: #"((a)|b)+"#, flags: []),
        .init(pattern: #"(?:(a)b|ac)+"#, flags: []),
        .init(pattern: #"(a{1,2}){2,3}?"#, flags: []),
        .init(pattern: #"(?:ab|a){2,}b"#, flags: []),
        .init(pattern: #"a{2}|b{,2}c|c{1,}?"#, flags: []),
        .init(pattern: #"x{1,2}?y|{|a{,}|b{x}"#, flags: []),
        .init(pattern: #"^a|b$|^$"#, flags: []),
        .init(pattern: #"^a|b$|^$"#, flags: .multiline),
        .init(pattern: #"\Aa|b\Z"#, flags: .multiline),
        .init(pattern: #"\bab?\b|\Bc"#, flags: []),
        .init(pattern: #"(?s:.)b|.c"#, flags: []),
        .init(pattern: #".+$"#, flags: []),
        .init(pattern: #"[^a\n]+|\n"#, flags: []),
        .init(pattern: #"[a-cx]+"#, flags: .ignoreCase),
        .init(pattern: #"[^A-C]+"#, flags: .ignoreCase),
        .init(pattern: #"i+|s+|k+|\u03c3+"#, flags: .ignoreCase),
        .init(pattern: #"[ik]|[sσ]+"#, flags: .ignoreCase),
        .init(pattern: #"(?i:I)ı|(?-i:a)A"#, flags: .ignoreCase),
        .init(pattern: #"\w+|\W"#, flags: []),
        .init(pattern: #"\s+|\S+?"#, flags: []),
        .init(pattern: #"\d+|\D"#, flags: []),
        .init(pattern: #"[\w.]+@|[\s\d]"#, flags: .ignoreCase),
        .init(pattern: #"a|b|"#, flags: []),
        .init(pattern: #"(?:)"#, flags: []),
        .init(pattern: #"(b)(?:(a)|c)d"#, flags: []),
        .init(pattern: #"(?:a(?:b(?:c)?)?)+?d|(a)(b)?"#, flags: []),
        // deterministic greedy REPEATs (run flattened by the engine)
        .init(pattern: #"(?:[^a\\]|\\.)*a"#, flags: []),
        .init(pattern: #"x(?:ab|c.|d)*(x|)"#, flags: []),
        .init(pattern: #"(a)(?:[^b]|bc)*(c)?"#, flags: []),
        .init(pattern: #"((?:[^'\\]|\\.)*)'"#, flags: .dotAll),
        .init(pattern: #"(?:ab)*a?b"#, flags: .ignoreCase),
        .init(pattern: #"(?:a|bc){1,3}c"#, flags: []),
        .init(pattern: #"(?:(a)|b)(?:[^a]|ab){2,}(b)?"#, flags: []),
        // failure memo keyed by backreferenced groups
        .init(pattern: #"(['"]?)a*?\1b"#, flags: []),
        .init(pattern: #"(x|y)?[^z]*?\1z"#, flags: []),
        .init(pattern: #"(?P<q>['"]?)\s*(?P<u>.*?)(?P=q)\)"#, flags: .ignoreCase),
        .init(pattern: #"(a|b)?.*(?:\1|c)d"#, flags: []),
        // lazy general repeats, zero-width iterations, marks restored by MIN_UNTIL/MAX_UNTIL
        .init(pattern: #"(a*?)*?b"#, flags: []),
        .init(pattern: #"(?:a*?)*c"#, flags: []),
        .init(pattern: #"(?:(x)|y)*?z"#, flags: []),
        .init(pattern: #"((a)|b)*?c"#, flags: []),
        .init(pattern: #"(?:(a)|b|)+?c"#, flags: []),
        .init(pattern: #"(?:()|a)*b"#, flags: []),
        .init(pattern: #"(?:(a)(?:(b)|c))*\2?"#, flags: []),
        .init(pattern: #"(?:x|(a))*?\b"#, flags: []),
    ]
}

// MARK: - Input generation

enum PyRegexInputs {
    static let fragments: [String] = [
        "url(", "URL(", "Url(", "uRl(", "'", "\"", ")", "(", " ", "  ", "\t", "\n", "\r", "\r\n", "\u{a0}",
        "\u{3000}", "\u{2028}", "\u{85}", "\u{1c}", "\u{1680}", "\u{200b}", "\u{feff}", "ı", "İ", "ſ", "\u{212a}",
        "@import", "@IMPORT", "@ımport", "@İmport", "/*#", "*/", "/*", "/* ", "//# sourceMappingURL=",
        "/*# sourceMappingURL=", "sourceMappingURL=", "SOURCEMAPPINGURL=", "sourcemappingurl=", "//#",
        "import", "IMPORT", "ımport", "İmport", "export", "EXPORT", "from", "FROM", "{", "}", ";", "*", "as",
        " as ", "./x.js", "../img/a.png", "/abs.css", "a.css", "x.map", "\\", "\\'", "\\\"", "`", "//", "#",
        "=", ",", ".", "/", "-", "_", ":", "data:", "http:", "a", "b", "z", "Z", "é", "ß", "ẞ", "σ", "ς", "Σ",
        "😀", "👍🏽", "\u{11f04}", "\u{11f50}", "0", "7", "٣", "x", "Q", "import(", "url( ", "$", "}\n",
    ]

    static let templates: [@Sendable (inout PyRegexSplitMix) -> String] = [
        { g in "url(" + pick(["", "'", "\"", " '", "\" "], &g) + pick(["img/a.png", "../b.gif", "data:x", "", "a b"], &g)
            + pick(["", "'", "\"", "' "], &g) + pick([")", "", "))"], &g) },
        { g in pick(["@import", "@IMPORT", "@ımport"], &g) + pick(["", " ", "\t"], &g) + pick(["'", "\"", "url("], &g)
            + pick(["a.css", "../b.css", ""], &g) + pick(["'", "\"", ""], &g) + pick([";", ""], &g) },
        { g in pick(["/*# ", "/*#\t", "//# ", "/* "], &g) + pick(["sourceMappingURL", "SOURCEMAPPINGURL"], &g) + "="
            + pick(["a.map", "x.js.map", "", "a b"], &g) + pick([" */", "*/", "\t*/ ", "", " */\n"], &g) },
        { g in pick(["import", "IMPORT", "export"], &g) + pick([" ", "{", "\n", "*", " * as ", "\t{ a, b }"], &g)
            + pick(["a", "x,\ny", "", "* as m", "ab\u{11f04}"], &g) + pick([" ", "\n", ""], &g)
            + pick(["from", "FROM", "frm"], &g) + pick([" ", ""], &g) + pick(["'", "\""], &g)
            + pick(["./x.js", "../y.mjs", "z.js", ".", ""], &g) + pick(["'", "\""], &g) + pick([";", " ;", ""], &g) },
        { g in pick(["import", "import "], &g) + pick(["'", "\"", "(\"", "('"], &g) + pick(["./a.js", "b.js", "../c"], &g)
            + pick(["'", "\"", "\")", "')"], &g) + pick([";", ""], &g) },
        { g in pick(["'", "\"", "`"], &g) + pick(["a\\'b", "x\\\"", "/*", "\\\\", "\n", "url(a)", ""], &g)
            + pick(["'", "\"", "`", ""], &g) },
    ]

    static func pick(_ xs: [String], _ g: inout PyRegexSplitMix) -> String {
        xs[Int(g.next() % UInt64(xs.count))]
    }

    /// Inputs biased towards the Django patterns' syntax.
    static func djangoInputs(count: Int, seed: UInt64) -> [String] {
        var g = PyRegexSplitMix(seed: seed)
        var out: [String] = []
        for _ in 0..<count {
            var s = ""
            let parts = 1 + Int(g.next() % 14)
            for _ in 0..<parts {
                let r = g.next() % 10
                if r < 4 {
                    s += templates[Int(g.next() % UInt64(templates.count))](&g)
                } else {
                    s += pick(fragments, &g)
                }
            }
            out.append(s)
        }
        return out
    }

    /// Small-alphabet inputs for the generic patterns.
    static func genericInputs(count: Int, seed: UInt64) -> [String] {
        let alphabet = ["a", "a", "b", "b", "c", "d", "A", "B", "C", "x", "y", "{", "}", " ", "\n", "1", "٣",
                        "I", "ı", "İ", "i", "s", "S", "ſ", "k", "K", "\u{212a}", "σ", "ς", "Σ", "_", ".", "@", "\u{11f04}",
                        "'", "\"", ")", "\\", "z", "z"]
        var g = PyRegexSplitMix(seed: seed)
        var out: [String] = [""]
        for _ in 1..<count {
            let n = Int(g.next() % 12)
            var s = ""
            for _ in 0..<n { s += pick(alphabet, &g) }
            out.append(s)
        }
        return out
    }
}

// MARK: - Reference script (runs inside CPython)

let pyRegexReferenceScript = #"""
import json, re, sys
data = json.load(open(sys.argv[1], encoding="utf-8"))
inputs = data["inputs"]
results = []
for p in data["patterns"]:
    flags = 0
    if "i" in p["flags"]: flags |= re.IGNORECASE
    if "m" in p["flags"]: flags |= re.MULTILINE
    if "s" in p["flags"]: flags |= re.DOTALL
    rx = re.compile(p["pattern"], flags)
    has_url = "url" in rx.groupindex
    def repl(m):
        if has_url:
            u = m.group("url")
            return "<" + (u if u is not None else "~") + ">"
        return "<" + m.group(0) + ">"
    per_input = []
    for i in p["inputs"]:
        s = inputs[i]
        spans = [[x for g in range(rx.groups + 1) for x in m.span(g)] for m in rx.finditer(s)]
        per_input.append([spans, rx.sub(repl, s)])
    results.append(per_input)
# ensure_ascii: Foundation's JSON parser drops a raw U+FEFF at the start of a string value.
json.dump({"results": results}, sys.stdout, ensure_ascii=True)
"""#


// MARK: - Random patterns

/// Random patterns over the supported syntax (groups, backreferences, nested lazy/greedy
/// repeats, scoped flags, anchors, classes) to exercise the sre emulation as a whole.
struct PyRegexPatternGenerator {
    var g: PyRegexSplitMix
    var groups = 0
    var closed: [Int] = []

    init(seed: UInt64) { g = PyRegexSplitMix(seed: seed) }

    mutating func r(_ n: Int) -> Int { Int(g.next() % UInt64(n)) }

    mutating func atom(_ depth: Int) -> String {
        switch r(depth > 2 ? 8 : 12) {
        case 0: return ["a", "b", "c", "A", "ı", "İ", "k", "K", "x", "\\.", "'", "\""][r(12)]
        case 1: return "."
        case 2: return ["[ab]", "[^a]", "[a-c]", "[^\\n']", "[\\w.]", "[İk]", "[^A-C]"][r(7)]
        case 3: return ["\\w", "\\s", "\\d", "\\W", "\\S"][r(5)]
        case 4: return ["\\b", "\\B", "^", "$", "\\A", "\\Z"][r(6)]
        case 5: return ["a", "b", "c"][r(3)]
        case 6:
            if closed.isEmpty { return "a" }
            return "\\\(closed[r(closed.count)])"
        case 7: return ["a", "b"][r(2)]
        case 8, 9:
            groups += 1
            let me = groups
            let inner = alternation(depth + 1)
            closed.append(me)
            return "(" + inner + ")"
        case 10: return "(?:" + alternation(depth + 1) + ")"
        default: return "(?" + ["i", "s", "-i", "m"][r(4)] + ":" + alternation(depth + 1) + ")"
        }
    }

    mutating func quantifier() -> String {
        switch r(10) {
        case 0: return "*"
        case 1: return "+"
        case 2: return "?"
        case 3: return "*?"
        case 4: return "+?"
        case 5: return "??"
        case 6: return ["{2}", "{1,2}", "{0,2}?", "{2,}", "{,1}"][r(5)]
        default: return ""
        }
    }

    mutating func sequence(_ depth: Int) -> String {
        var s = ""
        for _ in 0..<(1 + r(4)) {
            let a = atom(depth)
            let zeroWidth = ["\\b", "\\B", "^", "$", "\\A", "\\Z"].contains(a)
            s += zeroWidth ? a : a + quantifier()
        }
        return s
    }

    mutating func alternation(_ depth: Int) -> String {
        var parts = [sequence(depth)]
        while r(4) == 0 && parts.count < 3 { parts.append(sequence(depth)) }
        return parts.joined(separator: "|")
    }

    mutating func pattern() -> PyRegexCase {
        groups = 0
        closed = []
        let p = alternation(0)
        let flags: [PyRegex.Flags] = [[], .ignoreCase, .multiline, .dotAll, [.ignoreCase, .dotAll]]
        return PyRegexCase(pattern: p, flags: flags[r(flags.count)])
    }
}

/// Reference for random patterns: compile errors are reported, and patterns CPython needs
/// more than 20 ms for (catastrophic backtracking) are skipped.
let pyRegexRandomPatternScript = #"""
import json, re, sys, signal, time
data = json.load(open(sys.argv[1], encoding="utf-8"))
inputs = data["inputs"]
class Slow(Exception): pass
def on_alarm(*a): raise Slow()
signal.signal(signal.SIGALRM, on_alarm)
# Foundation's Process starts children with signals blocked.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
out = []
for p in data["patterns"]:
    fl = 0
    if "i" in p["flags"]: fl |= re.IGNORECASE
    if "m" in p["flags"]: fl |= re.MULTILINE
    if "s" in p["flags"]: fl |= re.DOTALL
    try:
        rx = re.compile(p["pattern"], fl)
    except re.error:
        out.append("error")
        continue
    t0 = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, 0.1)
    try:
        res = []
        for s in inputs:
            spans = [[x for g in range(rx.groups + 1) for x in m.span(g)] for m in rx.finditer(s)]
            res.append([spans, rx.sub(lambda m: "<" + m.group(0) + ">", s)])
        signal.setitimer(signal.ITIMER_REAL, 0)
        out.append(res if time.monotonic() - t0 < 0.02 else "slow")
    except Slow:
        out.append("slow")
json.dump(out, sys.stdout, ensure_ascii=True)
"""#

// MARK: - Tests

@Suite("PyRegex differential vs CPython")
struct PyRegexDifferentialTests {
    struct Outcome {
        var pairs = 0
        var matches = 0
        var mismatches: [String] = []
        var mismatchCount = 0
    }

    /// PyRegex's results for every (pattern, input): all match/group spans and the sub output.
    static func swiftResults(_ cases: [(PyRegexCase, [Int])], _ inputs: [[Unicode.Scalar]],
                             _ unicode: PyUnicodeVersion) throws -> [[([[Int]], String)]]
    {
        try cases.map { c, inputIdx in
            let rx = try PyRegex(c.pattern, flags: c.flags, unicode: unicode)
            let hasURL = rx.groupIndex["url"] != nil
            return inputIdx.map { idx in
                let text = inputs[idx]
                let spans = rx.matches(text).map { m -> [Int] in
                    var row: [Int] = []
                    for g in 0...m.groupCount {
                        if let r = m.range(g) { row += [r.lowerBound, r.upperBound] } else { row += [-1, -1] }
                    }
                    return row
                }
                let sub = rx.sub(text) { m -> [Unicode.Scalar] in
                    let body: [Unicode.Scalar]
                    if hasURL {
                        body = m.scalars("url").map(Array.init) ?? ["~"]
                    } else {
                        body = Array(m.scalars(0)!)
                    }
                    return ["<"] + body + [">"]
                }
                var view = String.UnicodeScalarView()
                view.append(contentsOf: sub)
                return (spans, String(view))
            }
        }
    }

    /// Runs every available CPython in the background, computes PyRegex's results meanwhile,
    /// then compares.
    static func compareAll(cases: [(PyRegexCase, [Int])], inputs: [String]) throws -> [(String, Outcome)] {
        let payload: [String: Any] = [
            "inputs": inputs,
            "patterns": cases.map { c in
                ["pattern": c.0.pattern, "flags": c.0.flagString, "inputs": c.1] as [String: Any]
            },
        ]
        let interps = PyRegexPython.interpreters
        let running = try interps.map { try PyRegexPython.Running($0, script: pyRegexReferenceScript, payload: payload) }
        let scalars = inputs.map { Array($0.unicodeScalars) }
        var ours: [PyUnicodeVersion: [[([[Int]], String)]]] = [:]
        for interp in interps where ours[interp.unicode] == nil {
            ours[interp.unicode] = try swiftResults(cases, scalars, interp.unicode)
        }
        var out: [(String, Outcome)] = []
        for (interp, run) in zip(interps, running) {
            let json = try run.wait()
            let results = (json as! [String: Any])["results"] as! [[Any]]
            let mine = ours[interp.unicode]!
            var outcome = Outcome()
            for (ci, (c, inputIdx)) in cases.enumerated() {
                for (k, idx) in inputIdx.enumerated() {
                    let expected = results[ci][k] as! [Any]
                    let expectedSpans = (expected[0] as! [[Any]]).map { $0.map { ($0 as! NSNumber).intValue } }
                    let expectedSub = expected[1] as! String
                    let (got, sub) = mine[ci][k]
                    outcome.pairs += 1
                    outcome.matches += expectedSpans.count
                    if got != expectedSpans || sub != expectedSub {
                        outcome.mismatchCount += 1
                        if outcome.mismatches.count < 12 {
                            outcome.mismatches.append("""
                                pattern \(c.pattern) flags '\(c.flagString)' input \(inputs[idx].debugDescription)
                                  python: \(expectedSpans) sub \(expectedSub.debugDescription)
                                  swift:  \(got) sub \(sub.debugDescription)
                                """)
                        }
                    }
                }
            }
            out.append((interp.label, outcome))
        }
        return out
    }

    @Test("Django's patterns on random CSS/JS-like inputs", .enabled(if: PyRegexPython.available))
    func djangoPatterns() throws {
        let inputs = PyRegexInputs.djangoInputs(count: 1500, seed: 0x5EED_D1A9_0001)
        let all = Array(inputs.indices)
        for (label, o) in try Self.compareAll(cases: PyRegexCorpus.django.map { ($0, all) }, inputs: inputs) {
            print("PyRegex differential (Django patterns) vs \(label): compared \(o.pairs) pattern/input pairs, "
                + "\(o.matches) matches (all spans, all groups, sub output): \(o.mismatchCount) mismatches")
            #expect(o.mismatchCount == 0, "\(o.mismatchCount) of \(o.pairs) pairs differ from \(label):\n\(o.mismatches.joined(separator: "\n"))")
        }
    }

    @Test("generic sre semantics on random small-alphabet inputs", .enabled(if: PyRegexPython.available))
    func genericPatterns() throws {
        let inputs = PyRegexInputs.genericInputs(count: 400, seed: 0x5EED_0000_0002)
        let all = Array(inputs.indices)
        for (label, o) in try Self.compareAll(cases: PyRegexCorpus.generic.map { ($0, all) }, inputs: inputs) {
            print("PyRegex differential (generic patterns) vs \(label): compared \(o.pairs) pattern/input pairs, "
                + "\(o.matches) matches (all spans, all groups, sub output): \(o.mismatchCount) mismatches")
            #expect(o.mismatchCount == 0, "\(o.mismatchCount) of \(o.pairs) pairs differ from \(label):\n\(o.mismatches.joined(separator: "\n"))")
        }
    }

    @Test("random patterns on random small-alphabet inputs", .enabled(if: PyRegexPython.available))
    func randomPatterns() throws {
        var gen = PyRegexPatternGenerator(seed: 0x5EED_0000_0003)
        let cases = (0..<120).map { _ in gen.pattern() }
        let inputs = PyRegexInputs.genericInputs(count: 30, seed: 0x5EED_0000_0004)
        let payload: [String: Any] = [
            "inputs": inputs,
            "patterns": cases.map { ["pattern": $0.pattern, "flags": $0.flagString] },
        ]
        let running = try PyRegexPython.interpreters.map {
            ($0, try PyRegexPython.Running($0, script: pyRegexRandomPatternScript, payload: payload))
        }
        let scalars = inputs.map { Array($0.unicodeScalars) }
        for (interp, run) in running {
            let results = try run.wait() as! [Any]
            var pairs = 0, matches = 0, skipped = 0, errors = 0, mismatchCount = 0
            var report: [String] = []
            for (c, r) in zip(cases, results) {
                let rx = try? PyRegex(c.pattern, flags: c.flags, unicode: interp.unicode)
                if let tag = r as? String {
                    if tag == "slow" {
                        skipped += 1
                    } else {
                        errors += 1
                        if rx != nil {
                            mismatchCount += 1
                            report.append("CPython rejects /\(c.pattern)/ but PyRegex compiles it")
                        }
                    }
                    continue
                }
                guard let rx else {
                    mismatchCount += 1
                    report.append("PyRegex rejects /\(c.pattern)/ but CPython compiles it")
                    continue
                }
                let rows = r as! [[Any]]
                for (k, text) in scalars.enumerated() {
                    let expected = (rows[k][0] as! [[Any]]).map { $0.map { ($0 as! NSNumber).intValue } }
                    let expectedSub = rows[k][1] as! String
                    let got = rx.matches(text).map { m in
                        (0...m.groupCount).flatMap { g -> [Int] in
                            if let r = m.range(g) { return [r.lowerBound, r.upperBound] }
                            return [-1, -1]
                        }
                    }
                    var sub = String.UnicodeScalarView()
                    sub.append(contentsOf: rx.sub(text) { m in ["<"] + Array(m.scalars(0)!) + [">"] })
                    pairs += 1
                    matches += expected.count
                    if got != expected || String(sub) != expectedSub {
                        mismatchCount += 1
                        if report.count < 12 {
                            report.append("/\(c.pattern)/\(c.flagString) on \(inputs[k].debugDescription): python \(expected) "
                                + "\(expectedSub.debugDescription), swift \(got) \(String(sub).debugDescription)")
                        }
                    }
                }
            }
            print("PyRegex differential (random patterns) vs \(interp.label): \(cases.count) patterns "
                + "(\(errors) rejected by both, \(skipped) too slow in CPython), \(pairs) pattern/input pairs, "
                + "\(matches) matches: \(mismatchCount) mismatches")
            #expect(mismatchCount == 0, "vs \(interp.label):\n\(report.joined(separator: "\n"))")
        }
    }
}
