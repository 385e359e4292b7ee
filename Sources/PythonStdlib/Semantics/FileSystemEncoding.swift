#if canImport(Glibc)
import Glibc
#endif

/// Python's file-system encoding on Linux (`os.fsdecode`/`os.fsencode`: UTF-8 with
/// `surrogateescape`): a path is bytes, and each byte that is not part of valid UTF-8 is carried in
/// a `str` as U+DC80–U+DCFF. A Swift `String` cannot hold a lone surrogate, so djstatic carries
/// such a byte as U+10FF80–U+10FFFF (the end of plane 16's private use area) instead: `decode`
/// and `encode` are exact inverses, system calls get the original bytes (`withPath`), and the
/// wire to Python swaps the two ranges (`djstatic_evaluator._loads`).
public enum FileSystemEncoding {
    /// An escaped byte `b` (0x80–0xFF) is the scalar `escapeBase + b`.
    public static let escapeBase: UInt32 = 0x10FF00

    /// The path in `bytes` as a String (valid UTF-8 decoded, every other byte escaped).
    public static func decode(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                scalars.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .error(let length):
                for byte in bytes[offset..<offset + length] { scalars.append(Unicode.Scalar(escapeBase + UInt32(byte))!) }
                offset += length
            case .emptyInput:
                return String(scalars)
            }
        }
    }

    /// The bytes of a path `decode` made (escaped bytes back to themselves, the rest UTF-8).
    public static func encode(_ path: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if scalar.value >= escapeBase + 0x80 {
                out.append(UInt8(truncatingIfNeeded: scalar.value - escapeBase))
            } else {
                out += UTF8Encoding.bytes(CollectionOfOne(scalar))
            }
        }
        return out
    }

    /// Calls `body` with the path's bytes as a C string, for a system call.
    public static func withPath<R>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try (encode(path) + [0]).withUnsafeBufferPointer { bytes in
            try bytes.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// The process's arguments, each decoded as a path (`CommandLine.arguments` would replace
    /// the bytes of a non-UTF-8 file name by U+FFFD, and that file is then not found).
    public static var arguments: [String] {
        (0..<Int(CommandLine.argc)).map { index in
            guard let argument = CommandLine.unsafeArgv[index] else { return "" }
            return decode(Array(UnsafeBufferPointer(start: UnsafeRawPointer(argument).assumingMemoryBound(to: UInt8.self),
                                                    count: strlen(argument))))
        }
    }
}
