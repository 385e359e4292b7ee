import Foundation

/// Where the evaluator's `.py` files are: `djstatic_DJPython.resources/Resources/` beside the
/// running executable (symbolic links resolved). SwiftPM's build directories have that layout, and
/// so does the wheel (`Scripts/build-wheel` puts both in the virtualenv's `bin/`). There is no
/// other place: SwiftPM's generated `Bundle.module` would fall back to the absolute path of the
/// build directory, which makes a moved or installed binary seem to work only on the machine that
/// built it.
public enum HelperResources {
    public static let bundleName = "djstatic_DJPython.resources"

    /// The running executable, symbolic links resolved (a pipx or hand-made link in ~/.local/bin
    /// names the installed binary).
    public static var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }

    public static var directory: URL {
        executable.deletingLastPathComponent().appendingPathComponent(bundleName + "/Resources")
    }

    static func missing(_ name: String) -> String {
        "\(directory.appendingPathComponent(name).path) is missing: djstatic's Python helpers ship beside the executable "
            + "(\(bundleName)/); install the whole wheel or build directory, not the binary alone"
    }
}
