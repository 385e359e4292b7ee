import DJCollect
import DJStaticFiles
import Foundation
import Glibc

/// collect's progress on a terminal: one line on standard error, redrawn at most every 100 ms and
/// erased before anything else is printed and at the end.
final class ProgressLine {
    private var lastDraw: UInt64 = 0
    private var visible = false
    private let width: Int

    /// nil unless standard error is a terminal.
    static func forTerminal() -> ProgressLine? {
        guard isatty(2) != 0 else { return nil }
        var size = winsize()
        let columns = ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        return ProgressLine(width: columns)
    }

    private init(width: Int) { self.width = width }

    func update(_ progress: CollectProgress) {
        let now = DispatchTime.now().uptimeNanoseconds
        let finished: Bool
        if case .postProcessing(let done, let total) = progress { finished = done == total } else { finished = false }
        guard finished || now - lastDraw >= 100_000_000 else { return }
        lastDraw = now
        draw(Self.text(progress, width: width))
    }

    /// Erases the line (before other output, and at the end).
    func clear() {
        guard visible else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        visible = false
    }

    private func draw(_ text: String) {
        FileHandle.standardError.write(Data(("\r" + text + "\u{1B}[K").utf8))
        visible = true
    }

    /// `Collecting  1234 files` during the walk; a bar with counts while post-processing.
    static func text(_ progress: CollectProgress, width: Int) -> String {
        switch progress {
        case .collecting(let found):
            return "Collecting \(found) file\(found == 1 ? "" : "s")"
        case .postProcessing(let done, let total):
            let counts = " \(done)/\(total)"
            let label = "Post-processing "
            let barWidth = max(10, min(40, width - label.count - counts.count - 3))
            let filled = total == 0 ? barWidth : barWidth * done / total
            return label + "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled)
                + "]" + counts
        }
    }
}
