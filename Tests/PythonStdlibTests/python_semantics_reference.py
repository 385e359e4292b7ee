"""Reference side of PythonSemanticsDifferentialTests.

Reads {"cases": [[function, args], ...]} as JSON on stdin, where every string argument is the
hex encoding of its UTF-8 bytes (so NFC/NFD, controls and astral characters travel exactly),
runs the CPython standard-library function for each case and prints one line per case:

    s<hex>            a str result (UTF-8, hex)
    T / F             a bool result
    (<r>,<r>,...)     a tuple result
    E<ExceptionName>  the call raised
    U                 json_loads: the value holds what Swift cannot (a lone surrogate, an int
                      outside a signed 64-bit integer), which the Swift side refuses

The Swift test renders its own results the same way and compares the lines.
"""

import fnmatch
import json
import os
import posixpath
import struct
import sys
import urllib.parse as up


def d(h):
    return bytes.fromhex(h).decode("utf-8")


def rep(x):
    if isinstance(x, bool):
        return "T" if x else "F"
    if isinstance(x, str):
        return "s" + x.encode("utf-8").hex()
    if isinstance(x, tuple):
        return "(" + ",".join(rep(y) for y in x) + ")"
    raise TypeError(type(x))


def build_json(t):
    k = t[0]
    if k == "s":
        return d(t[1])
    if k == "i":
        return int(t[1])
    if k == "f":
        return struct.unpack("<d", int(t[1]).to_bytes(8, "little"))[0]
    if k == "b":
        return bool(t[1])
    if k == "n":
        return None
    if k == "a":
        return [build_json(x) for x in t[1]]
    if k == "o":
        return {d(key): build_json(v) for key, v in t[1]}
    raise ValueError(k)


def representable(x):
    if isinstance(x, str):
        return not any("\ud800" <= ch <= "\udfff" for ch in x)
    if isinstance(x, bool) or x is None or isinstance(x, float):
        return True
    if isinstance(x, int):
        return -(2**63) <= x < 2**63
    if isinstance(x, list):
        return all(representable(y) for y in x)
    return all(representable(k) and representable(v) for k, v in x.items())


def json_loads(text):
    value = json.loads(text)
    return json.dumps(value) if representable(value) else UNREPRESENTABLE


UNREPRESENTABLE = object()


def abspath(p, cwd):
    real = os.getcwd
    os.getcwd = lambda: cwd
    try:
        return posixpath.abspath(p)
    finally:
        os.getcwd = real


FUNCS = {
    "normpath": posixpath.normpath,
    "join": posixpath.join,
    "split": posixpath.split,
    "splitext": posixpath.splitext,
    "dirname": posixpath.dirname,
    "basename": posixpath.basename,
    "isabs": posixpath.isabs,
    "abspath": abspath,
    "unquote": up.unquote,
    "quote": lambda s, safe: up.quote(s, safe=safe),
    "urlsplit": lambda u: tuple(up.urlsplit(u)),
    "urlsplit_x": lambda u, scheme, af: tuple(up.urlsplit(u, scheme, af == "1")),
    "urlparse": lambda u: tuple(up.urlparse(u)),
    "urlsplit_hostname": lambda u: up.urlsplit(u).hostname or "",
    "urlunsplit": lambda *c: up.urlunsplit(c),
    "urlunparse": lambda *c: up.urlunparse(c),
    "urldefrag": lambda u: tuple(up.urldefrag(u)),
    "urljoin": up.urljoin,
    "fnmatchcase": fnmatch.fnmatchcase,
    "strip": str.strip,
    "lt": lambda a, b: a < b,
    "eq": lambda a, b: a == b,
    "json_loads": json_loads,
}


def main():
    data = json.load(sys.stdin)
    out = []
    for name, args in data["cases"]:
        try:
            if name == "json_dumps":
                r = json.dumps(build_json(args))
            else:
                r = FUNCS[name](*[d(a) for a in args])
            out.append("U" if r is UNREPRESENTABLE else rep(r))
        except Exception as exc:  # noqa: BLE001 - the exception type is the result
            out.append("E" + type(exc).__name__)
    sys.stdout.write("\n".join(out))
    sys.stdout.write("\n")


main()
