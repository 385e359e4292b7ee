// A port of CPython's Lib/re/_compiler.py (3.11/3.12) for the supported subset.
// The emitted code has the same shape as sre's code words, so that the matcher can follow
// Modules/_sre/sre_lib.h operation by operation. Differences to sre's layout:
//   * IN / IN_UNI_IGNORE carry an index into `PyProgram.sets` instead of an inline charset;
//   * REPEAT_ONE / MIN_REPEAT_ONE carry one extra word (an index into `PyProgram.repeats`)
//     before the item;
//   * no INFO block (the search optimisations it drives are implemented separately).

enum PyOp {
    static let failure = 0
    static let success = 1
    static let any = 2
    static let anyAll = 3
    static let at = 4
    static let branch = 5
    static let `in` = 6
    static let inUniIgnore = 7
    static let jump = 8
    static let literal = 9
    static let notLiteral = 10
    static let literalUniIgnore = 11
    static let notLiteralUniIgnore = 12
    static let mark = 13
    static let maxUntil = 14
    static let minUntil = 15
    static let `repeat` = 16
    static let repeatOne = 17
    static let minRepeatOne = 18
    static let groupref = 19
    static let grouprefUniIgnore = 20
    /// Greedy REPEAT whose item is deterministic (PyRegex-specific, see PyRepeatInfo.alternatives):
    /// <REPEAT_DET> <skip> <min> <max> <id> item <SUCCESS> tail
    static let repeatDet = 21
}

/// A compiled character set (the result of `_optimize_charset`), tested like `SRE(charset)`.
struct PyCharSet: Sendable {
    var negate: Bool
    /// IN_UNI_IGNORE: the character is lowercased before it is tested.
    var ignore: Bool
    /// LITERAL / RANGE / CHARSET / BIGCHARSET members (as sorted ranges).
    var ranges: PyRangeTable
    /// RANGE_UNI_IGNORE members: `lo <= ch <= hi || lo <= upper(ch) <= hi`.
    var uniIgnoreRanges: [(UInt32, UInt32)]
    var categories: [PyCategory]
    var version: PyUnicodeVersion
    /// Final answer for raw characters < 256 (lowercasing and negation folded in).
    var latin1: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init(negate: Bool, ignore: Bool, ranges: [(UInt32, UInt32)], uniIgnoreRanges: [(UInt32, UInt32)],
         categories: [PyCategory], version: PyUnicodeVersion)
    {
        self.negate = negate
        self.ignore = ignore
        self.ranges = PyRangeTable(ranges: ranges)
        self.uniIgnoreRanges = uniIgnoreRanges
        self.categories = categories
        self.version = version
        var bits: [UInt64] = [0, 0, 0, 0]
        for c in UInt32(0)..<256 where slowContains(c) {
            bits[Int(c >> 6)] |= 1 << UInt64(c & 63)
        }
        latin1 = (bits[0], bits[1], bits[2], bits[3])
    }

    @inline(__always)
    func contains(_ c: UInt32) -> Bool {
        if c < 256 {
            let word: UInt64
            switch c >> 6 {
            case 0: word = latin1.0
            case 1: word = latin1.1
            case 2: word = latin1.2
            default: word = latin1.3
            }
            return word & (1 << UInt64(c & 63)) != 0
        }
        return slowContains(c)
    }

    func slowContains(_ raw: UInt32) -> Bool {
        let c = ignore ? PyUnicode.lower(raw) : raw
        var hit = ranges.contains(c)
        if !hit {
            for cat in categories where pyCategoryMatches(cat, c, version) {
                hit = true
                break
            }
        }
        if !hit && !uniIgnoreRanges.isEmpty {
            let u = PyUnicode.upper(c)
            for (lo, hi) in uniIgnoreRanges where (lo <= c && c <= hi) || (lo <= u && u <= hi) {
                hit = true
                break
            }
        }
        return hit != negate
    }
}

@inline(__always)
func pyCategoryMatches(_ cat: PyCategory, _ c: UInt32, _ v: PyUnicodeVersion) -> Bool {
    switch cat {
    case .digit: return PyUnicode.isDigit(c, v)
    case .notDigit: return !PyUnicode.isDigit(c, v)
    case .space: return PyUnicode.isSpace(c)
    case .notSpace: return !PyUnicode.isSpace(c)
    case .word: return PyUnicode.isWord(c, v)
    case .notWord: return !PyUnicode.isWord(c, v)
    }
}

/// A necessary condition on one character: "the code at this point cannot succeed unless it
/// consumes a character accepted by one of these single-character ops first".
struct PyCharFilter: Sendable {
    var latin1: (UInt64, UInt64, UInt64, UInt64)
    /// Program counters of single-character ops, evaluated for characters >= 256.
    var ops: [Int]
}

/// Per REPEAT_ONE / MIN_REPEAT_ONE / REPEAT_DET information.
struct PyRepeatInfo: Sendable {
    /// Filter on the first character of the tail (nil if unknown).
    var tailFilter: PyCharFilter?
    /// Whether the failure memo may be used: the op is not inside a REPEAT at run time (checked
    /// by the engine) and every backreferenced group closes before the op, so that the tail's
    /// outcome depends only on the position and on the contents of those groups.
    var memoEligible = false
    /// REPEAT_DET only: the item's alternatives, each a sequence of single-character ops.
    /// At most one alternative can match at any position (their first characters are
    /// mutually exclusive) and none can match the empty string, so the item is deterministic.
    var alternatives: [[Int]] = []
}

/// A compiled pattern. Immutable after `init`; the raw buffers below are read-only copies of
/// `code`, `sets` and `repeats` for the matcher, so concurrent use from several threads is safe.
final class PyProgram: @unchecked Sendable {
    let code: [Int]
    let sets: [PyCharSet]
    let repeats: [PyRepeatInfo]
    let groups: Int                 // number of capturing groups (without group 0)
    let groupIndex: [String: Int]
    let hasGroupRef: Bool
    /// Backreferenced groups (0-based group index, i.e. group number - 1), sorted.
    let referencedGroups: [Int]
    let version: PyUnicodeVersion
    /// Filter on the first character of any match (nil: no filter).
    let startFilter: PyCharFilter?
    /// Single-character ops every match must begin with, in order (may be empty).
    let prefixOps: [Int]
    /// The pattern starts with `^` (non-multiline) or `\A`.
    let anchoredAtStart: Bool

    init(code: [Int], sets: [PyCharSet], repeats: [PyRepeatInfo], groups: Int, groupIndex: [String: Int],
         hasGroupRef: Bool, referencedGroups: [Int], version: PyUnicodeVersion, startFilter: PyCharFilter?,
         prefixOps: [Int], anchoredAtStart: Bool)
    {
        self.referencedGroups = referencedGroups
        self.code = code
        self.sets = sets
        self.repeats = repeats
        self.groups = groups
        self.groupIndex = groupIndex
        self.hasGroupRef = hasGroupRef
        self.version = version
        self.startFilter = startFilter
        self.prefixOps = prefixOps
        self.anchoredAtStart = anchoredAtStart
        codePtr = .allocate(capacity: max(code.count, 1))
        codePtr.initialize(from: code, count: code.count)
        setPtr = .allocate(capacity: max(sets.count, 1))
        setPtr.initialize(from: sets, count: sets.count)
        let n = max(repeats.count, 1)
        repeatPtr = .allocate(capacity: n)
        repeatPtr.initialize(from: repeats, count: repeats.count)
        tailBits = .allocate(capacity: 4 * n)
        tailBits.initialize(repeating: 0, count: 4 * n)
        hasTailFilter = .allocate(capacity: n)
        hasTailFilter.initialize(repeating: false, count: n)
        for (id, info) in repeats.enumerated() {
            if let f = info.tailFilter {
                hasTailFilter[id] = true
                tailBits[4 * id] = f.latin1.0
                tailBits[4 * id + 1] = f.latin1.1
                tailBits[4 * id + 2] = f.latin1.2
                tailBits[4 * id + 3] = f.latin1.3
            }
        }
    }

    deinit {
        codePtr.deinitialize(count: code.count)
        codePtr.deallocate()
        setPtr.deinitialize(count: sets.count)
        setPtr.deallocate()
        repeatPtr.deinitialize(count: repeats.count)
        repeatPtr.deallocate()
        tailBits.deallocate()
        hasTailFilter.deallocate()
    }

    // Read-only buffers used by the matcher (no retain/release or bounds checks per access).
    let codePtr: UnsafeMutablePointer<Int>
    let setPtr: UnsafeMutablePointer<PyCharSet>
    let repeatPtr: UnsafeMutablePointer<PyRepeatInfo>
    /// Per repeat id: Latin-1 bitmap of its tail filter (4 words) and whether it has one.
    let tailBits: UnsafeMutablePointer<UInt64>
    let hasTailFilter: UnsafeMutablePointer<Bool>

    /// Evaluates a single-character op (LITERAL, IN, ANY, ...) at `pc` against `c`.
    @inline(__always)
    func matchOne(_ pc: Int, _ c: UInt32) -> Bool {
        switch code[pc] {
        case PyOp.literal: return c == UInt32(code[pc + 1])
        case PyOp.notLiteral: return c != UInt32(code[pc + 1])
        case PyOp.literalUniIgnore: return PyUnicode.lower(c) == UInt32(code[pc + 1])
        case PyOp.notLiteralUniIgnore: return PyUnicode.lower(c) != UInt32(code[pc + 1])
        case PyOp.in, PyOp.inUniIgnore: return sets[code[pc + 1]].contains(c)
        case PyOp.any: return c != 10
        case PyOp.anyAll: return true
        default: return false
        }
    }

    @inline(__always)
    func accepts(_ f: PyCharFilter, _ c: UInt32) -> Bool {
        if c < 256 {
            let word: UInt64
            switch c >> 6 {
            case 0: word = f.latin1.0
            case 1: word = f.latin1.1
            case 2: word = f.latin1.2
            default: word = f.latin1.3
            }
            return word & (1 << UInt64(c & 63)) != 0
        }
        for pc in f.ops where matchOne(pc, c) {
            return true
        }
        return false
    }
}

struct PyRegexCompiler {
    var code: [Int] = []
    var sets: [PyCharSet] = []
    var repeatCount = 0
    var repeatPCs: [Int] = []
    /// PC of the closing MARK of each group (0-based group index).
    var closeMarkPC: [Int: Int] = [:]
    var detAlternatives: [Int: [[Int]]] = [:]
    let version: PyUnicodeVersion

    static func compile(_ parsed: PyParsedPattern, version: PyUnicodeVersion) -> PyProgram {
        var c = PyRegexCompiler(version: version)
        c.compile(parsed.nodes, flags: parsed.flags)
        c.code.append(PyOp.success)
        let referenced = parsed.referencedGroups.map { $0 - 1 }.sorted()
        var program = PyProgram(code: c.code, sets: c.sets, repeats: [], groups: parsed.groups - 1,
                                groupIndex: parsed.groupIndex, hasGroupRef: parsed.hasGroupRef,
                                referencedGroups: referenced, version: version, startFilter: nil,
                                prefixOps: [], anchoredAtStart: false)
        // Second pass: search/backtracking filters and memo eligibility (pure optimisations).
        var repeats = [PyRepeatInfo](repeating: PyRepeatInfo(tailFilter: nil), count: c.repeatCount)
        let code = c.code
        for pc in c.repeatPCs {
            let skipSlot = pc + 1
            let tail = skipSlot + code[skipSlot]
            let id = code[pc + 4]
            if let ops = Self.firstOps(code, tail, depth: 0) {
                repeats[id].tailFilter = Self.makeFilter(program, ops)
            }
            repeats[id].memoEligible = referenced.allSatisfy { g in
                if let close = c.closeMarkPC[g] { return close < pc }
                return false
            }
            if let alts = c.detAlternatives[id] {
                repeats[id].alternatives = alts
            }
        }
        var startFilter: PyCharFilter? = nil
        if let ops = Self.firstOps(code, 0, depth: 0) {
            startFilter = Self.makeFilter(program, ops)
        }
        let prefix = Self.prefixOps(code)
        var anchored = false
        if code[0] == PyOp.at,
           code[1] == PyAtCode.beginning.rawValue || code[1] == PyAtCode.beginningString.rawValue
        {
            anchored = true
        }
        program = PyProgram(code: code, sets: c.sets, repeats: repeats, groups: parsed.groups - 1,
                            groupIndex: parsed.groupIndex, hasGroupRef: parsed.hasGroupRef,
                            referencedGroups: referenced, version: version, startFilter: startFilter,
                            prefixOps: prefix, anchoredAtStart: anchored)
        return program
    }

    // MARK: _compile

    mutating func compile(_ nodes: [PyNode], flags: PyFlagBits) {
        let ignore = flags.contains(.ignoreCase)
        for node in nodes {
            switch node {
            case .literal(let c), .notLiteral(let c):
                let negated: Bool
                if case .notLiteral = node { negated = true } else { negated = false }
                if !ignore || !PyUnicode.isCased(c) {
                    code.append(negated ? PyOp.notLiteral : PyOp.literal)
                    code.append(Int(c))
                } else {
                    let lo = PyUnicode.lower(c)
                    if let fixes = PyUnicode.extraCases[lo] {
                        let members = ([lo] + fixes).map { ($0, $0) }
                        sets.append(PyCharSet(negate: negated, ignore: true, ranges: Self.normalize(members),
                                              uniIgnoreRanges: [], categories: [], version: version))
                        code.append(PyOp.inUniIgnore)
                        code.append(sets.count - 1)
                    } else {
                        code.append(negated ? PyOp.notLiteralUniIgnore : PyOp.literalUniIgnore)
                        code.append(Int(lo))
                    }
                }
            case .set(let items):
                let (set, hascased) = optimizeCharset(items, ignore: ignore)
                sets.append(set)
                code.append(hascased ? PyOp.inUniIgnore : PyOp.in)
                code.append(sets.count - 1)
            case .any:
                code.append(flags.contains(.dotAll) ? PyOp.anyAll : PyOp.any)
            case .repeat(let minR, let maxR, let greedy, let item):
                if Self.isSimple(item) {
                    repeatPCs.append(code.count)
                    code.append(greedy ? PyOp.repeatOne : PyOp.minRepeatOne)
                    let skip = code.count
                    code.append(0)
                    code.append(minR)
                    code.append(maxR)
                    code.append(repeatCount)
                    repeatCount += 1
                    compile(item, flags: flags)
                    code.append(PyOp.success)
                    code[skip] = code.count - skip
                } else if greedy, Self.mayBeDeterministic(item), tryCompileDeterministic(minR, maxR, item, flags) {
                    // compiled as REPEAT_DET
                } else {
                    code.append(PyOp.repeat)
                    let skip = code.count
                    code.append(0)
                    code.append(minR)
                    code.append(maxR)
                    compile(item, flags: flags)
                    code[skip] = code.count - skip
                    code.append(greedy ? PyOp.maxUntil : PyOp.minUntil)
                }
            case .subpattern(let group, let add, let del, let body):
                if let group {
                    code.append(PyOp.mark)
                    code.append((group - 1) * 2)
                }
                compile(body, flags: flags.union(add).subtracting(del))
                if let group {
                    closeMarkPC[group - 1] = code.count
                    code.append(PyOp.mark)
                    code.append((group - 1) * 2 + 1)
                }
            case .at(var at):
                if flags.contains(.multiline) {
                    if at == .beginning { at = .beginningLine }
                    if at == .end { at = .endLine }
                }
                code.append(PyOp.at)
                code.append(at.rawValue)
            case .branch(let alternatives):
                code.append(PyOp.branch)
                var tails: [Int] = []
                for alt in alternatives {
                    let skip = code.count
                    code.append(0)
                    compile(alt, flags: flags)
                    code.append(PyOp.jump)
                    tails.append(code.count)
                    code.append(0)
                    code[skip] = code.count - skip
                }
                code.append(PyOp.failure)  // end of branch (0)
                for t in tails {
                    code[t] = code.count - t
                }
            case .groupref(let g):
                code.append(ignore ? PyOp.grouprefUniIgnore : PyOp.groupref)
                code.append(g - 1)
            }
        }
    }

    /// Cheap syntactic pre-check for REPEAT_DET: no groups, backreferences, anchors or repeats.
    static func mayBeDeterministic(_ p: [PyNode]) -> Bool {
        for node in p {
            switch node {
            case .literal, .notLiteral, .any, .set:
                continue
            case .subpattern(nil, _, _, let body):
                if !mayBeDeterministic(body) { return false }
            case .branch(let alts):
                if !alts.allSatisfy(mayBeDeterministic) { return false }
            default:
                return false
            }
        }
        return true
    }

    /// Emits `<REPEAT_DET> <skip> <min> <max> <id> item <SUCCESS>` if the compiled item is a
    /// sequence of single-character ops or a BRANCH of such sequences whose first ops are
    /// mutually exclusive. Otherwise emits nothing and returns false.
    mutating func tryCompileDeterministic(_ minR: Int, _ maxR: Int, _ item: [PyNode], _ flags: PyFlagBits) -> Bool {
        let savedCode = code.count
        let savedSets = sets.count
        let opPC = code.count
        code.append(PyOp.repeatDet)
        let skip = code.count
        code.append(0)
        code.append(minR)
        code.append(maxR)
        code.append(repeatCount)
        let bodyStart = code.count
        compile(item, flags: flags)
        let bodyEnd = code.count
        code.append(PyOp.success)
        code[skip] = code.count - skip

        func singleCharSequence(_ from: Int, _ to: Int) -> [Int]? {
            var ops: [Int] = []
            var pc = from
            while pc < to {
                switch code[pc] {
                case PyOp.literal, PyOp.notLiteral, PyOp.literalUniIgnore, PyOp.notLiteralUniIgnore,
                     PyOp.in, PyOp.inUniIgnore:
                    ops.append(pc)
                    pc += 2
                case PyOp.any, PyOp.anyAll:
                    ops.append(pc)
                    pc += 1
                default:
                    return nil
                }
            }
            return pc == to && !ops.isEmpty ? ops : nil
        }

        var alternatives: [[Int]]? = nil
        if let seq = singleCharSequence(bodyStart, bodyEnd) {
            alternatives = [seq]
        } else if code[bodyStart] == PyOp.branch {
            var alts: [[Int]] = []
            var p = bodyStart + 1
            var ok = true
            while ok && code[p] != 0 {
                let next = p + code[p]
                // alternative code: p+1 ..< next-2, then JUMP <off> to the end of the branch
                if code[next - 2] != PyOp.jump || next - 1 + code[next - 1] != bodyEnd {
                    ok = false
                } else if let seq = singleCharSequence(p + 1, next - 2) {
                    alts.append(seq)
                } else {
                    ok = false
                }
                p = next
            }
            // the branch must be the whole item
            if ok && p + 1 == bodyEnd && alts.count >= 2 {
                alternatives = alts
            }
        }
        if let alts = alternatives, mutuallyExclusive(alts.map { $0[0] }) {
            detAlternatives[repeatCount] = alts
            repeatPCs.append(opPC)
            repeatCount += 1
            return true
        }
        code.removeSubrange(savedCode...)
        sets.removeSubrange(savedSets...)
        return false
    }

    /// True if no character can satisfy two of the given single-character ops. Only proven for
    /// pairs where one op is a plain LITERAL the other op rejects.
    func mutuallyExclusive(_ firsts: [Int]) -> Bool {
        func accepts(_ pc: Int, _ c: UInt32) -> Bool {
            switch code[pc] {
            case PyOp.literal: return c == UInt32(code[pc + 1])
            case PyOp.notLiteral: return c != UInt32(code[pc + 1])
            case PyOp.literalUniIgnore: return PyUnicode.lower(c) == UInt32(code[pc + 1])
            case PyOp.notLiteralUniIgnore: return PyUnicode.lower(c) != UInt32(code[pc + 1])
            case PyOp.in, PyOp.inUniIgnore: return sets[code[pc + 1]].contains(c)
            case PyOp.any: return c != 10
            default: return true
            }
        }
        for i in 0..<firsts.count {
            for j in (i + 1)..<firsts.count {
                let a = firsts[i], b = firsts[j]
                if code[a] == PyOp.literal, !accepts(b, UInt32(code[a + 1])) { continue }
                if code[b] == PyOp.literal, !accepts(a, UInt32(code[b + 1])) { continue }
                return false
            }
        }
        return true
    }

    /// `_simple`
    static func isSimple(_ p: [PyNode]) -> Bool {
        guard p.count == 1 else { return false }
        switch p[0] {
        case .subpattern(let group, _, _, let body):
            return group == nil && isSimple(body)
        case .literal, .notLiteral, .any, .set:
            return true
        default:
            return false
        }
    }

    static func normalize(_ rs: [(UInt32, UInt32)]) -> [(UInt32, UInt32)] {
        let sorted = rs.sorted { $0.0 < $1.0 }
        var out: [(UInt32, UInt32)] = []
        for r in sorted {
            if let last = out.last, r.0 <= last.1 &+ 1 {
                out[out.count - 1].1 = max(last.1, r.1)
            } else {
                out.append(r)
            }
        }
        return out
    }

    /// `_optimize_charset` (membership semantics only). Returns the set and `hascased`.
    /// sre's charmap covers the BMP; members beyond it go to the "tail" (for LITERAL under
    /// IGNORECASE that is the *original* character, for RANGE it becomes RANGE_UNI_IGNORE).
    func optimizeCharset(_ items: [PySetItem], ignore: Bool) -> (PyCharSet, Bool) {
        var members: [(UInt32, UInt32)] = []        // charmap + LITERAL/RANGE tail entries
        var negate = false
        var hascased = false
        var uniIgnore: [(UInt32, UInt32)] = []
        var categories: [PyCategory] = []
        func addLowered(_ lo: UInt32) {
            members.append((lo, lo))
            if let fixes = PyUnicode.extraCases[lo] {
                for k in fixes { members.append((k, k)) }
            }
        }
        for item in items {
            switch item {
            case .negate:
                negate = true
            case .category(let cat):
                categories.append(cat)
            case .literal(let av):
                if ignore {
                    let lo = PyUnicode.lower(av)
                    if lo >= 0x10000 {
                        hascased = true
                        members.append((av, av))   // note: the original character, as in sre
                        continue
                    }
                    addLowered(lo)
                    if !hascased && PyUnicode.isCased(av) { hascased = true }
                } else {
                    members.append((av, av))
                }
            case .range(let a, let b):
                if ignore {
                    var overflow = false
                    var i = a
                    while true {
                        let lo = PyUnicode.lower(i)
                        if lo >= 0x10000 { overflow = true; break }
                        addLowered(lo)
                        if i == b { break }
                        i += 1
                    }
                    if overflow {
                        hascased = true
                        uniIgnore.append((a, b))
                    } else if !hascased {
                        var j = a
                        while true {
                            if PyUnicode.isCased(j) { hascased = true; break }
                            if j == b { break }
                            j += 1
                        }
                    }
                    if members.count > 4096 { members = Self.normalize(members) }
                } else {
                    members.append((a, b))
                }
            }
        }
        let set = PyCharSet(negate: negate, ignore: ignore && hascased, ranges: Self.normalize(members),
                            uniIgnoreRanges: uniIgnore, categories: categories, version: version)
        return (set, ignore && hascased)
    }

    // MARK: filters (optimisations only)

    /// The single-character ops that the code starting at `pc` must begin by consuming
    /// (zero-width ops are skipped), or nil if it may succeed without consuming or is too
    /// complex to analyse.
    static func firstOps(_ code: [Int], _ pc: Int, depth: Int) -> [Int]? {
        if depth > 40 { return nil }
        switch code[pc] {
        case PyOp.mark, PyOp.at:
            return firstOps(code, pc + 2, depth: depth + 1)
        case PyOp.literal, PyOp.notLiteral, PyOp.literalUniIgnore, PyOp.notLiteralUniIgnore,
             PyOp.in, PyOp.inUniIgnore, PyOp.any, PyOp.anyAll:
            return [pc]
        case PyOp.jump:
            return firstOps(code, pc + 1 + code[pc + 1], depth: depth + 1)
        case PyOp.branch:
            var result: [Int] = []
            var p = pc + 1
            while code[p] != 0 {
                guard let ops = firstOps(code, p + 1, depth: depth + 1) else { return nil }
                result.append(contentsOf: ops)
                if result.count > 64 { return nil }
                p += code[p]
            }
            return result
        case PyOp.repeatOne, PyOp.minRepeatOne:
            let item = pc + 5
            if code[pc + 2] > 0 {
                return [item]
            }
            guard let rest = firstOps(code, pc + 1 + code[pc + 1], depth: depth + 1) else { return nil }
            return [item] + rest
        case PyOp.repeatDet:
            // handled by the caller-independent analysis of the item's first ops
            let item = pc + 5
            guard let first = firstOps(code, item, depth: depth + 1) else { return nil }
            if code[pc + 2] > 0 {
                return first
            }
            guard let rest = firstOps(code, pc + 1 + code[pc + 1], depth: depth + 1) else { return nil }
            return first + rest
        case PyOp.repeat:
            if code[pc + 2] > 0 {
                // The body must match at least once; it ends in the UNTIL op, which
                // firstOps refuses, so bodies that may be empty yield nil.
                return firstOps(code, pc + 4, depth: depth + 1)
            }
            return nil
        default:
            return nil
        }
    }

    static func makeFilter(_ program: PyProgram, _ ops: [Int]) -> PyCharFilter {
        var bits: [UInt64] = [0, 0, 0, 0]
        for c in UInt32(0)..<256 where ops.contains(where: { program.matchOne($0, c) }) {
            bits[Int(c >> 6)] |= 1 << UInt64(c & 63)
        }
        // dedupe ops for the slow path
        var seen: [Int] = []
        for op in ops where !seen.contains(where: { Self.sameOp(program.code, $0, op) }) {
            seen.append(op)
        }
        return PyCharFilter(latin1: (bits[0], bits[1], bits[2], bits[3]), ops: seen)
    }

    static func sameOp(_ code: [Int], _ a: Int, _ b: Int) -> Bool {
        if code[a] != code[b] { return false }
        switch code[a] {
        case PyOp.any, PyOp.anyAll: return true
        default: return code[a + 1] == code[b + 1]
        }
    }

    /// The sequence of single-character ops that every match begins with (zero-width MARK/AT
    /// ops in between are skipped; they cannot move the position).
    static func prefixOps(_ code: [Int]) -> [Int] {
        var out: [Int] = []
        var pc = 0
        while out.count < 16 {
            switch code[pc] {
            case PyOp.mark, PyOp.at:
                pc += 2
            case PyOp.literal, PyOp.notLiteral, PyOp.literalUniIgnore, PyOp.notLiteralUniIgnore,
                 PyOp.in, PyOp.inUniIgnore:
                out.append(pc)
                pc += 2
            case PyOp.any, PyOp.anyAll:
                out.append(pc)
                pc += 1
            default:
                return out
            }
        }
        return out
    }
}
