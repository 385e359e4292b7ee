import DJSettings

/// A unified diff (as `diff -u` / `git diff` print it) of a file rewritten by line edits.
public enum UnifiedDiff {
    /// `path` is shown as `a/path` and `b/path`; `display` replaces the text of original lines
    /// when shown (e.g. a line holding a credential, masked).
    public static func render(path: String, original: [String], edits: [MigrationPlan.Edit], finalNewline: Bool = true,
                              display: [Int: String] = [:], context: Int = 3) -> String {
        let edits = edits.sorted { $0.start < $1.start }
        guard !edits.isEmpty else { return "" }
        func shown(_ line: Int) -> String { display[line] ?? original[line - 1] }
        var groups: [[MigrationPlan.Edit]] = []
        for edit in edits {
            if let last = groups.last?.last, edit.start - last.end - 1 <= 2 * context {
                groups[groups.count - 1].append(edit)
            } else {
                groups.append([edit])
            }
        }
        var out = "--- a/\(path)\n+++ b/\(path)\n"
        var delta = 0
        for group in groups {
            let first = max(1, group[0].start - context), last = min(original.count, group[group.count - 1].end + context)
            var body: [String] = []
            var added = 0, removed = 0
            var line = first
            var pending = group[...]
            while line <= last {
                if let edit = pending.first, edit.start == line {
                    for old in edit.start...edit.end { body.append("-" + shown(old)) }
                    let new = edit.lines
                    body += new.map { "+" + $0 }
                    removed += edit.end - edit.start + 1
                    added += new.count
                    line = edit.end + 1
                    pending = pending.dropFirst()
                } else {
                    body.append(" " + shown(line))
                    line += 1
                }
            }
            let oldCount = last - first + 1, newCount = oldCount - removed + added
            out += "@@ -\(range(first, oldCount)) +\(range(first + delta, newCount)) @@\n"
            out += body.joined(separator: "\n") + "\n"
            if !finalNewline && last == original.count { out += "\\ No newline at end of file\n" }
            delta += added - removed
        }
        return out
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start)" : "\(count == 0 ? start - 1 : start),\(count)"
    }
}
