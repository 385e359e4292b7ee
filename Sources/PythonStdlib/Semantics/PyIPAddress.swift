/// The parts of CPython's `ipaddress` module that `urllib.parse._check_bracketed_host` relies on:
/// whether `IPv4Address(s)` / `IPv6Address(s)` accept a string. Identical in 3.11 and 3.12.
enum PyIPAddress {
    private static let dot = Unicode.Scalar(UInt8(0x2E))
    private static let colon = Unicode.Scalar(UInt8(0x3A))

    /// `IPv4Address(s)` succeeds.
    static func isIPv4Address(_ s: PyScalars) -> Bool {
        if s.contains(Unicode.Scalar(UInt8(0x2F))) { return false }
        return ipv4Int(s) != nil
    }

    /// `IPv4Address._ip_int_from_string`.
    static func ipv4Int(_ s: PyScalars) -> UInt32? {
        if s.isEmpty { return nil }
        let octets = PySemUtil.split(s, dot)
        if octets.count != 4 { return nil }
        var value: UInt32 = 0
        for o in octets {
            // _parse_octet
            if o.isEmpty { return nil }
            if !o.allSatisfy(PySemUtil.isASCIIDigit) { return nil }
            if o.count > 3 { return nil }
            if o != [Unicode.Scalar(UInt8(0x30))] && o[0] == Unicode.Scalar(UInt8(0x30)) { return nil }
            var n: UInt32 = 0
            for c in o { n = n * 10 + (c.value - 0x30) }
            if n > 255 { return nil }
            value = value << 8 | n
        }
        return value
    }

    /// `IPv6Address(s)` succeeds (including an optional `%scope_id`).
    static func isIPv6Address(_ s: PyScalars) -> Bool {
        if s.contains(Unicode.Scalar(UInt8(0x2F))) { return false }
        // _split_scope_id
        let (addr, sep, scope) = PySemUtil.partition(s, Unicode.Scalar(UInt8(0x25)))
        if sep && (scope.isEmpty || scope.contains(Unicode.Scalar(UInt8(0x25)))) { return false }
        return ipv6Valid(addr)
    }

    /// `IPv6Address._ip_int_from_string` does not raise.
    private static func ipv6Valid(_ s: PyScalars) -> Bool {
        if s.isEmpty { return false }
        var parts = PySemUtil.split(s, colon)
        if parts.count < 3 { return false }
        if parts[parts.count - 1].contains(dot) {
            guard let v4 = ipv4Int(parts.removeLast()) else { return false }
            parts.append(hexScalars((v4 >> 16) & 0xFFFF))
            parts.append(hexScalars(v4 & 0xFFFF))
        }
        if parts.count > 9 { return false }
        var skipIndex: Int? = nil
        if parts.count > 2 {
            for i in 1..<(parts.count - 1) where parts[i].isEmpty {
                if skipIndex != nil { return false }
                skipIndex = i
            }
        }
        var partsHi: Int, partsLo: Int
        if let skip = skipIndex {
            partsHi = skip
            partsLo = parts.count - skip - 1
            if parts[0].isEmpty {
                partsHi -= 1
                if partsHi != 0 { return false }
            }
            if parts[parts.count - 1].isEmpty {
                partsLo -= 1
                if partsLo != 0 { return false }
            }
            if 8 - (partsHi + partsLo) < 1 { return false }
        } else {
            if parts.count != 8 { return false }
            if parts[0].isEmpty || parts[parts.count - 1].isEmpty { return false }
            partsHi = parts.count
            partsLo = 0
        }
        for i in 0..<partsHi where !hextetValid(parts[i]) { return false }
        for i in (parts.count - partsLo)..<parts.count where !hextetValid(parts[i]) { return false }
        return true
    }

    /// `_parse_hextet` (plus `int('', 16)` failing on an empty hextet).
    private static func hextetValid(_ h: PyScalars) -> Bool {
        !h.isEmpty && h.count <= 4 && h.allSatisfy(PySemUtil.isHexDigit)
    }

    private static func hexScalars(_ v: UInt32) -> PyScalars {
        PySemUtil.scalars(String(v, radix: 16))
    }
}
