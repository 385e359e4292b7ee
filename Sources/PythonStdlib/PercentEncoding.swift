/// Python's percent-encoding (`urllib.parse.quote` / `unquote_plus`), shared by the S3 protocol
/// layer (signing, keys, query strings) and the collect post-processor (URLs in CSS and JS).
public enum PercentEncoding {
    private static func isAlwaysSafe(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == 0x5F || b == 0x2E || b == 0x2D || b == 0x7E
    }

    /// `urllib.parse.quote(string, safe)` (encoding "utf-8"). Non-ASCII characters in `safe` are
    /// ignored, as in CPython; bytes outside the safe set become `%XX` (upper-case hex).
    public static func quote(_ string: String, safe: String = "/") -> String {
        if string.isEmpty { return string }
        var safeSet = [Bool](repeating: false, count: 128)
        for c in safe.unicodeScalars where c.value < 0x80 { safeSet[Int(c.value)] = true }
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(string.utf8.count)
        for b in string.utf8 {
            if isAlwaysSafe(b) || (b < 0x80 && safeSet[Int(b)]) {
                out.append(b)
            } else {
                out.append(0x25)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `urllib.parse.unquote_plus` (botocore's `unquote_str`) for the `encoding-type=url` values
    /// S3 returns: `+` is a space, `%XX` a byte.
    public static func unquotePlus(_ value: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count)
        var iterator = Array(value.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
               let high = hexValue(iterator[iterator.startIndex]),
               let low = hexValue(iterator[iterator.startIndex + 1]) {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
