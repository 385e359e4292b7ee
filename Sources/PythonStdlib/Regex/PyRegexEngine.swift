// The matcher: a port of SRE(match) / SRE(search) from CPython's Modules/_sre/sre_lib.h.
//
// Like sre, it never recurses: every DO_JUMP pushes a context on an explicit stack and
// "returns" to a resume point, so arbitrarily long inputs cannot overflow the call stack.
// Mark (capture) handling follows sre exactly (lastmark, MARK_PUSH/MARK_POP only inside
// REPEAT, zero-width protection via last_ptr), so group spans are the ones CPython reports.
//
// Optimisations that do not change results:
//   * a first-character filter and literal-prefix check before a match attempt;
//   * for REPEAT_ONE / MIN_REPEAT_ONE, tail attempts are skipped at positions where the
//     tail's first character cannot match;
//   * failure memo: when a single-character repeat that is not inside a REPEAT exhausts all
//     its positions, the interval of positions where its tail is known to fail (and its item
//     known to match) is remembered, so later attempts skip over it. The tail's outcome only
//     depends on the position and on the contents of backreferenced groups (which must close
//     before the repeat; the contents are part of the memo key). This turns the O(n^2)
//     behaviour of e.g. `(?s:.*?)` patterns over large inputs without a match into O(n);
//   * REPEAT_DET: a greedy REPEAT whose item is deterministic (e.g. `(?:[^'\\\n]|\\.)*`) is
//     run as a loop that records the iteration end positions and then tries the tail from
//     the last one backwards, restoring the marks before each attempt exactly as the nested
//     MAX_UNTIL contexts of sre would. No context per iteration, so long strings are cheap.

private struct PyCtx {
    var count = 0
    var rep = -1
    /// REPEAT_ONE / MIN_REPEAT_ONE: first tail position (for the memo).
    var aux = 0
    /// REPEAT_ONE: last (highest) tail position.
    var aux2 = 0
    var lastmark = -1
    var pattern = 0
    var ptr = 0
    var jump = 0
    /// REPEAT_ONE / MIN_REPEAT_ONE: 0 = memo unusable; 1 = usable but no slot has the
    /// current key; 2 + k = slot k has the current key.
    var memo = 0
}

private struct PyRep {
    var count: Int
    var pattern: Int
    var prev: Int
    var lastPtr: Int
}

// Resume points ("jump" values) and internal steps.
private enum S {
    static let none = 0
    static let maxUntil1 = 1
    static let maxUntil2 = 2
    static let maxUntil3 = 3
    static let minUntil1 = 4
    static let minUntil2 = 5
    static let minUntil3 = 6
    static let `repeat` = 7
    static let repeatOne = 8
    static let minRepeatOne = 10
    static let branch = 11
    static let repeatDet = 12
    // internal steps
    static let entrance = 20
    static let dispatch = 21
    static let exit = 22
    static let branchLoop = 23
    static let repeatOneLoop = 24
    static let minRepeatOneTry = 25
    static let minRepeatOneConsume = 26
    static let maxUntilTail = 27
    static let repeatDetLoop = 28
}

/// One matcher over one text. A struct (not a class) so that its state is accessed without
/// dynamic exclusivity checks; the owner must call `release()` exactly once.
struct PyEngine {
    let program: PyProgram
    private let code: UnsafeMutablePointer<Int>
    private var text: UnsafePointer<UInt32>
    private let end: Int
    private let sets: UnsafeMutablePointer<PyCharSet>
    /// Per repeat id: Latin-1 bitmap of its tail filter (4 words) and whether it has one.
    private let tailBits: UnsafeMutablePointer<UInt64>
    private let hasTailFilter: UnsafeMutablePointer<Bool>
    private let version: PyUnicodeVersion

    // SRE_STATE
    private var sptr = 0          // state->ptr
    private var sstart = 0        // state->start
    private var lastmark = -1
    private var repeatIdx = -1    // state->repeat
    private var mustAdvance = false
    private let marks: UnsafeMutablePointer<Int>
    private let markCount: Int

    private var ctxs: UnsafeMutablePointer<PyCtx>
    private var ctxCap: Int
    private var top = -1
    private var data: UnsafeMutablePointer<Int>
    private var dataCap: Int
    private var dataTop = 0
    private var reps: [PyRep] = []

    // failure memo per REPEAT_ONE / MIN_REPEAT_ONE
    /// Memo slots: `memoSlots` per repeat (one if the pattern has no backreferences).
    private let memoSlots: Int
    private let memoLo: UnsafeMutablePointer<Int>
    private let memoHi: UnsafeMutablePointer<Int>
    /// Memo keys: per slot, (start, end) of each backreferenced group, -1 if unset.
    private let memoKey: UnsafeMutablePointer<Int>
    /// Next slot to overwrite, per repeat.
    private let memoNext: UnsafeMutablePointer<Int>
    private let refGroups: [Int]
    private let repeatInfo: UnsafeMutablePointer<PyRepeatInfo>

    /// `text` must stay valid for the lifetime of the engine.
    init(program: PyProgram, text: UnsafePointer<UInt32>, count: Int) {
        self.program = program
        self.text = text
        self.end = count
        self.version = program.version
        code = program.codePtr
        sets = program.setPtr
        repeatInfo = program.repeatPtr
        tailBits = program.tailBits
        hasTailFilter = program.hasTailFilter
        markCount = max(2 * program.groups, 2)
        marks = .allocate(capacity: markCount)
        marks.initialize(repeating: -1, count: markCount)
        ctxCap = 64
        ctxs = .allocate(capacity: ctxCap)
        dataCap = 64
        data = .allocate(capacity: dataCap)
        let n = max(program.repeats.count, 1)
        refGroups = program.referencedGroups
        memoSlots = refGroups.isEmpty ? 1 : 4
        memoLo = .allocate(capacity: n * memoSlots)
        memoLo.initialize(repeating: 1, count: n * memoSlots)
        memoHi = .allocate(capacity: n * memoSlots)
        memoHi.initialize(repeating: 0, count: n * memoSlots)
        let keyWords = max(n * memoSlots * 2 * refGroups.count, 1)
        memoKey = .allocate(capacity: keyWords)
        memoKey.initialize(repeating: -1, count: keyWords)
        memoNext = .allocate(capacity: n)
        memoNext.initialize(repeating: 0, count: n)
    }

    func release() {
        marks.deallocate()
        ctxs.deallocate()
        data.deallocate()
        memoLo.deallocate()
        memoHi.deallocate()
        memoKey.deallocate()
        memoNext.deallocate()
    }

    // MARK: results

    /// Spans of the last successful match: [start, end, g1start, g1end, ...], -1 if unset.
    func spans(matchStart: Int) -> [Int] {
        var out = [Int](repeating: -1, count: 2 * (program.groups + 1))
        out[0] = matchStart
        out[1] = sptr
        var j = 0
        for g in 0..<program.groups {
            if j + 1 <= lastmark && marks[j] >= 0 && marks[j + 1] >= 0 && marks[j] <= marks[j + 1] {
                out[2 * g + 2] = marks[j]
                out[2 * g + 3] = marks[j + 1]
            }
            j += 2
        }
        return out
    }

    // MARK: search (SRE(search))

    /// Searches for a match starting at or after `start`. On success returns the match start;
    /// the end is `matchEnd` and the groups are available via `spans`.
    mutating func search(from start: Int, mustAdvance firstMustAdvance: Bool) -> Int? {
        var pos = start
        if pos > end { return nil }
        if program.anchoredAtStart {
            return attempt(pos, mustAdvance: firstMustAdvance) ? pos : nil
        }
        if let filter = program.startFilter {
            // Every match consumes at least one character, so must_advance is irrelevant.
            let prefix = program.prefixOps
            let prefixCount = prefix.count
            let bits = [filter.latin1.0, filter.latin1.1, filter.latin1.2, filter.latin1.3]
            while pos < end {
                let c = text[pos]
                let ok = c < 256 ? bits[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0 : program.accepts(filter, c)
                if !ok {
                    pos += 1
                    continue
                }
                if prefixCount > 1 {
                    if end - pos < prefixCount {
                        return nil
                    }
                    var ok = true
                    var i = 1
                    while i < prefixCount {
                        if !matchOne(prefix[i], text[pos + i]) {
                            ok = false
                            break
                        }
                        i += 1
                    }
                    if !ok {
                        pos += 1
                        continue
                    }
                }
                if attempt(pos, mustAdvance: firstMustAdvance && pos == start) {
                    return pos
                }
                pos += 1
            }
            return nil
        }
        while pos <= end {
            if attempt(pos, mustAdvance: firstMustAdvance && pos == start) {
                return pos
            }
            pos += 1
        }
        return nil
    }

    var matchEnd: Int { sptr }

    private mutating func attempt(_ pos: Int, mustAdvance: Bool) -> Bool {
        lastmark = -1
        repeatIdx = -1
        sstart = pos
        sptr = pos
        self.mustAdvance = mustAdvance
        return run()
    }

    // MARK: helpers

    @inline(__always)
    private func matchOne(_ pc: Int, _ c: UInt32) -> Bool {
        switch code[pc] {
        case PyOp.literal: return c == UInt32(truncatingIfNeeded: code[pc + 1])
        case PyOp.notLiteral: return c != UInt32(truncatingIfNeeded: code[pc + 1])
        case PyOp.literalUniIgnore: return PyUnicode.lower(c) == UInt32(truncatingIfNeeded: code[pc + 1])
        case PyOp.notLiteralUniIgnore: return PyUnicode.lower(c) != UInt32(truncatingIfNeeded: code[pc + 1])
        case PyOp.in, PyOp.inUniIgnore: return setContains(code[pc + 1], c)
        case PyOp.any: return c != 10
        case PyOp.anyAll: return true
        default: return false
        }
    }

    @inline(__always)
    private func setContains(_ i: Int, _ c: UInt32) -> Bool {
        let p = sets + i
        if c < 256 {
            let bits = p.pointee.latin1
            let word: UInt64
            switch c >> 6 {
            case 0: word = bits.0
            case 1: word = bits.1
            case 2: word = bits.2
            default: word = bits.3
            }
            return word & (1 << UInt64(c & 63)) != 0
        }
        return p.pointee.slowContains(c)
    }

    /// SRE(count): how many times the single-character item at `pc` matches from `from`.
    @inline(__always)
    private func countItem(_ pc: Int, _ from: Int, _ maxCount: Int) -> Int {
        var e = end
        if maxCount < e - from { e = from + maxCount }
        var p = from
        switch code[pc] {
        case PyOp.anyAll:
            p = e
        case PyOp.any:
            while p < e && text[p] != 10 { p += 1 }
        case PyOp.literal:
            let ch = UInt32(truncatingIfNeeded: code[pc + 1])
            while p < e && text[p] == ch { p += 1 }
        case PyOp.notLiteral:
            let ch = UInt32(truncatingIfNeeded: code[pc + 1])
            while p < e && text[p] != ch { p += 1 }
        case PyOp.literalUniIgnore:
            let ch = UInt32(truncatingIfNeeded: code[pc + 1])
            while p < e && PyUnicode.lower(text[p]) == ch { p += 1 }
        case PyOp.notLiteralUniIgnore:
            let ch = UInt32(truncatingIfNeeded: code[pc + 1])
            while p < e && PyUnicode.lower(text[p]) != ch { p += 1 }
        case PyOp.in, PyOp.inUniIgnore:
            let set = code[pc + 1]
            while p < e && setContains(set, text[p]) { p += 1 }
        default:
            break
        }
        return p - from
    }

    @inline(__always)
    private func at(_ ptr: Int, _ kind: Int) -> Bool {
        switch kind {
        case PyAtCode.beginning.rawValue, PyAtCode.beginningString.rawValue:
            return ptr == 0
        case PyAtCode.beginningLine.rawValue:
            return ptr == 0 || text[ptr - 1] == 10
        case PyAtCode.end.rawValue:
            return (end - ptr == 1 && text[ptr] == 10) || ptr == end
        case PyAtCode.endLine.rawValue:
            return ptr == end || text[ptr] == 10
        case PyAtCode.endString.rawValue:
            return ptr == end
        case PyAtCode.boundary.rawValue, PyAtCode.nonBoundary.rawValue:
            if end == 0 { return false }
            let that = ptr > 0 ? PyUnicode.isWord(text[ptr - 1], version) : false
            let this = ptr < end ? PyUnicode.isWord(text[ptr], version) : false
            return kind == PyAtCode.boundary.rawValue ? this != that : this == that
        default:
            return false
        }
    }

    @inline(__always)
    private mutating func pushCtx(_ jump: Int) {
        top += 1
        if top == ctxCap {
            let newCap = ctxCap * 2
            let n = UnsafeMutablePointer<PyCtx>.allocate(capacity: newCap)
            n.moveInitialize(from: ctxs, count: ctxCap)
            ctxs.deallocate()
            ctxs = n
            ctxCap = newCap
        }
        (ctxs + top).initialize(to: PyCtx(jump: jump))
    }

    @inline(__always)
    private mutating func dataPush(_ v: Int) {
        if dataTop == dataCap { growData(1) }
        data[dataTop] = v
        dataTop += 1
    }

    private mutating func growData(_ need: Int) {
        var newCap = dataCap * 2
        while newCap < dataTop + need { newCap *= 2 }
        let n = UnsafeMutablePointer<Int>.allocate(capacity: newCap)
        n.moveInitialize(from: data, count: dataTop)
        data.deallocate()
        data = n
        dataCap = newCap
    }

    @inline(__always)
    private mutating func markPush(_ lm: Int) {
        if lm >= 0 {
            let size = lm + 1
            if dataTop + size > dataCap { growData(size) }
            (data + dataTop).update(from: marks, count: size)
            dataTop += size
        }
    }

    @inline(__always)
    private mutating func markPop(_ lm: Int, discard: Bool) {
        if lm >= 0 {
            let size = lm + 1
            marks.update(from: data + (dataTop - size), count: size)
            if discard { dataTop -= size }
        }
    }

    @inline(__always)
    private mutating func markPopDiscard(_ lm: Int) {
        if lm >= 0 { dataTop -= lm + 1 }
    }

    /// Whether the tail filter of repeat `id` (which must have one) accepts position `p`.
    @inline(__always)
    private func tailAccepts(_ id: Int, _ p: Int) -> Bool {
        if p >= end { return false }
        let c = text[p]
        if c < 256 {
            return tailBits[4 * id + Int(c >> 6)] & (1 << UInt64(c & 63)) != 0
        }
        return program.accepts(repeatInfo[id].tailFilter!, c)
    }

    /// Span of group `g` (0-based) as GROUPREF would see it, or nil.
    @inline(__always)
    private func groupSpan(_ g: Int) -> (Int, Int)? {
        let j = 2 * g
        if j + 1 > lastmark { return nil }
        let p = marks[j], e = marks[j + 1]
        if p < 0 || e < 0 || e < p { return nil }
        return (p, e)
    }

    /// Memo state for executing repeat `id` now (see PyCtx.memo).
    @inline(__always)
    private func memoState(_ id: Int) -> Int {
        if repeatIdx >= 0 || !repeatInfo[id].memoEligible { return 0 }
        if refGroups.isEmpty { return 2 }
        let words = 2 * refGroups.count
        slots: for slot in 0..<memoSlots {
            let base = (id * memoSlots + slot) * words
            for (k, g) in refGroups.enumerated() {
                let s0 = memoKey[base + 2 * k], s1 = memoKey[base + 2 * k + 1]
                if let (p, e) = groupSpan(g) {
                    if s0 < 0 || s1 - s0 != e - p { continue slots }
                    var i = 0
                    while i < e - p {
                        if text[p + i] != text[s0 + i] { continue slots }
                        i += 1
                    }
                } else if s0 >= 0 {
                    continue slots
                }
            }
            return 2 + slot
        }
        return 1
    }

    /// Index into memoLo/memoHi for a ctx memo state >= 2.
    @inline(__always)
    private func memoIndex(_ id: Int, _ state: Int) -> Int {
        id * memoSlots + state - 2
    }

    @inline(__always)
    private func memoRecord(_ id: Int, _ state: Int, _ lo: Int, _ hi: Int) {
        if state == 0 || mustAdvance || hi < lo { return }
        if state >= 2 {
            let i = memoIndex(id, state)
            let a = memoLo[i], b = memoHi[i]
            if a <= b && lo <= b && a <= hi {
                memoLo[i] = min(a, lo)
                memoHi[i] = max(b, hi)
            } else {
                memoLo[i] = lo
                memoHi[i] = hi
            }
            return
        }
        // no slot with this key yet: take the next one round-robin
        let slot = memoNext[id]
        memoNext[id] = (slot + 1) % memoSlots
        let i = id * memoSlots + slot
        memoLo[i] = lo
        memoHi[i] = hi
        let words = 2 * refGroups.count
        let base = i * words
        for (k, g) in refGroups.enumerated() {
            let span = groupSpan(g)
            memoKey[base + 2 * k] = span?.0 ?? -1
            memoKey[base + 2 * k + 1] = span?.1 ?? -1
        }
    }

    /// REPEAT_DET: length of the unique alternative of the item matching at `p`, or 0.
    @inline(__always)
    private func detStep(_ alts: [[Int]], _ p: Int) -> Int {
        for alt in alts {
            if end - p < alt.count { continue }
            var ok = true
            var i = 0
            for pc in alt {
                if !matchOne(pc, text[p + i]) {
                    ok = false
                    break
                }
                i += 1
            }
            if ok { return alt.count }
        }
        return 0
    }

    // MARK: SRE(match)

    private mutating func run() -> Bool {
        let code = self.code
        let text = self.text
        let end = self.end
        var pattern = 0
        var ptr = 0
        var ret = false
        top = -1
        dataTop = 0
        if !reps.isEmpty { reps.removeAll(keepingCapacity: true) }
        pushCtx(S.none)
        var step = S.entrance


        while true {
            switch step {
            case S.entrance:
                ptr = sptr
                step = S.dispatch

            case S.dispatch:
                // The inner loop handles the simple ops without leaving the dispatch step.
                dispatch: while true {
                    let op = code[pattern]
                    pattern += 1
                    switch op {
                    case PyOp.mark:
                        let i = code[pattern]
                        if i > lastmark {
                            var j = lastmark + 1
                            while j < i {
                                marks[j] = -1
                                j += 1
                            }
                            lastmark = i
                        }
                        marks[i] = ptr
                        pattern += 1
                    case PyOp.literal:
                        if ptr >= end || text[ptr] != UInt32(truncatingIfNeeded: code[pattern]) {
                            ret = false; step = S.exit; break dispatch
                        }
                        pattern += 1
                        ptr += 1
                    case PyOp.notLiteral:
                        if ptr >= end || text[ptr] == UInt32(truncatingIfNeeded: code[pattern]) {
                            ret = false; step = S.exit; break dispatch
                        }
                        pattern += 1
                        ptr += 1
                    case PyOp.literalUniIgnore:
                        if ptr >= end || PyUnicode.lower(text[ptr]) != UInt32(truncatingIfNeeded: code[pattern]) {
                            ret = false; step = S.exit; break dispatch
                        }
                        pattern += 1
                        ptr += 1
                    case PyOp.notLiteralUniIgnore:
                        if ptr >= end || PyUnicode.lower(text[ptr]) == UInt32(truncatingIfNeeded: code[pattern]) {
                            ret = false; step = S.exit; break dispatch
                        }
                        pattern += 1
                        ptr += 1
                    case PyOp.success:
                        if mustAdvance && ptr == sstart {
                            ret = false; step = S.exit; break dispatch
                        }
                        sptr = ptr
                        ret = true; step = S.exit; break dispatch
                    case PyOp.at:
                        if !at(ptr, code[pattern]) {
                            ret = false; step = S.exit; break dispatch
                        }
                        pattern += 1
                    case PyOp.any:
                        if ptr >= end || text[ptr] == 10 {
                            ret = false; step = S.exit; break dispatch
                        }
                        ptr += 1
                    case PyOp.anyAll:
                        if ptr >= end {
                            ret = false; step = S.exit; break dispatch
                        }
                        ptr += 1
                    case PyOp.in, PyOp.inUniIgnore:
                        if ptr >= end || !setContains(code[pattern], text[ptr]) {
                            ret = false; step = S.exit; break dispatch
                        }
                        pattern += 1
                        ptr += 1
                    case PyOp.jump:
                        pattern += code[pattern]
                    case PyOp.branch:
                        ctxs[top].lastmark = lastmark
                        if repeatIdx >= 0 { markPush(lastmark) }
                        step = S.branchLoop
                        break dispatch
                    case PyOp.repeatOne:
                        // <REPEAT_ONE> <skip> <1=min> <2=max> <id> item <SUCCESS> tail
                        let minR = code[pattern + 1]
                        let maxR = code[pattern + 2]
                        let id = code[pattern + 3]
                        if minR > end - ptr {
                            ret = false; step = S.exit; break dispatch
                        }
                        sptr = ptr
                        let entry = ptr
                        var count: Int
                        let memo = memoState(id)
                        let mi = memo >= 2 ? memoIndex(id, memo) : 0
                        let lo = memoLo[mi], hi = memoHi[mi]
                        if memo >= 2 && lo <= ptr && ptr < hi {
                            // the item is known to match on [ptr, hi)
                            let known = hi - ptr
                            count = known >= maxR ? maxR : known + countItem(pattern + 4, hi, maxR - known)
                        } else {
                            count = countItem(pattern + 4, ptr, maxR)
                        }
                        ptr += count
                        if count < minR {
                            ret = false; step = S.exit; break dispatch
                        }
                        let tail = pattern + code[pattern]
                        if code[tail] == PyOp.success && ptr == end && !(mustAdvance && ptr == sstart) {
                            sptr = ptr
                            ret = true; step = S.exit; break dispatch
                        }
                        ctxs[top].lastmark = lastmark
                        if repeatIdx >= 0 { markPush(lastmark) }
                        ctxs[top].count = count
                        ctxs[top].aux = entry + minR
                        ctxs[top].aux2 = ptr
                        ctxs[top].memo = memo
                        step = S.repeatOneLoop
                        break dispatch
                    case PyOp.minRepeatOne:
                        let minR = code[pattern + 1]
                        if minR > end - ptr {
                            ret = false; step = S.exit; break dispatch
                        }
                        sptr = ptr
                        var count = 0
                        if minR != 0 {
                            let c = countItem(pattern + 4, ptr, minR)
                            if c < minR {
                                ret = false; step = S.exit; break dispatch
                            }
                            count = c
                            ptr += c
                        }
                        let tail = pattern + code[pattern]
                        if code[tail] == PyOp.success && !(mustAdvance && ptr == sstart) {
                            sptr = ptr
                            ret = true; step = S.exit; break dispatch
                        }
                        ctxs[top].lastmark = lastmark
                        if repeatIdx >= 0 { markPush(lastmark) }
                        ctxs[top].count = count
                        ctxs[top].aux = ptr
                        ctxs[top].memo = memoState(code[pattern + 3])
                        step = S.minRepeatOneTry
                        break dispatch
                    case PyOp.repeatDet:
                        // <REPEAT_DET> <skip> <min> <max> <id> item <SUCCESS> tail
                        let minR = code[pattern + 1]
                        let maxR = code[pattern + 2]
                        let alts = repeatInfo[code[pattern + 3]].alternatives
                        let base = dataTop
                        var p = ptr
                        var count = 0
                        dataPush(p)
                        while count < maxR {
                            let n = detStep(alts, p)
                            if n == 0 { break }
                            p += n
                            count += 1
                            dataPush(p)
                        }
                        if count < minR {
                            dataTop = base
                            ret = false; step = S.exit; break dispatch
                        }
                        ctxs[top].lastmark = lastmark
                        markPush(lastmark)
                        ctxs[top].count = count
                        ctxs[top].aux = base
                        step = S.repeatDetLoop
                        break dispatch
                    case PyOp.repeat:
                        reps.append(PyRep(count: -1, pattern: pattern, prev: repeatIdx, lastPtr: -1))
                        let r = reps.count - 1
                        ctxs[top].rep = r
                        repeatIdx = r
                        sptr = ptr
                        // DO_JUMP
                        do {
                            let next = pattern + code[pattern]
                            ctxs[top].pattern = pattern
                            ctxs[top].ptr = ptr
                            pushCtx(S.repeat)
                            pattern = next
                            step = S.entrance
                        }
                        break dispatch
                    case PyOp.maxUntil:
                        let r = repeatIdx
                        precondition(r >= 0, "internal error: MAX_UNTIL without REPEAT")
                        ctxs[top].rep = r
                        sptr = ptr
                        let count = reps[r].count + 1
                        ctxs[top].count = count
                        let rp = reps[r].pattern
                        let minR = code[rp + 1], maxR = code[rp + 2]
                        if count < minR {
                            reps[r].count = count
                            // DO_JUMP
                            do {
                                let next = rp + 3
                                ctxs[top].pattern = pattern
                                ctxs[top].ptr = ptr
                                pushCtx(S.maxUntil1)
                                pattern = next
                                step = S.entrance
                            }
                            break dispatch
                        }
                        if (count < maxR || maxR == pyMaxRepeat) && sptr != reps[r].lastPtr {
                            reps[r].count = count
                            ctxs[top].lastmark = lastmark
                            markPush(lastmark)
                            dataPush(reps[r].lastPtr)
                            reps[r].lastPtr = sptr
                            // DO_JUMP
                            do {
                                let next = rp + 3
                                ctxs[top].pattern = pattern
                                ctxs[top].ptr = ptr
                                pushCtx(S.maxUntil2)
                                pattern = next
                                step = S.entrance
                            }
                            break dispatch
                        }
                        step = S.maxUntilTail
                        break dispatch
                    case PyOp.minUntil:
                        let r = repeatIdx
                        precondition(r >= 0, "internal error: MIN_UNTIL without REPEAT")
                        ctxs[top].rep = r
                        sptr = ptr
                        let count = reps[r].count + 1
                        ctxs[top].count = count
                        let rp = reps[r].pattern
                        if count < code[rp + 1] {
                            reps[r].count = count
                            // DO_JUMP
                            do {
                                let next = rp + 3
                                ctxs[top].pattern = pattern
                                ctxs[top].ptr = ptr
                                pushCtx(S.minUntil1)
                                pattern = next
                                step = S.entrance
                            }
                            break dispatch
                        }
                        repeatIdx = reps[r].prev
                        ctxs[top].lastmark = lastmark
                        if repeatIdx >= 0 { markPush(lastmark) }
                        // DO_JUMP
                        do {
                            let next = pattern
                            ctxs[top].pattern = pattern
                            ctxs[top].ptr = ptr
                            pushCtx(S.minUntil2)
                            pattern = next
                            step = S.entrance
                        }
                        break dispatch
                    case PyOp.groupref, PyOp.grouprefUniIgnore:
                        let groupref = code[pattern] * 2
                        if groupref >= lastmark {
                            ret = false; step = S.exit; break dispatch
                        }
                        var p = marks[groupref]
                        let e = marks[groupref + 1]
                        if p < 0 || e < 0 || e < p {
                            ret = false; step = S.exit; break dispatch
                        }
                        let ignore = op == PyOp.grouprefUniIgnore
                        while p < e {
                            if ptr >= end {
                                ret = false; step = S.exit; break dispatch
                            }
                            let ok = ignore ? PyUnicode.lower(text[ptr]) == PyUnicode.lower(text[p])
                                            : text[ptr] == text[p]
                            if !ok {
                                ret = false; step = S.exit; break dispatch
                            }
                            p += 1
                            ptr += 1
                        }
                        pattern += 1
                    default:  // FAILURE
                        ret = false; step = S.exit; break dispatch
                    }
                }

            case S.exit:
                let jump = ctxs[top].jump
                top -= 1
                if top < 0 {
                    return ret
                }
                pattern = ctxs[top].pattern
                ptr = ctxs[top].ptr
                step = jump

            // MARK: BRANCH
            case S.branchLoop:
                // pattern points at the skip word of the next alternative
                var jumped = false
                while code[pattern] != 0 {
                    let first = code[pattern + 1]
                    if first == PyOp.literal
                        && (ptr >= end || text[ptr] != UInt32(truncatingIfNeeded: code[pattern + 2]))
                    {
                        pattern += code[pattern]
                        continue
                    }
                    if first == PyOp.in && (ptr >= end || !setContains(code[pattern + 2], text[ptr])) {
                        pattern += code[pattern]
                        continue
                    }
                    sptr = ptr
                    // DO_JUMP
                    do {
                        let next = pattern + 1
                        ctxs[top].pattern = pattern
                        ctxs[top].ptr = ptr
                        pushCtx(S.branch)
                        pattern = next
                        step = S.entrance
                    }
                    jumped = true
                    break
                }
                if !jumped {
                    if repeatIdx >= 0 { markPopDiscard(ctxs[top].lastmark) }
                    ret = false
                    step = S.exit
                }

            case S.branch:
                if ret {
                    if repeatIdx >= 0 { markPopDiscard(ctxs[top].lastmark) }
                    step = S.exit
                    continue
                }
                if repeatIdx >= 0 { markPop(ctxs[top].lastmark, discard: false) }
                lastmark = ctxs[top].lastmark
                pattern += code[pattern]
                step = S.branchLoop

            // MARK: REPEAT_ONE
            case S.repeatOneLoop:
                let minR = code[pattern + 1]
                let id = code[pattern + 3]
                let tail = pattern + code[pattern]
                let hasFilter = hasTailFilter[id]
                let memoUse = ctxs[top].memo >= 2
                let mi = memoUse ? memoIndex(id, ctxs[top].memo) : 0
                var count = ctxs[top].count
                var jumped = false
                while count >= minR {
                    if memoUse && memoLo[mi] <= ptr && ptr <= memoHi[mi] {
                        let newPtr = memoLo[mi] - 1
                        count -= ptr - newPtr
                        ptr = newPtr
                        continue
                    }
                    if hasFilter && !tailAccepts(id, ptr) {
                        ptr -= 1
                        count -= 1
                        continue
                    }
                    ctxs[top].count = count
                    sptr = ptr
                    // DO_JUMP
                    do {
                        let next = tail
                        ctxs[top].pattern = pattern
                        ctxs[top].ptr = ptr
                        pushCtx(S.repeatOne)
                        pattern = next
                        step = S.entrance
                    }
                    jumped = true
                    break
                }
                if !jumped {
                    if repeatIdx >= 0 { markPopDiscard(ctxs[top].lastmark) }
                    memoRecord(id, ctxs[top].memo, ctxs[top].aux, ctxs[top].aux2)
                    ret = false
                    step = S.exit
                }

            case S.repeatOne:
                if ret {
                    if repeatIdx >= 0 { markPopDiscard(ctxs[top].lastmark) }
                    step = S.exit
                    continue
                }
                if repeatIdx >= 0 { markPop(ctxs[top].lastmark, discard: false) }
                lastmark = ctxs[top].lastmark
                ptr -= 1
                ctxs[top].count -= 1
                step = S.repeatOneLoop

            // MARK: MIN_REPEAT_ONE
            case S.minRepeatOneTry:
                let maxR = code[pattern + 2]
                let id = code[pattern + 3]
                var count = ctxs[top].count
                if maxR != pyMaxRepeat && count > maxR {
                    // loop condition failed: the last tried position was ptr - 1
                    minRepeatOneFail(id, lastTried: ptr - 1)
                    ret = false
                    step = S.exit
                    continue
                }
                if ctxs[top].memo >= 2, case let mi = memoIndex(id, ctxs[top].memo), memoLo[mi] <= ptr && ptr <= memoHi[mi] {
                    // the tail fails on [ptr, hi] and the item matches on [ptr, hi)
                    var adv = memoHi[mi] - ptr
                    if maxR != pyMaxRepeat { adv = min(adv, maxR - count) }
                    ptr += adv
                    count += adv
                    ctxs[top].count = count
                    step = S.minRepeatOneConsume
                    continue
                }
                if hasTailFilter[id] && !tailAccepts(id, ptr) {
                    // Tight loop over positions where the tail cannot start.
                    let item = pattern + 4
                    var failed = false
                    while true {
                        if ptr >= end || !matchOne(item, text[ptr]) {
                            failed = true
                            break
                        }
                        ptr += 1
                        count += 1
                        if tailAccepts(id, ptr) { break }
                        if ptr >= end { continue }
                        if maxR != pyMaxRepeat && count >= maxR { break }
                    }
                    ctxs[top].count = count
                    if failed {
                        sptr = ptr
                        minRepeatOneFail(id, lastTried: ptr)
                        ret = false
                        step = S.exit
                    }
                    // else: re-check max / memo / filter at the new position
                    continue
                }
                sptr = ptr
                // DO_JUMP
                do {
                    let next = pattern + code[pattern]
                    ctxs[top].pattern = pattern
                    ctxs[top].ptr = ptr
                    pushCtx(S.minRepeatOne)
                    pattern = next
                    step = S.entrance
                }

            case S.minRepeatOne:
                if ret {
                    if repeatIdx >= 0 { markPopDiscard(ctxs[top].lastmark) }
                    step = S.exit
                    continue
                }
                if repeatIdx >= 0 { markPop(ctxs[top].lastmark, discard: false) }
                lastmark = ctxs[top].lastmark
                step = S.minRepeatOneConsume

            case S.minRepeatOneConsume:
                sptr = ptr
                if ptr >= end || !matchOne(pattern + 4, text[ptr]) {
                    minRepeatOneFail(code[pattern + 3], lastTried: ptr)
                    ret = false
                    step = S.exit
                    continue
                }
                ptr += 1
                ctxs[top].count += 1
                step = S.minRepeatOneTry

            // MARK: REPEAT_DET
            case S.repeatDetLoop:
                let minR = code[pattern + 1]
                let id = code[pattern + 3]
                let tail = pattern + code[pattern]
                let hasFilter = hasTailFilter[id]
                let base = ctxs[top].aux
                var count = ctxs[top].count
                var jumped = false
                while count >= minR {
                    let p = data[base + count]
                    if hasFilter && !tailAccepts(id, p) {
                        count -= 1
                        continue
                    }
                    // sre restores the marks (MARK_POP in MAX_UNTIL) before every tail attempt
                    markPop(ctxs[top].lastmark, discard: false)
                    lastmark = ctxs[top].lastmark
                    ctxs[top].count = count
                    ptr = p
                    sptr = p
                    // DO_JUMP
                    do {
                        let next = tail
                        ctxs[top].pattern = pattern
                        ctxs[top].ptr = ptr
                        pushCtx(S.repeatDet)
                        pattern = next
                        step = S.entrance
                    }
                    jumped = true
                    break
                }
                if !jumped {
                    dataTop = base
                    ret = false
                    step = S.exit
                }

            case S.repeatDet:
                if ret {
                    dataTop = ctxs[top].aux
                    step = S.exit
                    continue
                }
                ctxs[top].count -= 1
                step = S.repeatDetLoop

            // MARK: REPEAT / UNTIL
            case S.repeat:
                repeatIdx = reps[ctxs[top].rep].prev
                reps.removeLast()
                step = S.exit

            case S.maxUntil1, S.minUntil1:
                if ret {
                    step = S.exit
                    continue
                }
                reps[ctxs[top].rep].count = ctxs[top].count - 1
                sptr = ptr
                step = S.exit

            case S.maxUntil2:
                let r = ctxs[top].rep
                dataTop -= 1
                reps[r].lastPtr = data[dataTop]
                if ret {
                    markPopDiscard(ctxs[top].lastmark)
                    step = S.exit
                    continue
                }
                markPop(ctxs[top].lastmark, discard: true)
                lastmark = ctxs[top].lastmark
                reps[r].count = ctxs[top].count - 1
                sptr = ptr
                step = S.maxUntilTail

            case S.maxUntilTail:
                // cannot match more repeated items here; make sure the tail matches
                repeatIdx = reps[ctxs[top].rep].prev
                // DO_JUMP
                do {
                    let next = pattern
                    ctxs[top].pattern = pattern
                    ctxs[top].ptr = ptr
                    pushCtx(S.maxUntil3)
                    pattern = next
                    step = S.entrance
                }

            case S.maxUntil3:
                repeatIdx = ctxs[top].rep
                if ret {
                    step = S.exit
                    continue
                }
                sptr = ptr
                step = S.exit

            case S.minUntil2:
                let repeatOfTail = repeatIdx
                let r = ctxs[top].rep
                repeatIdx = r
                if ret {
                    if repeatOfTail >= 0 { markPopDiscard(ctxs[top].lastmark) }
                    step = S.exit
                    continue
                }
                if repeatOfTail >= 0 { markPop(ctxs[top].lastmark, discard: true) }
                lastmark = ctxs[top].lastmark
                sptr = ptr
                let rp = reps[r].pattern
                let maxR = code[rp + 2]
                let count = ctxs[top].count
                if (count >= maxR && maxR != pyMaxRepeat) || sptr == reps[r].lastPtr {
                    ret = false
                    step = S.exit
                    continue
                }
                reps[r].count = count
                dataPush(reps[r].lastPtr)
                reps[r].lastPtr = sptr
                // DO_JUMP
                do {
                    let next = rp + 3
                    ctxs[top].pattern = pattern
                    ctxs[top].ptr = ptr
                    pushCtx(S.minUntil3)
                    pattern = next
                    step = S.entrance
                }

            case S.minUntil3:
                let r = ctxs[top].rep
                dataTop -= 1
                reps[r].lastPtr = data[dataTop]
                if ret {
                    step = S.exit
                    continue
                }
                reps[r].count = ctxs[top].count - 1
                sptr = ptr
                step = S.exit

            default:
                preconditionFailure("internal error: bad matcher step \(step)")
            }
        }
    }

    @inline(__always)
    private mutating func minRepeatOneFail(_ id: Int, lastTried: Int) {
        if repeatIdx >= 0 { markPopDiscard(ctxs[top].lastmark) }
        memoRecord(id, ctxs[top].memo, ctxs[top].aux, lastTried)
    }
}
