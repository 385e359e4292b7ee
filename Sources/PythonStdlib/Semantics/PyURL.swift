/// A Python `ValueError` raised by a ported function (e.g. `urlsplit("http://[x/")`).
public struct PyValueError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "ValueError: \(message)" }
}

/// Ports of CPython's `urllib.parse` for `str` arguments.
///
/// Behaviour that differs between the CPython builds djstatic targets is selected with
/// `PyURL.Flavor` (see there); everything else is identical in CPython 3.11 and 3.12.
public enum PyURL {
    // MARK: - Flavors

    /// The CPython build whose `urllib.parse` behaviour to reproduce.
    ///
    /// Two things differ between the interpreters djstatic is checked against:
    /// * the scheme classification lists: 3.12 added `rtsps` to `uses_relative`, `uses_netloc`
    ///   and `uses_params`, and `itms-services` to `uses_netloc` (affects `urlunsplit`,
    ///   `urlparse`, `urljoin`, `urldefrag` for those schemes);
    /// * validation of bracketed netlocs in `urlsplit`: the CVE-2025-0938 fix
    ///   (`_check_bracketed_netloc`, rejecting e.g. `//a[::1]/` and `//[::1]x/`) is present in
    ///   Debian's 3.11.2 (and upstream 3.12.9+/3.13.2+) but not in CPython 3.12.1, which only
    ///   validates the text between the first `[` and the following `]`.
    public struct Flavor: Sendable, Hashable {
        public enum SchemeLists: Sendable, Hashable { case python311, python312 }
        public var schemeLists: SchemeLists
        /// `true`: `_check_bracketed_netloc` (patched builds); `false`: CPython 3.12.1's check.
        public var checksBracketedNetloc: Bool

        public init(schemeLists: SchemeLists, checksBracketedNetloc: Bool) {
            self.schemeLists = schemeLists
            self.checksBracketedNetloc = checksBracketedNetloc
        }

        /// CPython 3.11 as shipped by Debian 12 (3.11.2 with security backports); the
        /// `dj52` virtualenv's interpreter.
        public static let python311 = Flavor(schemeLists: .python311, checksBracketedNetloc: true)
        /// CPython 3.12.1 (unpatched); the `dj61` virtualenv's interpreter.
        public static let python312_1 = Flavor(schemeLists: .python312, checksBracketedNetloc: false)
        /// CPython 3.12.9+ (scheme lists of 3.12 plus the bracketed-netloc fix).
        public static let python312Patched = Flavor(schemeLists: .python312, checksBracketedNetloc: true)
    }

    /// Default flavor for the functions below.
    public static let defaultFlavor: Flavor = .python311

    // MARK: - Results

    /// `urllib.parse.SplitResult`.
    public struct SplitResult: Sendable, Hashable {
        public var scheme: String
        public var netloc: String
        public var path: String
        public var query: String
        public var fragment: String
        /// `SplitResult.hostname`.
        public var hostname: String? { PyURL.hostname(netloc: netloc) }
        public init(scheme: String, netloc: String, path: String, query: String, fragment: String) {
            self.scheme = scheme
            self.netloc = netloc
            self.path = path
            self.query = query
            self.fragment = fragment
        }
    }

    /// `urllib.parse.ParseResult`.
    public struct ParseResult: Sendable, Hashable {
        public var scheme: String
        public var netloc: String
        public var path: String
        public var params: String
        public var query: String
        public var fragment: String
        /// `ParseResult.hostname`.
        public var hostname: String? { PyURL.hostname(netloc: netloc) }
        public init(scheme: String, netloc: String, path: String, params: String, query: String,
                    fragment: String) {
            self.scheme = scheme
            self.netloc = netloc
            self.path = path
            self.params = params
            self.query = query
            self.fragment = fragment
        }
    }

    /// The `hostname` property of `SplitResult`/`ParseResult` (`_NetlocResultMixinStr`): the
    /// netloc without user info and port, brackets of an IPv6 literal removed, lower-cased except
    /// an IPv6 zone (`%eth0`); nil when empty.
    static func hostname(netloc: String) -> String? {
        let hostinfo = netloc.lastIndex(of: "@").map { String(netloc[netloc.index(after: $0)...]) } ?? netloc
        let host: Substring
        if let open = hostinfo.firstIndex(of: "[") {
            let bracketed = hostinfo[hostinfo.index(after: open)...]
            host = bracketed.prefix { $0 != "]" }
        } else {
            host = hostinfo.prefix { $0 != ":" }
        }
        guard !host.isEmpty else { return nil }
        guard let percent = host.firstIndex(of: "%") else { return host.lowercased() }
        return host[..<percent].lowercased() + host[percent...]
    }

    // MARK: - Constants

    private static func set(_ names: [StaticString]) -> Set<PyScalars> {
        Set(names.map { PySemUtil.lit($0) })
    }

    private static let usesRelative311 = set([
        "", "ftp", "http", "gopher", "nntp", "imap", "wais", "file", "https", "shttp", "mms",
        "prospero", "rtsp", "rtspu", "sftp", "svn", "svn+ssh", "ws", "wss",
    ])
    private static let usesRelative312 = usesRelative311.union(set(["rtsps"]))
    private static let usesNetloc311 = set([
        "", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https",
        "shttp", "snews", "prospero", "rtsp", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs",
        "git", "git+ssh", "ws", "wss",
    ])
    private static let usesNetloc312 = usesNetloc311.union(set(["rtsps", "itms-services"]))
    private static let usesParams311 = set([
        "", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtspu", "sip",
        "sips", "mms", "sftp", "tel",
    ])
    private static let usesParams312 = usesParams311.union(set(["rtsps"]))

    private static func usesRelative(_ f: Flavor) -> Set<PyScalars> {
        f.schemeLists == .python311 ? usesRelative311 : usesRelative312
    }
    private static func usesNetloc(_ f: Flavor) -> Set<PyScalars> {
        f.schemeLists == .python311 ? usesNetloc311 : usesNetloc312
    }
    private static func usesParams(_ f: Flavor) -> Set<PyScalars> {
        f.schemeLists == .python311 ? usesParams311 : usesParams312
    }

    @inline(__always) private static func u(_ v: UInt8) -> Unicode.Scalar { Unicode.Scalar(v) }
    private static let colon = u(0x3A), slash = u(0x2F), question = u(0x3F), hash = u(0x23)
    private static let semicolon = u(0x3B), lbracket = u(0x5B), rbracket = u(0x5D), at = u(0x40)
    private static let percent = u(0x25)

    /// `scheme_chars`.
    private static func isSchemeChar(_ c: Unicode.Scalar) -> Bool {
        PySemUtil.isASCIIAlpha(c) || PySemUtil.isASCIIDigit(c)
            || c.value == 0x2B || c.value == 0x2D || c.value == 0x2E
    }

    /// `_WHATWG_C0_CONTROL_OR_SPACE`.
    private static func isC0ControlOrSpace(_ c: Unicode.Scalar) -> Bool { c.value <= 0x20 }

    /// `_UNSAFE_URL_BYTES_TO_REMOVE`.
    private static func isUnsafeByte(_ c: Unicode.Scalar) -> Bool {
        c.value == 0x09 || c.value == 0x0D || c.value == 0x0A
    }

    /// Code points whose NFKC normalisation contains one of `/?#@:` (identical in Unicode 14.0
    /// and 15.0, i.e. CPython 3.11 and 3.12); used by `_checknetloc`.
    private static let nfkcDelimiterChars: Set<UInt32> = [
        0x2047, 0x2048, 0x2049, 0x2100, 0x2101, 0x2105, 0x2106, 0x2A74, 0xFE13, 0xFE16,
        0xFE55, 0xFE56, 0xFE5F, 0xFE6B, 0xFF03, 0xFF0F, 0xFF1A, 0xFF1F, 0xFF20,
    ]

    // MARK: - urlsplit / urlunsplit

    /// `urllib.parse.urlsplit(url, scheme, allow_fragments)`.
    public static func urlsplit(_ url: String, scheme: String = "", allowFragments: Bool = true,
                                flavor: Flavor = defaultFlavor) throws(PyValueError) -> SplitResult {
        let r = try splitScalars(PySemUtil.scalars(url), scheme: PySemUtil.scalars(scheme),
                                 allowFragments: allowFragments, flavor: flavor)
        return SplitResult(scheme: PySemUtil.string(r.0), netloc: PySemUtil.string(r.1),
                           path: PySemUtil.string(r.2), query: PySemUtil.string(r.3),
                           fragment: PySemUtil.string(r.4))
    }

    typealias Split5 = (PyScalars, PyScalars, PyScalars, PyScalars, PyScalars)
    typealias Parse6 = (PyScalars, PyScalars, PyScalars, PyScalars, PyScalars, PyScalars)

    static func splitScalars(_ urlIn: PyScalars, scheme schemeIn: PyScalars, allowFragments: Bool,
                             flavor: Flavor) throws(PyValueError) -> Split5 {
        // url = url.lstrip(_WHATWG_C0_CONTROL_OR_SPACE); scheme = scheme.strip(...)
        var start = 0
        while start < urlIn.count && isC0ControlOrSpace(urlIn[start]) { start += 1 }
        var url = Array(urlIn[start...])
        var s0 = 0, s1 = schemeIn.count
        while s0 < s1 && isC0ControlOrSpace(schemeIn[s0]) { s0 += 1 }
        while s1 > s0 && isC0ControlOrSpace(schemeIn[s1 - 1]) { s1 -= 1 }
        var scheme = Array(schemeIn[s0..<s1])
        url.removeAll(where: isUnsafeByte)
        scheme.removeAll(where: isUnsafeByte)

        var netloc: PyScalars = [], query: PyScalars = [], fragment: PyScalars = []
        let i = PySemUtil.find(url, colon)
        if i > 0 && PySemUtil.isASCIIAlpha(url[0]) && url[..<i].allSatisfy(isSchemeChar) {
            scheme = url[..<i].map { c in
                (c.value >= 0x41 && c.value <= 0x5A) ? Unicode.Scalar(c.value + 0x20)! : c
            }
            url = Array(url[(i + 1)...])
        }
        if url.count >= 2 && url[0] == slash && url[1] == slash {
            // _splitnetloc(url, 2)
            var delim = url.count
            for c in [slash, question, hash] {
                let w = PySemUtil.find(url, c, 2)
                if w >= 0 { delim = min(delim, w) }
            }
            netloc = Array(url[2..<delim])
            url = Array(url[delim...])
            let hasL = netloc.contains(lbracket), hasR = netloc.contains(rbracket)
            if hasL != hasR { throw PyValueError("Invalid IPv6 URL") }
            if hasL && hasR {
                if flavor.checksBracketedNetloc {
                    try checkBracketedNetloc(netloc)
                } else {
                    let bracketed = PySemUtil.partition(PySemUtil.partition(netloc, lbracket).2,
                                                        rbracket).0
                    try checkBracketedHost(bracketed)
                }
            }
        }
        if allowFragments, let h = url.firstIndex(of: hash) {
            fragment = Array(url[(h + 1)...])
            url = Array(url[..<h])
        }
        if let q = url.firstIndex(of: question) {
            query = Array(url[(q + 1)...])
            url = Array(url[..<q])
        }
        try checkNetloc(netloc)
        return (scheme, netloc, url, query, fragment)
    }

    /// `_checknetloc`: rejects non-ASCII netlocs with characters that NFKC-normalise to one of
    /// `/?#@:`.
    private static func checkNetloc(_ netloc: PyScalars) throws(PyValueError) {
        if netloc.isEmpty || PySemUtil.isASCII(netloc) { return }
        if netloc.contains(where: { nfkcDelimiterChars.contains($0.value) }) {
            throw PyValueError("netloc '\(PySemUtil.string(netloc))' contains invalid characters "
                               + "under NFKC normalization")
        }
    }

    /// `_check_bracketed_netloc` (CVE-2025-0938 fix).
    private static func checkBracketedNetloc(_ netloc: PyScalars) throws(PyValueError) {
        let hostnameAndPort = PySemUtil.rpartition(netloc, at).2
        let (before, haveOpen, bracketed) = PySemUtil.partition(hostnameAndPort, lbracket)
        let hostname: PyScalars
        if haveOpen {
            if !before.isEmpty { throw PyValueError("Invalid IPv6 URL") }
            let (h, _, port) = PySemUtil.partition(bracketed, rbracket)
            if !port.isEmpty && port[0] != colon { throw PyValueError("Invalid IPv6 URL") }
            hostname = h
        } else {
            hostname = PySemUtil.partition(hostnameAndPort, colon).0
        }
        try checkBracketedHost(hostname)
    }

    /// `_check_bracketed_host`.
    private static func checkBracketedHost(_ hostname: PyScalars) throws(PyValueError) {
        if hostname.first == u(0x76) {  // 'v'
            // re.match(r"\Av[a-fA-F0-9]+\..+\Z", hostname)
            var k = 1
            while k < hostname.count && PySemUtil.isHexDigit(hostname[k]) { k += 1 }
            let ok = k > 1 && k < hostname.count && hostname[k] == u(0x2E)
                && hostname.count > k + 1 && !hostname[(k + 1)...].contains(u(0x0A))
            if !ok { throw PyValueError("IPvFuture address is invalid") }
        } else {
            if PyIPAddress.isIPv4Address(hostname) {
                throw PyValueError("An IPv4 address cannot be in brackets")
            }
            if !PyIPAddress.isIPv6Address(hostname) {
                throw PyValueError("'\(PySemUtil.string(hostname))' does not appear to be an IPv4 or IPv6 address")
            }
        }
    }

    /// `urllib.parse.urlunsplit((scheme, netloc, url, query, fragment))`.
    public static func urlunsplit(_ parts: SplitResult, flavor: Flavor = defaultFlavor) -> String {
        PySemUtil.string(unsplitScalars((PySemUtil.scalars(parts.scheme), PySemUtil.scalars(parts.netloc),
                                         PySemUtil.scalars(parts.path), PySemUtil.scalars(parts.query),
                                         PySemUtil.scalars(parts.fragment)), flavor: flavor))
    }

    /// `urllib.parse.urlunsplit` taking the five components positionally.
    public static func urlunsplit(scheme: String, netloc: String, path: String, query: String,
                                  fragment: String, flavor: Flavor = defaultFlavor) -> String {
        urlunsplit(SplitResult(scheme: scheme, netloc: netloc, path: path, query: query,
                               fragment: fragment), flavor: flavor)
    }

    static func unsplitScalars(_ c: Split5, flavor: Flavor) -> PyScalars {
        let (scheme, netloc, path, query, fragment) = c
        var url = path
        let startsWithDoubleSlash = url.count >= 2 && url[0] == slash && url[1] == slash
        if !netloc.isEmpty || (!scheme.isEmpty && usesNetloc(flavor).contains(scheme) && !startsWithDoubleSlash) {
            if !url.isEmpty && url[0] != slash { url.insert(slash, at: 0) }
            url = [slash, slash] + netloc + url
        }
        if !scheme.isEmpty { url = scheme + [colon] + url }
        if !query.isEmpty { url = url + [question] + query }
        if !fragment.isEmpty { url = url + [hash] + fragment }
        return url
    }

    // MARK: - urlparse / urlunparse

    /// `urllib.parse.urlparse(url, scheme, allow_fragments)`.
    public static func urlparse(_ url: String, scheme: String = "", allowFragments: Bool = true,
                                flavor: Flavor = defaultFlavor) throws(PyValueError) -> ParseResult {
        let r = try parseScalars(PySemUtil.scalars(url), scheme: PySemUtil.scalars(scheme),
                                 allowFragments: allowFragments, flavor: flavor)
        return ParseResult(scheme: PySemUtil.string(r.0), netloc: PySemUtil.string(r.1),
                           path: PySemUtil.string(r.2), params: PySemUtil.string(r.3),
                           query: PySemUtil.string(r.4), fragment: PySemUtil.string(r.5))
    }

    static func parseScalars(_ urlIn: PyScalars, scheme schemeIn: PyScalars, allowFragments: Bool,
                             flavor: Flavor) throws(PyValueError) -> Parse6 {
        let (scheme, netloc, url0, query, fragment) =
            try splitScalars(urlIn, scheme: schemeIn, allowFragments: allowFragments, flavor: flavor)
        var url = url0
        var params: PyScalars = []
        if usesParams(flavor).contains(scheme) && url.contains(semicolon) {
            (url, params) = splitParams(url)
        }
        return (scheme, netloc, url, params, query, fragment)
    }

    /// `_splitparams`.
    private static func splitParams(_ url: PyScalars) -> (PyScalars, PyScalars) {
        let i: Int
        if url.contains(slash) {
            i = PySemUtil.find(url, semicolon, PySemUtil.rfind(url, slash))
            if i < 0 { return (url, []) }
        } else {
            i = PySemUtil.find(url, semicolon)
        }
        return (Array(url[..<i]), Array(url[(i + 1)...]))
    }

    /// `urllib.parse.urlunparse((scheme, netloc, url, params, query, fragment))`.
    public static func urlunparse(_ parts: ParseResult, flavor: Flavor = defaultFlavor) -> String {
        PySemUtil.string(unparseScalars((PySemUtil.scalars(parts.scheme), PySemUtil.scalars(parts.netloc),
                                         PySemUtil.scalars(parts.path), PySemUtil.scalars(parts.params),
                                         PySemUtil.scalars(parts.query), PySemUtil.scalars(parts.fragment)),
                                        flavor: flavor))
    }

    static func unparseScalars(_ c: Parse6, flavor: Flavor) -> PyScalars {
        let (scheme, netloc, path, params, query, fragment) = c
        var url = path
        if !params.isEmpty { url = url + [semicolon] + params }
        return unsplitScalars((scheme, netloc, url, query, fragment), flavor: flavor)
    }

    // MARK: - urldefrag / urljoin

    /// `urllib.parse.urldefrag(url)` -> `(url, fragment)`. When `url` contains `#` the result is
    /// re-serialised through `urlparse`/`urlunparse` (so e.g. an empty `?` query is dropped).
    public static func urldefrag(_ url: String, flavor: Flavor = defaultFlavor)
        throws(PyValueError) -> (url: String, fragment: String) {
        let s = PySemUtil.scalars(url)
        if s.contains(hash) {
            let (sc, n, p, a, q, frag) = try parseScalars(s, scheme: [], allowFragments: true, flavor: flavor)
            let defrag = unparseScalars((sc, n, p, a, q, []), flavor: flavor)
            return (PySemUtil.string(defrag), PySemUtil.string(frag))
        }
        return (url, "")
    }

    /// `urllib.parse.urljoin(base, url, allow_fragments)`.
    public static func urljoin(_ base: String, _ url: String, allowFragments: Bool = true,
                               flavor: Flavor = defaultFlavor) throws(PyValueError) -> String {
        if base.isEmpty { return url }
        if url.isEmpty { return base }
        let baseS = PySemUtil.scalars(base), urlS = PySemUtil.scalars(url)
        let (bscheme, bnetloc, bpath, bparams, bquery, _) =
            try parseScalars(baseS, scheme: [], allowFragments: allowFragments, flavor: flavor)
        var (scheme, netloc, path, params, query, fragment) =
            try parseScalars(urlS, scheme: bscheme, allowFragments: allowFragments, flavor: flavor)

        if scheme != bscheme || !usesRelative(flavor).contains(scheme) { return url }
        if usesNetloc(flavor).contains(scheme) {
            if !netloc.isEmpty {
                return PySemUtil.string(unparseScalars((scheme, netloc, path, params, query, fragment),
                                                       flavor: flavor))
            }
            netloc = bnetloc
        }
        if path.isEmpty && params.isEmpty {
            path = bpath
            params = bparams
            if query.isEmpty { query = bquery }
            return PySemUtil.string(unparseScalars((scheme, netloc, path, params, query, fragment),
                                                   flavor: flavor))
        }

        var baseParts = PySemUtil.split(bpath, slash)
        if !baseParts.last!.isEmpty { baseParts.removeLast() }

        var segments: [PyScalars]
        if path.first == slash {
            segments = PySemUtil.split(path, slash)
        } else {
            segments = baseParts + PySemUtil.split(path, slash)
            // segments[1:-1] = filter(None, segments[1:-1])
            if segments.count > 2 {
                let middle = segments[1..<(segments.count - 1)].filter { !$0.isEmpty }
                segments = [segments[0]] + middle + [segments[segments.count - 1]]
            }
        }

        let dot: PyScalars = [u(0x2E)], dotdot: PyScalars = [u(0x2E), u(0x2E)]
        var resolved: [PyScalars] = []
        for seg in segments {
            if seg == dotdot {
                if !resolved.isEmpty { resolved.removeLast() }
            } else if seg == dot {
                continue
            } else {
                resolved.append(seg)
            }
        }
        if let last = segments.last, last == dot || last == dotdot {
            resolved.append([])
        }
        var joined = PySemUtil.join(resolved, [slash])
        if joined.isEmpty { joined = [slash] }
        return PySemUtil.string(unparseScalars((scheme, netloc, joined, params, query, fragment),
                                               flavor: flavor))
    }

    // MARK: - quote / unquote

    /// `urllib.parse.unquote(string)` (encoding "utf-8", errors "replace").
    ///
    /// Only runs of ASCII characters are percent-decoded (`_asciire.split`), each run separately:
    /// non-ASCII characters pass through unchanged and split a multi-byte escape sequence, and
    /// every invalid or truncated UTF-8 sequence becomes U+FFFD per CPython's decoder.
    public static func unquote(_ string: String) -> String {
        let s = PySemUtil.scalars(string)
        if !s.contains(percent) { return string }
        var out: PyScalars = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            if s[i].value >= 0x80 {
                out.append(s[i])
                i += 1
                continue
            }
            var j = i
            while j < s.count && s[j].value < 0x80 { j += 1 }
            unquoteASCIIRun(s[i..<j], into: &out)
            i = j
        }
        return PySemUtil.string(out)
    }

    /// `unquote_to_bytes(run).decode("utf-8", "replace")` for an ASCII run.
    private static func unquoteASCIIRun(_ run: ArraySlice<Unicode.Scalar>, into out: inout PyScalars) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(run.count)
        var k = run.startIndex
        while k < run.endIndex {
            let c = run[k]
            if c == percent && k + 2 < run.endIndex
                && PySemUtil.isHexDigit(run[k + 1]) && PySemUtil.isHexDigit(run[k + 2]) {
                bytes.append(UInt8(PySemUtil.hexValue(run[k + 1]) * 16 + PySemUtil.hexValue(run[k + 2])))
                k += 3
            } else {
                bytes.append(UInt8(c.value))
                k += 1
            }
        }
        PySemUtil.decodeUTF8Replace(bytes, into: &out)
    }

    /// `_ALWAYS_SAFE`: ASCII letters, digits and `_.-~`.
    /// `urllib.parse.quote(string, safe)` (encoding "utf-8").
    public static func quote(_ string: String, safe: String = "/") -> String {
        PercentEncoding.quote(string, safe: safe)
    }

    /// The `safe` set Django's `filepath_to_uri` passes to `quote`.
    public static let djangoFilepathSafe = "/~!*()'"
}
