#!/usr/bin/env python3
"""Generate a Django project whose static tree is built at random (seeded) for the randomised
differential collectstatic test (Tests/CLITests/CollectRandomisedTests.swift).

    generate_static_tree.py DEST [--seed N] [--css N] [--js N] [--inject-missing N]

DEST receives manage.py, a settings package ``randproj`` (STATIC_ROOT and STATIC_BACKEND come
from the environment, as in fixtures/collect-golden), ``static/`` and a prefixed root
``vendor/`` (collected as ``vendor/...``). A JSON summary (counts of generated files and
references) is printed on stdout.

Every reference the generator writes is one that ManifestStaticFilesStorage resolves without
error in Django 4.2, 5.2 and 6.1 alike: it names a file that exists (or is a data:/http:/
protocol-relative/foreign-absolute/fragment-only URL that Django leaves alone), never escapes
STATIC_ROOT, never uses mismatched quotes or parentheses inside quotes, and the references
between CSS/JS files form chains of at most 4 links without cycles (each CSS/JS file gets a
level 0..4 and only references CSS/JS files of a lower level), so post-processing always
converges within Django's 5 extra passes.

References inside comments and string literals are processed by Django <= 6.0 and ignored by
6.1; they too always name existing files, so every version succeeds while producing different
output. `--inject-missing N` then breaks the tree on purpose for the asset audit: N references
(in every form `reference_path` writes) to files that do not exist, each prepended to a random
CSS file; the summary lists the names they resolve to under "injected_missing". Only the Python
standard library is used; ``random.Random(seed)`` is deterministic
across CPython versions, so a seed always yields the same tree.
"""

import argparse
import json
import os
import posixpath
import random
import sys

STATIC_URL = "/static/"

# Non-adjustable files (images, fonts, misc): tricky names on purpose. No quotes, parentheses,
# '#', '?', ';' or backslashes (those are error or version-dependent cases, covered elsewhere);
# every '%' is followed by a character that is not a hex digit, so double percent-decoding is
# harmless.
BASE_TARGETS = [
    "img/a.png",
    "img/logo.svg",
    "img/sub dir/space name.png",
    "img/ü.png",
    "img/日本語/画像.gif",
    "img/50%.png",
    "img/pct%zz.gif",
    "img/v1.2.3/icon.min.png",
    "img/a.",
    "img/a.tar.gz",
    "img/noext",
    "img/IMG.PNG",
    "img/plus+sign.png",
    "img/dash-and_under.jpg",
    "img/café/ñandú.webp",
    "img/deep/er/est/x.png",
    "img/tilde~name.png",
    "img/comma,name.png",
    "fonts/f.woff",
    "fonts/f.woff2",
    "fonts/f.eot",
    "fonts/f.ttf",
    "fonts/sub/Font Awesome.svg",
    "data/x.json",
    "app.mjs",
    "top.png",
]
VENDOR_TARGETS = ["lib/v.png", "lib/ä b.gif", "v.svg"]

CSS_DIRS = ["css", "css", "css/sub", "css/sub/deeper", "css/ünï", "css/with space", "themes/dark", "", "css/v2.0"]
CSS_NAMES = ["c", "style", "my style", "x.min", "ñ", "pc%x", "a.b.c", "UPPERlower", "main-2", "日本"]
JS_DIRS = ["js", "js", "js/lib", "js/ünï", "js/with space", ""]
JS_NAMES = ["app", "vendor.min", "ä", "mod", "jquery-3.7.1.min", "x y"]

WORDS = ["alpha", "beta", "gamma", "délta", "ε", "жук", "日本", "✓", "naïve", "zoë", "emoji😀", "tab\tbed"]
# Code points that Python's re treats specially (\s matches them; '.' matches U+2028/U+0085/\r).
ODD_TEXT = ["\u2028", "\u0085", "\u00a0", "\u3000", "\x1c", "\r", "\u200b", "\ufeff"]


class Tree:
    def __init__(self, rng):
        self.rng = rng
        self.files = {}  # prefixed path -> bytes (filled at the end for CSS/JS)
        self.roots = {}  # prefixed path -> (root dir name, source path)
        self.targets = []  # non-adjustable prefixed paths
        self.adjustable = []  # (prefixed path, level)
        self.level = {}
        self.derived = {}
        self.references = 0
        self.resolved = 0
        self.kinds = {}

    def cached(self, key, build):
        """A list derived from `adjustable` or `targets`, built once per key: both are complete
        before any file's text is written, so every call would build the same list, in the same
        order (without this, generating a tree of N files takes time in N squared)."""
        if key not in self.derived:
            self.derived[key] = build()
        return self.derived[key]

    def count(self, kind, resolved=True, n=1):
        self.references += n
        if resolved:
            self.resolved += n
        self.kinds[kind] = self.kinds.get(kind, 0) + n


def binary_blob(rng, size):
    return bytes(rng.randrange(256) for _ in range(size))


# --------------------------------------------------------------------------------------------
# URL construction


def encode_some(rng, text, probability):
    """Percent-encode a random subset of the characters of a path (never '/')."""
    out = []
    for ch in text:
        if ch != "/" and (rng.random() < probability or (ch == " " and rng.random() < 0.5)):
            out.append("".join(("%%%02X" if rng.random() < 0.7 else "%%%02x") % b for b in ch.encode("utf-8")))
        else:
            out.append(ch)
    return "".join(out)


def reference_path(rng, referrer, target, allow_absolute=True):
    """A URL path from the file `referrer` to the existing file `target` (prefixed paths)."""
    start = posixpath.dirname(referrer)
    depth = len(start.split("/")) if start else 0
    rel = posixpath.relpath(target, start or ".")
    choice = rng.random()
    if choice < 0.45:
        path = rel
    elif choice < 0.55:
        path = "./" + rel
    elif choice < 0.63 and depth:
        path = "../" * depth + target
    elif choice < 0.70 and depth:
        # a detour through an existing or non-existing directory, collapsed by normpath
        path = "../" * depth + start.split("/")[0] + "/../" + target
    elif choice < 0.74 and depth:
        # already percent-encoded: not encoded again below (that would decode differently twice)
        return ("%2E%2E/" if rng.random() < 0.5 else "%2e%2e/") * depth + target
    elif allow_absolute and choice < 0.90:
        path = STATIC_URL + target
    elif allow_absolute and posixpath.dirname(target):
        path = STATIC_URL + posixpath.dirname(target) + "/./" + posixpath.basename(target)
    else:
        path = rel
    if rng.random() < 0.25:
        path = encode_some(rng, path, 0.12)
    return path


def suffix(rng, target):
    if target.startswith("fonts/") and target.endswith(".eot") and rng.random() < 0.6:
        return "?#iefix"
    return rng.choice(["", "", "", "", "#frag", "?v=1", "?v=1#x", "#", "?", "?#", "?v=1&w=two", "#a:b"])


IGNORED_URLS = [
    "data:image/png;base64,iVBORw0KGgo=",
    "data:image/svg+xml;charset=utf8,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27%3E%3C/svg%3E",
    "http://example.com/x.png",
    "https://cdn.example.com/a/b.css?x=1#y",
    "//cdn.example.com/proto.png",
    "/other/img/a.png",
    "#foo",
    "about:blank",
]


# --------------------------------------------------------------------------------------------
# CSS fragments: each returns a text (one or more complete lines, without the final newline)


def pick_target(tree, rng, level, adjustable_probability=0.35):
    lower = tree.cached(("lower", level), lambda: [p for p, lv in tree.adjustable if lv < level])
    if lower and rng.random() < adjustable_probability:
        return rng.choice(lower)
    return rng.choice(tree.targets)


def css_url(tree, rng, name, level, in_quotes_ok=True):
    """`url(...)` naming an existing file, with random spelling."""
    target = pick_target(tree, rng, level)
    url = reference_path(rng, name, target) + suffix(rng, target)
    function = rng.choice(["url", "url", "url", "URL", "Url", "uRl"])
    quote = rng.choice(["", "", '"', "'"]) if in_quotes_ok else ""
    if quote:
        lead = rng.choice(["", "", " ", "\t"])
        trail = rng.choice(["", "", "", "  "])
        return f"{function}({quote}{lead}{url}{trail}{quote})"
    lead = rng.choice(["", "", "", " ", "  ", "\n", "\r\n ", "\u00a0", "\u3000"])
    trail = rng.choice(["", "", "", " ", "\t"])
    return f"{function}({lead}{url}{trail})"


def css_import(tree, rng, name, level):
    lower = tree.cached(("lower-css", level),
                        lambda: [p for p, lv in tree.adjustable if lv < level and p.endswith(".css")])
    target = rng.choice(lower) if lower and rng.random() < 0.8 else rng.choice(tree.targets)
    url = reference_path(rng, name, target) + rng.choice(["", "", "", "#x", "?v=2"])
    keyword = rng.choice(["@import", "@import", "@import", "@IMPORT", "@Import", "@ımport", "@İMPORT"])
    form = rng.randrange(6)
    if form == 0:
        return f'{keyword} "{url}";'
    if form == 1:
        return f"{keyword} '{url}' screen;"
    if form == 2:
        return f"{keyword} url({url});"
    if form == 3:
        return f'{keyword} url("{url}") print, screen;'
    if form == 4:
        return f'{keyword}"{url}";'
    return f"{keyword}\n  '{url}';"


def css_rule(tree, rng, name, level):
    selector = rng.choice([".a", "#b", "body > p", ".ünï", ".日本", "a:hover", ".x\\:y", "div.c-1", "*"])
    prop = rng.choice(["background", "background-image", "list-style", "cursor", "mask", "border-image"])
    n = rng.choice([1, 1, 1, 2, 3])
    urls = ", ".join(css_url(tree, rng, name, level) for _ in range(n))
    tree.count("css-url", n=n)
    return f"{selector} {{ {prop}: {urls}; }}"


def css_font_face(tree, rng, name, level):
    fonts = tree.cached("fonts", lambda: [t for t in tree.targets if t.startswith("fonts/")])
    parts = []
    for _ in range(rng.randrange(1, 4)):
        target = rng.choice(fonts)
        url = reference_path(rng, name, target) + suffix(rng, target)
        quote = rng.choice(["", '"', "'"])
        parts.append(f"url({quote}{url}{quote}) format('{posixpath.splitext(target)[1][1:] or 'x'}')")
    tree.count("css-font", n=len(parts))
    return "@font-face { font-family: 'F ✓'; src: " + ", ".join(parts) + "; }"


def css_ignored(tree, rng, name, level):
    url = rng.choice(IGNORED_URLS)
    quote = rng.choice(["", '"', "'"])
    if quote == "" and " " in url:
        quote = '"'
    tree.count("css-ignored-url", resolved=False)
    return f".ign{rng.randrange(100)} {{ background: url({quote}{url}{quote}); }}"


def css_empty(tree, rng, name, level):
    tree.count("css-empty-url", resolved=False)
    return rng.choice([".e { background: url(); }", '.e { background: url(""); }', ".e { background: url(''); }"])


def css_comment(tree, rng, name, level):
    inner = rng.choice([
        lambda: f"old: {css_url(tree, rng, name, level)} don't use",
        lambda: f"{css_import(tree, rng, name, level)} was here",
        lambda: f"multi\nline {css_url(tree, rng, name, level)}\nstill comment",
    ])()
    tree.count("css-in-comment")
    return f"/* {inner} {rng.choice(WORDS)} */"


def css_string(tree, rng, name, level):
    form = rng.randrange(4)
    tree.count("css-in-string")
    if form == 0:
        return f'.s::before {{ content: "{css_url(tree, rng, name, level, in_quotes_ok=False)}"; }}'
    if form == 1:
        url = reference_path(rng, name, pick_target(tree, rng, level))
        return f".s::after {{ content: 'see url(\"{url}\") {rng.choice(WORDS)}'; }}"
    if form == 2:
        # a string continued over an escaped newline (still one string in 6.1)
        return f'.s {{ content: "line \\\n{css_url(tree, rng, name, level, in_quotes_ok=False)} ✓"; }}'
    url = reference_path(rng, name, pick_target(tree, rng, level))
    return f".s {{ --x: '@import \"{url}\"'; }}"


def css_sourcemap(tree, rng, name, level, at_column_zero=True):
    maps = tree.cached("maps", lambda: [t for t in tree.targets if t.endswith(".map")])
    if rng.random() < 0.25:
        url = rng.choice(["data:application/json;base64,e30=", "http://example.com/s.css.map", "//cdn.example.com/s.map"])
        tree.count("css-sourcemap-ignored", resolved=False)
    else:
        target = rng.choice(maps)
        url = reference_path(rng, name, target) + rng.choice(["", "", "?v=3", "#m"])
        tree.count("css-sourcemap")
    form = rng.randrange(4)
    if form == 0:
        line = f"/*# sourceMappingURL={url} */"
    elif form == 1:
        line = f"/*#\tsourceMappingURL={url}   */"
    elif form == 2:
        line = f"/*# sourceMappingURL={url}*/"
    else:
        line = f"/*# sourceMappingURL={url} \t*/"
    if not at_column_zero:
        return rng.choice([" ", "\t", "a{} "]) + line
    if rng.random() < 0.15:
        # inside a multi-line comment: processed <= 6.0, ignored by 6.1
        return "/* a comment that spans\n" + line + "\nlines */"
    return line


def css_trap(tree, rng, name, level):
    """Odd-but-valid spellings."""
    target = pick_target(tree, rng, level)
    url = reference_path(rng, name, target)
    form = rng.randrange(6)
    tree.count("css-trap")
    if form == 0:
        return f".w {{ background: my-url({url}); }}"  # no word boundary
    if form == 1:
        return f".w {{ background: xurl('{url}'); }}"
    if form == 2:
        return f".w {{ background-image: image-set(\"{url}\" 1x); b: url({url}); }}"
    if form == 3:
        return f".w{{background:url({url})}}.v{{background:url({url}#two)}}"
    if form == 4:
        return f".w {{ background: url({url}?v=1&x=é); }}"
    return f".w {{ background: url({url}) no-repeat, url(data:,x); }}"


def css_self(tree, rng, name, level):
    """A self reference with a query string: misses the hashed-files map, so it converges."""
    tree.count("css-self-query")
    return f".self {{ background: url({posixpath.basename(name)}?self=1); }}"


def css_text(tree, rng, name, level):
    return rng.choice([
        f".t {{ color: red; /* {rng.choice(WORDS)} {rng.choice(ODD_TEXT)} */ }}",
        f".t::after {{ content: \"{rng.choice(WORDS)}{rng.choice(ODD_TEXT)}\"; }}",
        "@media (max-width: 600px) { .m { display: none } }",
        f"/* apostrophe's in a comment {rng.choice(WORDS)} */",
        ".x { width: calc(100% - 2px); }",
        f"/* {rng.choice(WORDS)} */ .y {{ z-index: 1 }}",
    ])


CSS_FRAGMENTS = [
    (css_rule, 30), (css_import, 10), (css_font_face, 4), (css_ignored, 8), (css_empty, 2), (css_comment, 6),
    (css_string, 6), (css_sourcemap, 4), (lambda t, r, n, l: css_sourcemap(t, r, n, l, False), 2),
    (css_trap, 6), (css_self, 1), (css_text, 12),
]


# --------------------------------------------------------------------------------------------
# JS fragments (the default storage only rewrites `//# sourceMappingURL=` lines at column 0)


def js_sourcemap(tree, rng, name, level):
    maps = tree.cached("maps", lambda: [t for t in tree.targets if t.endswith(".map")])
    lower = tree.cached(("lower", level), lambda: [p for p, lv in tree.adjustable if lv < level])
    if rng.random() < 0.2:
        url = rng.choice(["https://example.com/app.js.map", "data:application/json;base64,e30=", "//cdn.example.com/a.map"])
        tree.count("js-sourcemap-ignored", resolved=False)
    else:
        target = rng.choice(lower) if lower and rng.random() < 0.2 else rng.choice(maps)
        url = reference_path(rng, name, target) + rng.choice(["", "", "", "?v=3", "#m", "   ", "\t"])
        tree.count("js-sourcemap")
    line = f"//# sourceMappingURL={url}"
    form = rng.random()
    if form < 0.12:
        return "/* a block comment\n" + line + "\n*/"  # ignored by 6.1 only
    if form < 0.22:
        return "const tpl = `template\n" + line + "\n`;"  # ignored by 6.1 only
    return line


def js_text(tree, rng, name, level):
    target = pick_target(tree, rng, level, 0.0)
    url = reference_path(rng, name, target)
    tree.count("js-unprocessed", resolved=False)
    return rng.choice([
        f'var s = "url({url})";',
        f"const css = 'background: url(\"{url}\")';",
        f"// a comment with url({url}) and {rng.choice(WORDS)}",
        f'let t = `multi\nline ${{x}} {rng.choice(WORDS)}`;',
        f"  //# sourceMappingURL=not-column-zero-{rng.randrange(9)}.map",
        f"//@ sourceMappingURL=old-style.map",
        f"/*# sourceMappingURL=css-style-in-js.map */",
        f'import x from "./not-rewritten-{rng.randrange(9)}.js";',
        f"console.log(\"{rng.choice(WORDS)}{rng.choice(ODD_TEXT)}\");",
        "function f(a) { return a / 2; }",
    ])


JS_FRAGMENTS = [(js_sourcemap, 3), (js_text, 7)]


def weighted(rng, table):
    total = sum(w for _, w in table)
    x = rng.uniform(0, total)
    for fn, w in table:
        x -= w
        if x <= 0:
            return fn
    return table[-1][0]


# --------------------------------------------------------------------------------------------


def build(rng, css_count, js_count):
    tree = Tree(rng)
    for path in BASE_TARGETS:
        tree.targets.append(path)
        tree.files[path] = binary_blob(rng, rng.randrange(1, 64))
    for path in VENDOR_TARGETS:
        tree.targets.append("vendor/" + path)
        tree.files["vendor/" + path] = binary_blob(rng, rng.randrange(1, 64))
    for i in range(20):
        path = f"img/gen/{rng.choice(['i', 'pic', 'ñ', 'a b'])}{i}.{rng.choice(['png', 'gif', 'svg', 'jpg'])}"
        tree.targets.append(path)
        tree.files[path] = binary_blob(rng, rng.randrange(1, 200))

    used = set(tree.files)

    def new_name(dirs, names, ext, i):
        while True:
            directory = rng.choice(dirs)
            base = f"{rng.choice(names)}{i if rng.random() < 0.7 else ''}{ext}"
            path = f"{directory}/{base}" if directory else base
            if path not in used:
                used.add(path)
                return path
            i += 1000

    sources = []
    for i in range(css_count):
        sources.append(new_name(CSS_DIRS, CSS_NAMES, ".css", i))
    for i in range(js_count):
        sources.append(new_name(JS_DIRS, JS_NAMES, ".js", i))
    # a vendor CSS file (prefixed root)
    sources.append("vendor/lib/vendor.css")
    used.add("vendor/lib/vendor.css")
    for path in sources:
        level = min(4, int(rng.random() ** 1.6 * 5))
        tree.adjustable.append((path, level))
        tree.level[path] = level
        if rng.random() < 0.5:  # a source map next to it
            tree.targets.append(path + ".map")
            tree.files[path + ".map"] = json.dumps({"version": 3, "file": posixpath.basename(path)}).encode()

    for path, level in tree.adjustable:
        table = CSS_FRAGMENTS if path.endswith(".css") else JS_FRAGMENTS
        parts = []
        if level and path.endswith(".css"):
            # make sure chains exist: reference one file of the level just below
            below = tree.cached(("below-css", level),
                                lambda: [p for p, lv in tree.adjustable if lv == level - 1 and p.endswith(".css")])
            if below:
                target = rng.choice(below)
                parts.append(f"@import url({reference_path(rng, path, target)});")
                tree.count("css-chain")
        for _ in range(rng.randrange(6, 19)):
            parts.append(weighted(rng, table)(tree, rng, path, level))
        rng.shuffle(parts)
        if path.endswith(".js") and rng.random() < 0.6:
            parts.append(js_sourcemap(tree, rng, path, level))  # the usual last line
        newline = "\r\n" if rng.random() < 0.2 else "\n"
        text = newline.join(p.replace("\n", newline) if newline == "\r\n" else p for p in parts)
        if rng.random() < 0.8:
            text += newline
        if rng.random() < 0.12:
            text = "\ufeff" + text
        if rng.random() < 0.1 and path.endswith(".css"):
            # an unterminated comment at the end: not a comment block for 6.1, still processed
            text += f"/* unterminated {css_url(tree, rng, path, level)}"
            tree.count("css-unterminated-comment")
        tree.files[path] = text.encode("utf-8")

    # files that must never be post-processed (not adjustable or ignored): broken references
    for path, text in [
        ("css/UP.CSS", "a{background:url(missing.png)}\n"),
        ("css/x.css.map", '{"version":3,"sources":["url(missing.png)"]}'),
        ("css/.hidden.css", "a{background:url(missing.png)}\n"),
        ("css/backup.css~", "a{background:url(missing.png)}\n"),
        ("js/app.mjs", "//# sourceMappingURL=missing.map\n"),
        ("css/tool.scss", "@import 'missing';\n"),
    ]:
        tree.files[path] = text.encode()
    return tree


SETTINGS = '''"""Generated by Tests/Reference/generate_static_tree.py (seed {seed}); STATIC_ROOT and
STATIC_BACKEND come from the environment so that Django and djstatic collect the same sources
into two directories."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "generated-not-secret"
INSTALLED_APPS = ["django.contrib.staticfiles"]
STATIC_URL = "{static_url}"
STATIC_ROOT = os.environ["STATIC_ROOT"]
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor", BASE_DIR / "vendor")]
STORAGES = {{
    "default": {{"BACKEND": "django.core.files.storage.FileSystemStorage"}},
    "staticfiles": {{"BACKEND": os.environ.get(
        "STATIC_BACKEND", "django.contrib.staticfiles.storage.ManifestStaticFilesStorage")}},
}}
'''

MANAGE = '''#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "randproj.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
'''


def write(dest, tree, seed):
    os.makedirs(os.path.join(dest, "randproj"), exist_ok=True)
    with open(os.path.join(dest, "manage.py"), "w") as f:
        f.write(MANAGE)
    with open(os.path.join(dest, "randproj", "__init__.py"), "w") as f:
        pass
    with open(os.path.join(dest, "randproj", "settings.py"), "w") as f:
        f.write(SETTINGS.format(seed=seed, static_url=STATIC_URL))
    for path, data in tree.files.items():
        if path.startswith("vendor/"):
            full = os.path.join(dest, "vendor", path[len("vendor/"):])
        else:
            full = os.path.join(dest, "static", path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
        # a fixed mtime in the past: re-runs see every source as unmodified
        os.utime(full, (1600000000, 1600000000))


def inject_missing(tree, rng, count):
    """Prepends to random CSS files a `url()` to a file that does not exist (nothing is open at
    the start of a file: no comment, string or block hides it from any Django version)."""
    injected = []
    css = [p for p, _ in tree.adjustable if p.endswith(".css")]
    for i in range(count):
        referrer = rng.choice(css)
        target = f"{rng.choice(['img', 'fonts', 'css/missing'])}/missing-{i}{rng.choice(['.png', '.woff2', '.svg'])}"
        path = reference_path(rng, referrer, target)
        while path.startswith("/") and not path.startswith(STATIC_URL):
            path = reference_path(rng, referrer, target)  # an encoded STATIC_URL is not a static reference
        line = f".injected-{i} {{ background: url(\"{path}{suffix(rng, target)}\"); }}\n"
        data = tree.files[referrer]
        bom = "\ufeff".encode() if data.startswith("\ufeff".encode()) else b""
        tree.files[referrer] = bom + line.encode() + data[len(bom):]
        injected.append(target)
    return injected


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest")
    parser.add_argument("--seed", type=int, default=20240917)
    parser.add_argument("--css", type=int, default=90)
    parser.add_argument("--js", type=int, default=40)
    parser.add_argument("--inject-missing", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tree = build(rng, args.css, args.js)
    injected = inject_missing(tree, rng, args.inject_missing)
    write(args.dest, tree, args.seed)
    css = sum(1 for p, _ in tree.adjustable if p.endswith(".css"))
    js = sum(1 for p, _ in tree.adjustable if p.endswith(".js"))
    levels = {}
    for _, lv in tree.adjustable:
        levels[lv] = levels.get(lv, 0) + 1
    json.dump({
        "seed": args.seed, "css_files": css, "js_files": js, "files": len(tree.files),
        "references": tree.references, "resolving_references": tree.resolved,
        "kinds": dict(sorted(tree.kinds.items())), "levels": dict(sorted(levels.items())),
        "injected_missing": injected,
    }, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
