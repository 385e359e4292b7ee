"""Wheels of djstatic, written with the standard library only.

- `djstatic`: the release binary in `djstatic-<version>.data/scripts/` beside its Python helpers
  (`djstatic_DJPython.resources/`, the layout the binary looks for next to itself), and the
  `djstatic` Django app. Scripts/build-wheel calls `python3 python/djstatic_wheel.py binary ...`.
- `djstatic-pre-commit`: what pre-commit's `language: python` hooks install from this repository
  (`pip install .`, pyproject.toml names this module as the in-tree PEP 517 backend, so building
  needs nothing from an index). It holds no code; it requires `djstatic==<version>`, the wheel
  above, from the configured index or `PIP_FIND_LINKS` (as ruff-pre-commit requires ruff).

The version is the one `djstatic --version` prints: `version = "..."` in Sources/djstatic/Djstatic.swift.
"""
import base64
import hashlib
import os
import re
import sys
import zipfile

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(REPOSITORY, "python", "djstatic")
# Fixed timestamps: the same inputs give the same wheel bytes.
EPOCH = (1980, 1, 1, 0, 0, 0)


def version():
    with open(os.path.join(REPOSITORY, "Sources", "djstatic", "Djstatic.swift"), encoding="utf-8") as source:
        return re.search(r'static let version = "([^"]+)"', source.read()).group(1)


def _record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def write_wheel(directory, name, version, tag, files, metadata_lines=()):
    """Writes `<name>-<version>-<tag>.whl` into `directory` from `files`, a list of (path inside
    the wheel, bytes, mode); returns its path."""
    distribution = name.replace("-", "_")
    info = f"{distribution}-{version}.dist-info"
    metadata = "\n".join(["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", *metadata_lines]) + "\n"
    wheel = "\n".join(["Wheel-Version: 1.0", "Generator: djstatic (python/djstatic_wheel.py)",
                       f"Root-Is-Purelib: {'true' if tag.endswith('-any') else 'false'}", f"Tag: {tag}"]) + "\n"
    entries = list(files) + [(f"{info}/METADATA", metadata.encode(), 0o644), (f"{info}/WHEEL", wheel.encode(), 0o644)]
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data, _ in entries) + f"{info}/RECORD,,\n"
    entries.append((f"{info}/RECORD", record.encode(), 0o644))
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{distribution}-{version}-{tag}.whl")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for arcname, data, mode in entries:
            entry = zipfile.ZipInfo(arcname, EPOCH)
            entry.external_attr = (0o100000 | mode) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return path


def _tree(root, prefix):
    """(path inside the wheel, bytes, mode) of every file under `root`, sorted, caches skipped."""
    out = []
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for filename in sorted(names):
            path = os.path.join(directory, filename)
            with open(path, "rb") as handle:
                data = handle.read()
            mode = 0o755 if os.access(path, os.X_OK) else 0o644
            out.append((prefix + os.path.relpath(path, root).replace(os.sep, "/"), data, mode))
    return out


def binary_wheel(directory, binary, resources, tag):
    """The djstatic wheel: `binary`, the `resources` bundle SwiftPM built beside it, the Django app."""
    v = version()
    scripts = f"djstatic-{v}.data/scripts/"
    with open(binary, "rb") as handle:
        files = [(scripts + "djstatic", handle.read(), 0o755)]
    files += _tree(resources, scripts + os.path.basename(resources) + "/")
    files += _tree(PACKAGE, "djstatic/")
    return write_wheel(directory, "djstatic", v, tag, files, [
        "Summary: Check Django settings' static-file configuration and collect static files natively",
        "Classifier: Framework :: Django",
        "Classifier: Operating System :: POSIX :: Linux",
    ])


# PEP 517 in-tree backend (pyproject.toml): the pre-commit mirror package.

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    v = version()
    path = write_wheel(wheel_directory, "djstatic-pre-commit", v, "py3-none-any", [], [
        "Summary: pre-commit's Python environment for djstatic's hooks: requires the djstatic wheel",
        f"Requires-Dist: djstatic=={v}",
    ])
    return os.path.basename(path)


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "binary":
        print(binary_wheel(*sys.argv[2:]))
    elif len(sys.argv) == 2 and sys.argv[1] == "version":
        print(version())
    else:
        sys.exit("usage: djstatic_wheel.py binary OUT_DIR BINARY RESOURCES_DIR TAG | version")
