import Foundation
import Testing
@testable import PythonStdlib

// Randomised differential test of the PythonSemantics ports against CPython.
//
// A fixed-seed generator produces strings biased towards the characters each function cares
// about; every case is evaluated in Swift and, in one process per interpreter, by
// `python_semantics_reference.py` under the project's CPython 3.11 (`.venvs/dj52`, Django 5.2)
// and CPython 3.12 (`.venvs/dj61`, Django 6.1). Strings travel as hex-encoded UTF-8 so
// normalisation forms, controls and astral characters arrive exactly.

// MARK: - Deterministic RNG

private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// MARK: - Cases

private struct Case {
    let function: String
    let args: [String]
    let json: PyJSONValue?
}

private func hexUTF8(_ s: String) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count * 2)
    for b in s.utf8 {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}

private func unhexUTF8(_ h: Substring) -> String {
    var bytes: [UInt8] = []
    var it = h.utf8.makeIterator()
    func v(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : c - 0x61 + 10 }
    while let a = it.next(), let b = it.next() { bytes.append(v(a) << 4 | v(b)) }
    return String(decoding: bytes, as: UTF8.self)
}

/// The same rendering as `rep()` in the Python script.
private func rep(_ s: String) -> String { "s" + hexUTF8(s) }
private func rep(_ b: Bool) -> String { b ? "T" : "F" }
private func rep(_ parts: [String]) -> String { "(" + parts.map(rep).joined(separator: ",") + ")" }

/// Human-readable form of a rendered result (for failure messages).
private func describe(_ r: String) -> String {
    var out = ""
    var i = r.startIndex
    while i < r.endIndex {
        let c = r[i]
        if c == "s" {
            var j = r.index(after: i)
            while j < r.endIndex, r[j].isHexDigit { j = r.index(after: j) }
            out += pyRepr(unhexUTF8(r[r.index(after: i)..<j]))
            i = j
        } else {
            out.append(c)
            i = r.index(after: i)
        }
    }
    return out
}

private func pyRepr(_ s: String) -> String {
    var out = "'"
    for c in s.unicodeScalars {
        switch c.value {
        case 0x20...0x7E where c != "'" && c != "\\": out.unicodeScalars.append(c)
        default: out += String(format: c.value <= 0xFF ? "\\x%02x" : (c.value <= 0xFFFF ? "\\u%04x" : "\\U%08x"), c.value)
        }
    }
    return out + "'"
}

private func jsonTransport(_ v: PyJSONValue) -> String {
    switch v {
    case .string(let s): return "[\"s\",\"\(hexUTF8(s))\"]"
    case .int(let i): return "[\"i\",\"\(i)\"]"
    case .float(let d): return "[\"f\",\"\(d.bitPattern)\"]"
    case .bool(let b): return "[\"b\",\(b ? "true" : "false")]"
    case .null: return "[\"n\"]"
    case .array(let items): return "[\"a\",[" + items.map(jsonTransport).joined(separator: ",") + "]]"
    case .object(let pairs):
        return "[\"o\",[" + pairs.map { "[\"\(hexUTF8($0.key))\"," + jsonTransport($0.value) + "]" }
            .joined(separator: ",") + "]]"
    }
}

private struct Generator {
    var rng = SplitMix64(state: 0x5EED_D1A6_0000_0311)

    mutating func int(_ n: Int) -> Int { Int.random(in: 0..<n, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }
    mutating func string(_ pool: [String], maxTokens: Int) -> String {
        let n = int(maxTokens + 1)
        var s = ""
        for _ in 0..<n { s += pick(pool) }
        return s
    }

    static let pathPool = [
        "/", "/", "/", "//", "///", ".", ".", "..", "..", "a", "b", "c.js", ".htaccess", "x.y.z",
        "ü", "u\u{308}", "é", "e\u{301}", "😀", " ", "\t", "\u{0}", "\n", "~", "\\", "%2F", "..a",
        "a.", ".a", "...", "tar.gz", "\u{A0}",
    ]

    static let urlPool = [
        "/", "/", "//", ".", "..", "%", "%", "%2", "%25", "%41", "%2F", "%2f", "%C3%BC", "%c3%bc",
        "%C3", "%BC", "%E2%82%AC", "%E2%82", "%F0%9F%98%80", "%F0%9F", "%F0%9F%98", "%ED%A0%80",
        "%C0%AF", "%E0%80%AF", "%F4%90%80%80", "%F8", "%FF", "%80", "%ZZ", "%G1", "%%", "%%41",
        "?", "?", "#", "#", ";", ";", ":", ":", "@", "[", "]", "[::1]", "[v1.a]", "[v1.]",
        "[1.2.3.4]", "[::ffff:1.2.3.4]", "[fe80::1%25eth0]", ":80", " ", " ", "\t", "\r\n", "\n",
        "\r", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "\u{85}", "\u{A0}", "\u{3000}", "ü", "😀",
        "e\u{301}", "é", "a", "b", "Z", "0", "9", "f", "F", "c", "E", "http:", "HTTP:", "https://",
        "//host", "//h:1", "file:", "mailto:", "rtsps:", "itms-services:", "svn+ssh:", "a-b.c:",
        "1a:", "ws:", "tel:", "sip:", "~", "!", "*", "(", ")", "'", "℀", "＠", "：", "＃", "&",
        "=", "+", ",", "$", "img", "a.png", "x.css",
    ]

    static let fnNamePool = [
        "a", "b", "c", "-", "!", "]", "[", "^", "/", ".", "\\", "&", "z", "ü", "e\u{301}", "\n",
        "~", "|", "A",
    ]
    static let fnPatPool = [
        "a", "b", "c", "-", "!", "]", "[", "^", "/", ".", "\\", "&", "z", "ü", "e\u{301}", "\n",
        "~", "|", "A", "*", "*", "*", "?", "?", "[", "[!", "[]", "[!]", "a-c", "z-a", "-]", "[a-",
        "[^", "[\\]", "&&", "~~", "||", "--",
    ]

    static let hostPool = [
        "::", "::", ":", ":", "0", "1", "a", "ffff", "FFFF", "12345", "g", "1.2.3.4", "01.2.3.4",
        "256.1.1.1", "1.2.3", "0.0.0.0", "%", "%eth0", "%25", "v", "v1.", "v1.x", "vA", ".", "fe80",
        "a:b:c:d:e:f:1:2", "::1", "1::", "1:2:3:4:5:6:7", "ü", "\u{663}", "0x1", "]", "[", "@", " ",
    ]

    /// A netloc with a bracketed host (exercises the ipaddress port and the bracket checks).
    mutating func bracketedURL() -> String {
        var s = pick(["", "http:", "https:", "rtsps:", "x:"]) + "//"
        if chance(0.3) { s += pick(["u@", "u:p@", "[::1]@", "@", "a[b]@"]) }
        if chance(0.1) { s += pick(["a", "x.y", "1"]) }
        let validHosts = ["::1", "1::", "::", "fe80::1%eth0", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8",
                          "2001:db8::a:b", "v1.x", "vF.a:b", "::%25x", "1:2:3:4:5:6:1.2.3.4"]
        let host = chance(0.5) ? pick(validHosts) : string(Self.hostPool, maxTokens: 5)
        s += "[" + host + (chance(0.9) ? "]" : "")
        if chance(0.4) { s += pick([":80", ":", "x", ":x", "]", "[v1.a]", "@h"]) }
        return s + pick(["", "/", "/a?b#c", "?q", "#f", string(Self.urlPool, maxTokens: 3)])
    }

    /// A name built from the pattern, so that a useful share of fnmatch cases match.
    mutating func instantiate(_ pattern: String) -> String {
        var out = ""
        for c in pattern.unicodeScalars {
            switch c {
            case "*": for _ in 0..<int(3) { out += pick(Self.fnNamePool) }
            case "?": out += pick(Self.fnNamePool)
            default:
                if chance(0.9) { out.unicodeScalars.append(c) } else { out += pick(Self.fnNamePool) }
            }
        }
        return out
    }

    static let jsonStringPool: [String] = {
        var p = ["a", "b", "\"", "\\", "/", " ", "é", "e\u{301}", "😀", "\u{7F}", "\u{80}", "\u{FF}",
                 "\u{100}", "\u{FFFF}", "\u{FFFE}", "\u{E000}", "\u{D7FF}", "\u{10000}", "\u{10FFFF}",
                 "\u{2028}", "static/css/a.b1c2.css", "ü", "~"]
        for v in 0..<0x20 { p.append(String(Unicode.Scalar(UInt8(v)))) }
        return p
    }()

    static let spacePool: [String] = {
        var p = ["a", "b", " ", "x y", "\u{200B}", "\u{180E}", "\u{FEFF}", "\u{1F}", "\u{1B}", "é",
                 "e\u{301}", "\u{0}", "\u{7F}"]
        let spaces: [UInt32] = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0,
                                0x1680, 0x2000, 0x2005, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
        for v in spaces { p.append(String(Unicode.Scalar(v)!)) }
        return p
    }()

    static let orderPool = ["", "a", "b", "A", "é", "e\u{301}", "e", "\u{301}", "ü", "u\u{308}", "😀",
                            "\u{FFFF}", "\u{10000}", "\u{FF}", "\u{0}", "z", "/", "."]

    mutating func json(depth: Int) -> PyJSONValue {
        switch int(depth > 2 ? 4 : 6) {
        case 0: return .string(string(Self.jsonStringPool, maxTokens: 6))
        case 1:
            return .int(pick([0, 1, -1, 42, Int.max, Int.min, Int(Int32.max) + 1,
                              Int.random(in: Int.min...Int.max, using: &rng)]))
        case 2: return chance(0.5) ? .bool(chance(0.5)) : .null
        case 3 where chance(0.3): return .float(jsonFloat())
        case 3: return .string(string(Self.jsonStringPool, maxTokens: 3))
        case 4: return .array((0..<int(4)).map { _ in json(depth: depth + 1) })
        default:
            var pairs: [(key: String, value: PyJSONValue)] = []
            var seen = Set<[UInt32]>()  // Python dict keys: code-point identity
            for _ in 0..<int(4) {
                let k = string(Self.jsonStringPool, maxTokens: 3)
                if seen.insert(k.unicodeScalars.map(\.value)).inserted {
                    pairs.append((key: k, value: json(depth: depth + 1)))
                }
            }
            return .object(pairs)
        }
    }

    /// Any bit pattern now and then (NaN, infinities, subnormals), else values near the places
    /// where float repr changes layout (1e-4, 1e16) and the shortest digits are few.
    mutating func jsonFloat() -> Double {
        switch int(4) {
        case 0: return Double(bitPattern: rng.next())
        case 1: return pick([0.0, -0.0, 1e16, 1e15, 9.5e15, 2e16, 1e-4, 1e-5, 0.1, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                             .nan, .infinity, -.infinity, 123456789012345678.0, 1.5, -2.5e-7])
        case 2: return Double(int(1_000_000)) * pow(10, Double(int(48) - 24))
        default: return Double(int(Int(Int32.max))) / Double(1 + int(1000))
        }
    }

    static let jsonWhitespacePool = ["", " ", "\n", "\t", "\r", "  \n "]
    static let notJSONWhitespacePool = ["\u{A0}", "\u{C}", "\u{B}", "\u{2028}"]
    static let jsonNumberPool = [
        "0", "-0", "1", "-1", "1.5", "-1.5e3", "1e5", "1E+5", "1e-5", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "1e999", "-1e999", "1e-999",
        "0.1", "5e-324", "1.7976931348623157e308", "9500000000000000.0", "1e16", "1e15", "0.0001", "0.00001", "NaN",
        "Infinity", "-Infinity", "0e0", "-0.0", "1e01", "2.5E-0",
    ]
    static let notJSONNumberPool = [
        "01", "-01", "1.", ".5", "1e", "1e+", "1E-", "2.e3", "-", "--1", "1.5.5", "nan", "inf", "-NaN", "+1", "0x10",
        "1_000", "-Infinit", "Infinityx",
    ]
    static let jsonEscapePool = [
        "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u00e9", "\\u00E9", "\\u0065\\u0301",
        "\\ud83d\\ude00", "\\uD83D\\uDE00", "\\ud800", "\\udc00", "\\ud800\\u0041", "\\u0000", "\\u001f", "\\u007F",
    ]
    static let notJSONEscapePool = ["\\ud800\\uzzzz", "\\ud800\\", "\\u12", "\\x41", "\\a", "\\'", "\\U00e9", "\\"]
    static let jsonKeyPool = ["a", "b", "caf\u{E9}", "cafe\u{301}", "paths", "", "\u{0}", "\\u0061", "\\u00e9"]

    /// A string literal: pool characters (a quote or backslash escaped, a control written as
    /// \u00XX, each mostly), escapes valid and not, now and then no closing quote.
    mutating func jsonStringLiteral(_ pool: [String], maxTokens: Int) -> String {
        var body = ""
        for _ in 0..<int(maxTokens + 1) {
            if chance(0.25) { body += chance(0.03) ? pick(Self.notJSONEscapePool) : pick(Self.jsonEscapePool); continue }
            for scalar in pick(pool).unicodeScalars {
                if (scalar == "\"" || scalar == "\\") && chance(0.97) {
                    body += "\\" + String(scalar)
                } else if scalar.value < 0x20 && chance(0.98) {
                    body += String(format: "\\u%04x", scalar.value)
                } else {
                    body.unicodeScalars.append(scalar)
                }
            }
        }
        return "\"" + body + (chance(0.01) ? "" : "\"")
    }

    /// JSON text for `json.loads`: mostly well formed, with Python's extensions, repeated and
    /// canonically equivalent keys, odd whitespace, and now and then a character dropped, added
    /// or the text cut short.
    mutating func jsonText(depth: Int) -> String {
        func space(_ g: inout Generator) -> String {
            g.chance(0.6) ? "" : g.chance(0.02) ? g.pick(Self.notJSONWhitespacePool) : g.pick(Self.jsonWhitespacePool)
        }
        switch int(depth > 2 ? 4 : 6) {
        case 0: return jsonStringLiteral(Self.jsonStringPool, maxTokens: 5)
        case 1:
            switch int(3) {
            case 0: return chance(0.05) ? pick(Self.notJSONNumberPool) : pick(Self.jsonNumberPool)
            case 1: return PyJSON.dumps(.float(jsonFloat()))
            default: return String(Int.random(in: Int.min...Int.max, using: &rng) >> int(64))
            }
        case 2: return chance(0.05) ? pick(["nul", "True", "None", "nullx", "truefalse"]) : pick(["null", "true", "false"])
        case 3: return jsonStringLiteral(Self.jsonStringPool, maxTokens: 2)
        case 4:
            let items = (0..<int(4)).map { _ in space(&self) + jsonText(depth: depth + 1) + space(&self) }
            return "[" + space(&self) + items.joined(separator: chance(0.99) ? "," : "") + (chance(0.01) ? "," : "") + "]"
        default:
            let pairs = (0..<int(5)).map { _ in
                space(&self) + jsonStringLiteral(Self.jsonKeyPool, maxTokens: 1) + space(&self)
                    + (chance(0.99) ? ":" : "") + space(&self) + jsonText(depth: depth + 1) + space(&self)
            }
            return "{" + space(&self) + pairs.joined(separator: chance(0.99) ? "," : "") + (chance(0.01) ? "," : "") + "}"
        }
    }

    mutating func jsonLoadsCase() -> String {
        var scalars = Array((jsonText(depth: 0)).unicodeScalars)
        switch int(20) {
        case 0 where !scalars.isEmpty: scalars.remove(at: int(scalars.count))
        case 1: scalars.insert(pick(Array("{}[]\",:\\-0.eE\u{0}\u{FEFF} ".unicodeScalars)), at: int(scalars.count + 1))
        case 2: scalars = Array(scalars.prefix(int(scalars.count + 1)))
        case 3: scalars.insert("\u{FEFF}", at: 0)
        case 4: scalars = Array(" \t\r\n".unicodeScalars) + scalars + Array(pick([" ", "\n", " x", ",", "\u{A0}"]).unicodeScalars)
        default: break
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }

    mutating func cases(perFunction n: Int) -> [Case] {
        var out: [Case] = []
        func add(_ f: String, _ a: [String]) { out.append(Case(function: f, args: a, json: nil)) }
        let urlBases = ["http://a/b/c/d;p?q", "https://cdn.example.com/static/", "/static/css/",
                        "css/a.css", "", "http://a", "file:///x/y", "rtsps://h/a/b", "mailto:x@y"]
        let schemes = ["", "http", "https", "rtsps", "itms-services", "mailto", "file", "tel", "ftp",
                       "sip", " http", "h\ttp"]
        for _ in 0..<n {
            let p = string(Self.pathPool, maxTokens: 8)
            add("normpath", [p])
            add("split", [p])
            add("splitext", [string(Self.pathPool, maxTokens: 6)])
            add("dirname", [p])
            add("basename", [p])
            add("isabs", [p])
            add("join", (0..<(1 + int(4))).map { _ in string(Self.pathPool, maxTokens: 3) })
            add("abspath", [p, pick(["/", "/srv/app", "//net", "rel/dir", "", "/a/../b"])])

            let u = string(Self.urlPool, maxTokens: 10)
            add("unquote", [u])
            add("quote", [u, pick(["/", "", "/~!*()'", "%", "ü/", string(Self.urlPool, maxTokens: 2)])])
            add("urlsplit", [u])
            add("urlsplit_x", [string(Self.urlPool, maxTokens: 8), pick(schemes), chance(0.5) ? "1" : "0"])
            add("urlparse", [string(Self.urlPool, maxTokens: 8)])
            add("urlsplit_hostname", [string(Self.urlPool, maxTokens: 8)])
            add("urldefrag", [u])
            let c5 = [pick(schemes), chance(0.5) ? "" : string(Self.urlPool, maxTokens: 2),
                      string(Self.urlPool, maxTokens: 4), chance(0.5) ? "" : string(Self.urlPool, maxTokens: 2),
                      chance(0.5) ? "" : string(Self.urlPool, maxTokens: 2)]
            add("urlunsplit", c5)
            add("urlunparse", [c5[0], c5[1], c5[2], chance(0.5) ? "" : string(Self.urlPool, maxTokens: 2),
                               c5[3], c5[4]])
            let base = chance(0.5) ? pick(urlBases) : string(Self.urlPool, maxTokens: 6)
            add("urljoin", [base, string(Self.urlPool, maxTokens: 6)])

            add("fnmatchcase", [string(Self.fnNamePool, maxTokens: 6), string(Self.fnPatPool, maxTokens: 5)])
            add("fnmatchcase", [string(Self.fnNamePool, maxTokens: 8), string(Self.fnPatPool, maxTokens: 8)])
            let pat = string(Self.fnPatPool, maxTokens: 6)
            add("fnmatchcase", [instantiate(pat), pat])
            add("urlsplit", [bracketedURL()])

            add("strip", [string(Self.spacePool, maxTokens: 6)])
            let a = string(Self.orderPool, maxTokens: 3), b = chance(0.2) ? a : string(Self.orderPool, maxTokens: 3)
            add("lt", [a, b])
            add("eq", [a, b])
            out.append(Case(function: "json_dumps", args: [], json: json(depth: 0)))
            add("json_loads", [jsonLoadsCase()])
        }
        return out
    }
}

// MARK: - Swift side

private func swiftResult(_ c: Case, flavor: PyURL.Flavor) -> String {
    let a = c.args
    func url(_ body: () throws(PyValueError) -> String) -> String {
        do { return try body() } catch { return "EValueError" }
    }
    switch c.function {
    case "normpath": return rep(PyPath.normpath(a[0]))
    case "join": return rep(PyPath.join(a[0], Array(a.dropFirst())))
    case "split": let r = PyPath.split(a[0]); return rep([r.head, r.tail])
    case "splitext": let r = PyPath.splitext(a[0]); return rep([r.root, r.ext])
    case "dirname": return rep(PyPath.dirname(a[0]))
    case "basename": return rep(PyPath.basename(a[0]))
    case "isabs": return rep(PyPath.isabs(a[0]))
    case "abspath": return rep(PyPath.abspath(a[0], cwd: a[1]))
    case "unquote": return rep(PyURL.unquote(a[0]))
    case "quote": return rep(PyURL.quote(a[0], safe: a[1]))
    case "urlsplit":
        return url { () throws(PyValueError) in
            let r = try PyURL.urlsplit(a[0], flavor: flavor)
            return rep([r.scheme, r.netloc, r.path, r.query, r.fragment])
        }
    case "urlsplit_x":
        return url { () throws(PyValueError) in
            let r = try PyURL.urlsplit(a[0], scheme: a[1], allowFragments: a[2] == "1", flavor: flavor)
            return rep([r.scheme, r.netloc, r.path, r.query, r.fragment])
        }
    case "urlparse":
        return url { () throws(PyValueError) in
            let r = try PyURL.urlparse(a[0], flavor: flavor)
            return rep([r.scheme, r.netloc, r.path, r.params, r.query, r.fragment])
        }
    case "urlsplit_hostname":
        return url { () throws(PyValueError) in rep(try PyURL.urlsplit(a[0], flavor: flavor).hostname ?? "") }
    case "urlunsplit":
        return rep(PyURL.urlunsplit(scheme: a[0], netloc: a[1], path: a[2], query: a[3], fragment: a[4],
                                    flavor: flavor))
    case "urlunparse":
        return rep(PyURL.urlunparse(PyURL.ParseResult(scheme: a[0], netloc: a[1], path: a[2], params: a[3],
                                                      query: a[4], fragment: a[5]), flavor: flavor))
    case "urldefrag":
        return url { () throws(PyValueError) in
            let r = try PyURL.urldefrag(a[0], flavor: flavor)
            return rep([r.url, r.fragment])
        }
    case "urljoin":
        return url { () throws(PyValueError) in rep(try PyURL.urljoin(a[0], a[1], flavor: flavor)) }
    case "fnmatchcase": return rep(PyFnmatch.fnmatchcase(a[0], a[1]))
    case "strip": return rep(PyString.strip(a[0]))
    case "lt": return rep(PyString.codePointLess(a[0], a[1]))
    case "eq": return rep(PyString.codePointEqual(a[0], a[1]))
    case "json_dumps": return rep(PyJSON.dumps(c.json!))
    case "json_loads":
        do throws(PyJSON.LoadError) {
            return rep(PyJSON.dumps(try PyJSON.loads(a[0])))
        } catch {
            switch error {
            case .decode: return "EJSONDecodeError"
            case .unrepresentable: return "U"
            }
        }
    default: fatalError(c.function)
    }
}

private func describeCase(_ c: Case) -> String {
    if let j = c.json { return "json_dumps(\(jsonTransport(j)))" }
    return c.function + "(" + c.args.map(pyRepr).joined(separator: ", ") + ")"
}

// MARK: - Python side

private let testsDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

private func interpreter(_ venv: String, env: String) -> String? {
    if let p = ProcessInfo.processInfo.environment[env], FileManager.default.isExecutableFile(atPath: p) {
        return p
    }
    let root = testsDir.deletingLastPathComponent().deletingLastPathComponent()
    let candidate = root.appendingPathComponent(".venvs/\(venv)/bin/python").path
    return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
}

private let python311 = interpreter("dj52", env: "DJSTATIC_PYSEM_PYTHON311")
private let python312 = interpreter("dj61", env: "DJSTATIC_PYSEM_PYTHON312")

/// Starts one CPython process with all cases on stdin; returns a closure that waits for it.
private func startPython(_ python: String, input: URL, tag: String) throws -> () throws -> [String] {
    let output = FileManager.default.temporaryDirectory
        .appendingPathComponent("pysem-\(tag)-\(ProcessInfo.processInfo.processIdentifier).out")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    let proc = Process()
    proc.executableURL = URL(fileURLWithPath: python)
    proc.arguments = ["-I", testsDir.appendingPathComponent("python_semantics_reference.py").path]
    proc.standardInput = try FileHandle(forReadingFrom: input)
    let outHandle = try FileHandle(forWritingTo: output)
    proc.standardOutput = outHandle
    try proc.run()
    return {
        proc.waitUntilExit()
        try? outHandle.close()
        defer { try? FileManager.default.removeItem(at: output) }
        guard proc.terminationStatus == 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "\(python) exited \(proc.terminationStatus)"])
        }
        let text = try String(contentsOf: output, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}

// MARK: - Test

@Suite("PythonSemantics differential vs CPython")
struct PythonSemanticsDifferentialTests {
    @Test(.enabled(if: python311 != nil && python312 != nil,
                   "needs .venvs/dj52 and .venvs/dj61 (or DJSTATIC_PYSEM_PYTHON311/312)"))
    func differentialAgainstCPython() throws {
        let clock = ContinuousClock()
        let t0 = clock.now
        // PYSEM_SEED / PYSEM_CASES allow ad-hoc larger or different runs; the default is fixed.
        let env = ProcessInfo.processInfo.environment
        var gen = Generator()
        if let seed = env["PYSEM_SEED"].flatMap(UInt64.init) { gen.rng = SplitMix64(state: seed) }
        let cases = gen.cases(perFunction: env["PYSEM_CASES"].flatMap(Int.init) ?? 2000)

        var payload = "{\"cases\":["
        for (i, c) in cases.enumerated() {
            if i > 0 { payload += "," }
            if let j = c.json {
                payload += "[\"json_dumps\"," + jsonTransport(j) + "]"
            } else {
                payload += "[\"\(c.function)\",[" + c.args.map { "\"\(hexUTF8($0))\"" }.joined(separator: ",") + "]]"
            }
        }
        payload += "]}"
        let input = FileManager.default.temporaryDirectory
            .appendingPathComponent("pysem-\(ProcessInfo.processInfo.processIdentifier).json")
        try payload.write(to: input, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: input) }

        let wait311 = try startPython(python311!, input: input, tag: "311")
        let wait312 = try startPython(python312!, input: input, tag: "312")

        let t1 = clock.now
        let swift311 = cases.map { swiftResult($0, flavor: .python311) }
        let swift312 = cases.enumerated().map { i, c in
            c.function.hasPrefix("url") ? swiftResult(c, flavor: .python312_1) : swift311[i]
        }
        if ProcessInfo.processInfo.environment["PYSEM_PROFILE"] != nil {
            var per: [String: Duration] = [:]
            for c in cases {
                let s = clock.now
                _ = swiftResult(c, flavor: .python311)
                per[c.function, default: .zero] += clock.now - s
            }
            for (f, d) in per.sorted(by: { $0.value > $1.value }) { print("  profile \(f): \(d)") }
        }
        let t2 = clock.now

        let py311 = try wait311()
        let py312 = try wait312()
        let t3 = clock.now
        print("PythonSemantics differential timing: generate \(t1 - t0), Swift \(t2 - t1), "
              + "waiting for CPython afterwards \(t3 - t2)")
        #expect(py311.count == cases.count)
        #expect(py312.count == cases.count)
        guard py311.count == cases.count, py312.count == cases.count else { return }

        var counts: [String: Int] = [:]
        var mismatches: [String: Int] = [:]
        var versionDiffs: [String: Int] = [:]
        var reported = 0
        var versionExamples: [String] = []
        var raised: [String: Int] = [:]
        var truthy: [String: Int] = [:]
        var unrepresentable = 0
        for (i, c) in cases.enumerated() {
            counts[c.function, default: 0] += 1
            if py311[i].hasPrefix("E") { raised[c.function, default: 0] += 1 }
            if py311[i] == "U" { unrepresentable += 1 }
            if py311[i] == "T" { truthy[c.function, default: 0] += 1 }
            for (label, sw, py) in [("3.11", swift311[i], py311[i]), ("3.12", swift312[i], py312[i])] where sw != py {
                mismatches[c.function, default: 0] += 1
                if reported < 25 {
                    reported += 1
                    Issue.record("CPython \(label) mismatch: \(describeCase(c))\n  python: \(describe(py))\n  swift:  \(describe(sw))")
                }
            }
            if py311[i] != py312[i] {
                versionDiffs[c.function, default: 0] += 1
                if versionExamples.count < 12 {
                    versionExamples.append("\(describeCase(c)): 3.11 -> \(describe(py311[i])), 3.12 -> \(describe(py312[i]))")
                }
            }
        }
        print("PythonSemantics differential: \(cases.count) cases, each compared with CPython 3.11 and 3.12")
        for f in counts.keys.sorted() {
            var extra = ""
            if let n = raised[f] { extra += ", \(n) raise ValueError on 3.11" }
            if let n = truthy[f] { extra += ", \(n) True on 3.11" }
            if f == "json_loads" { extra += ", \(unrepresentable) that Swift cannot hold" }
            print("  \(f): \(counts[f]!) cases, \(mismatches[f, default: 0]) mismatches, "
                  + "\(versionDiffs[f, default: 0]) differ between 3.11 and 3.12\(extra)")
        }
        for e in versionExamples { print("  3.11 vs 3.12: \(e)") }
        #expect(mismatches.isEmpty)
    }
}
