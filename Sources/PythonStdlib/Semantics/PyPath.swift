/// Ports of CPython's `posixpath` (and `genericpath._splitext`) for `str` arguments.
///
/// All functions operate on code points and never touch the file system.
public enum PyPath {
    private static let slash = Unicode.Scalar(UInt8(0x2F))
    private static let dot = Unicode.Scalar(UInt8(0x2E))

    /// `posixpath.isabs(s)`.
    public static func isabs(_ s: String) -> Bool {
        s.unicodeScalars.first == slash
    }

    /// `posixpath.join(a, *p)`.
    public static func join(_ a: String, _ rest: String...) -> String {
        join(a, rest)
    }

    /// `posixpath.join(a, *p)` with the components as an array.
    public static func join(_ a: String, _ rest: [String]) -> String {
        var path = PySemUtil.scalars(a)
        for bs in rest {
            let b = PySemUtil.scalars(bs)
            if b.first == slash {
                path = b
            } else if path.isEmpty || path.last == slash {
                path += b
            } else {
                path.append(slash)
                path += b
            }
        }
        return PySemUtil.string(path)
    }

    /// `posixpath.split(p)` -> `(head, tail)`.
    public static func split(_ p: String) -> (head: String, tail: String) {
        let (h, t) = splitScalars(PySemUtil.scalars(p))
        return (PySemUtil.string(h), PySemUtil.string(t))
    }

    static func splitScalars(_ p: PyScalars) -> (PyScalars, PyScalars) {
        let i = PySemUtil.rfind(p, slash) + 1
        var head = Array(p[..<i])
        let tail = Array(p[i...])
        if !head.isEmpty && !head.allSatisfy({ $0 == slash }) {
            while head.last == slash { head.removeLast() }
        }
        return (head, tail)
    }

    /// `posixpath.basename(p)`.
    public static func basename(_ p: String) -> String {
        let s = PySemUtil.scalars(p)
        let i = PySemUtil.rfind(s, slash) + 1
        return PySemUtil.string(s[i...])
    }

    /// `posixpath.dirname(p)`.
    public static func dirname(_ p: String) -> String {
        let s = PySemUtil.scalars(p)
        let i = PySemUtil.rfind(s, slash) + 1
        var head = Array(s[..<i])
        if !head.isEmpty && !head.allSatisfy({ $0 == slash }) {
            while head.last == slash { head.removeLast() }
        }
        return PySemUtil.string(head)
    }

    /// `posixpath.splitext(p)` (`genericpath._splitext(p, '/', None, '.')`): the extension is
    /// everything from the last dot of the last path component, unless every character before
    /// that dot in the component is also a dot (leading dots never start an extension).
    /// `root + ext == p` always holds.
    public static func splitext(_ p: String) -> (root: String, ext: String) {
        let s = PySemUtil.scalars(p)
        let sepIndex = PySemUtil.rfind(s, slash)
        let dotIndex = PySemUtil.rfind(s, dot)
        if dotIndex > sepIndex {
            var filenameIndex = sepIndex + 1
            while filenameIndex < dotIndex {
                if s[filenameIndex] != dot {
                    return (PySemUtil.string(s[..<dotIndex]), PySemUtil.string(s[dotIndex...]))
                }
                filenameIndex += 1
            }
        }
        return (p, "")
    }

    /// `posixpath.normpath(path)`.
    ///
    /// CPython 3.11/3.12 use the C implementation `posix._path_normpath`; this is a port of the
    /// pure-Python fallback, which the differential tests show to agree with it (including
    /// embedded NUL characters). POSIX keeps exactly two leading slashes; three or more
    /// collapse to one.
    public static func normpath(_ path: String) -> String {
        let p = PySemUtil.scalars(path)
        if p.isEmpty { return "." }
        var initialSlashes = 0
        if p.first == slash {
            initialSlashes = 1
            if p.count >= 2 && p[1] == slash && !(p.count >= 3 && p[2] == slash) {
                initialSlashes = 2
            }
        }
        let comps = PySemUtil.split(p, slash)
        var newComps: [PyScalars] = []
        let dotdot: PyScalars = [dot, dot]
        for comp in comps {
            if comp.isEmpty || comp == [dot] { continue }
            if comp != dotdot || (initialSlashes == 0 && newComps.isEmpty)
                || (!newComps.isEmpty && newComps.last! == dotdot) {
                newComps.append(comp)
            } else if !newComps.isEmpty {
                newComps.removeLast()
            }
        }
        var out = PyScalars(repeating: slash, count: initialSlashes)
        out += PySemUtil.join(newComps, [slash])
        if out.isEmpty { return "." }
        return PySemUtil.string(out)
    }

    /// `posixpath.abspath(path)` with an explicit current working directory (`os.getcwd()`).
    public static func abspath(_ path: String, cwd: String) -> String {
        if isabs(path) { return normpath(path) }
        return normpath(join(cwd, path))
    }

    /// `posixpath.normcase(s)`: the identity on POSIX.
    public static func normcase(_ s: String) -> String { s }
}
