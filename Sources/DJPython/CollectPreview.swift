import DJSettings
import Glibc

/// The pipe through which the evaluator previews collectstatic's description: the helper writes
/// it (one JSON line, the shape of `collect`) as soon as `apps.populate` has created the app
/// configs, before it imports the models modules and runs the `ready()` methods, which are most of
/// a large project's `django.setup()` (djstatic_collect.py `describe`). djstatic reads the named
/// files on another core meanwhile; the collect itself always starts from the description taken
/// after setup.
public final class CollectPreview: @unchecked Sendable {  // each end is used by one thread
    public struct Previewed: Sendable {
        public var description: CollectDescription
        public var djangoVersion: DjangoVersion
        public var pythonVersion: String
    }

    private let reader: Int32
    /// The end the helper writes to (`preview_fd` of the request); closed by `finishWriting`.
    public private(set) var writer: Int32

    /// nil when no pipe can be made (the collect then simply does not read ahead).
    public init?() {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        reader = ends[0]
        writer = ends[1]
    }

    /// After the evaluation returned: closes the write end, so `receive` ends when no preview came.
    public func finishWriting() {
        if writer >= 0 { close(writer) }
        writer = -1
    }

    /// Blocks until the preview arrives or the evaluation ends without one; nil when none came or it
    /// does not describe a collect djstatic performs.
    public func receive() -> Previewed? {
        defer { close(reader) }
        var line: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            if let end = buffer[0..<count].firstIndex(of: UInt8(ascii: "\n")) {
                line += buffer[0..<end]
                break
            }
            line += buffer[0..<count]
        }
        guard let wire = try? Wire.parse(String(decoding: line, as: UTF8.self), what: "preview"),
              let python = try? wire.string("python_version"),
              let django = try? wire.optionalString("django_version").flatMap(DjangoVersion.init),
              case .success(let description)? = try? EvaluationAnswer.collectDescription(wire["collect"]) else { return nil }
        return Previewed(description: description, djangoVersion: django, pythonVersion: python)
    }
}
