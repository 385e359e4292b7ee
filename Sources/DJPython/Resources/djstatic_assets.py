"""What the asset audit (``djstatic check --select ASSET``) needs from the set-up project, taken
from the live objects: the staticfiles storage's reference patterns (its own ``_patterns`` when it
post-processes, else the installed Django's default ones), whether a missing reference makes
collectstatic fail, the manifest's strictness, and every literal path given to ``{% static %}``
in the project's templates (Django's own lexer) or to ``static()`` in Jinja2 templates."""

import os

import djstatic_collect
from djstatic_collect import dotted


def describe():
    """Called after ``django.setup()`` (djstatic_collect.describe)."""
    from django.contrib.staticfiles.storage import HashedFilesMixin, ManifestFilesMixin, staticfiles_storage
    from django.utils.functional import empty

    if staticfiles_storage._wrapped is empty:
        with djstatic_collect._no_remote_manifest_read():
            staticfiles_storage._setup()
    storage = staticfiles_storage._wrapped
    rewrites = isinstance(storage, HashedFilesMixin)
    if rewrites:
        patterns = djstatic_collect._live_patterns(storage)
    else:  # the references a browser follows are the ones Django's default patterns find
        probe = HashedFilesMixin.__new__(HashedFilesMixin)
        HashedFilesMixin.__init__(probe)
        patterns = djstatic_collect._live_patterns(probe)
    return {
        "storage_class": dotted(type(storage)),
        "rewrites": rewrites,
        "manifest_strict": bool(storage.manifest_strict) if isinstance(storage, ManifestFilesMixin) else None,
        "patterns": patterns,
        "templates": _template_references(),
    }


def _template_references():
    from django.template import engines

    found = []
    for engine in engines.all():
        backend = type(engine).__module__
        if backend == "django.template.backends.django":
            for directory in _django_template_dirs(engine.engine):
                for path in _files(directory):
                    found.extend(_django_references(path, engine.engine.file_charset))
        elif backend == "django.template.backends.jinja2" and "static" in engine.env.globals:
            loader = engine.env.loader
            for directory in getattr(loader, "searchpath", []):
                for path in _files(directory):
                    found.extend(_jinja_references(path, engine.env))
    unique, seen = [], set()
    for reference in found:
        key = (reference["file"], reference["line"], reference["column"])
        if key not in seen:
            seen.add(key)
            unique.append(reference)
    return unique


def _django_template_dirs(engine):
    """The directories the engine's filesystem and app-directories loaders search, in order."""
    dirs = []

    def visit(loader):
        for inner in getattr(loader, "loaders", ()):  # the cached loader wraps others
            visit(inner)
        get_dirs = getattr(loader, "get_dirs", None)
        if get_dirs is not None and not getattr(loader, "loaders", None):
            dirs.extend(os.fspath(d) for d in get_dirs())

    for loader in engine.template_loaders:
        visit(loader)
    return list(dict.fromkeys(d for d in dirs if os.path.isdir(d)))


def _files(directory):
    """Every file below ``directory``; symlinked directories are followed once (no loops)."""
    seen = set()
    for root, dirnames, filenames in os.walk(directory, followlinks=True):
        try:
            key = os.stat(root)
        except OSError:
            dirnames[:] = []
            continue
        if (key.st_dev, key.st_ino) in seen:
            dirnames[:] = []
            continue
        seen.add((key.st_dev, key.st_ino))
        dirnames.sort()
        for name in sorted(filenames):
            yield os.path.join(root, name)


def _read(path, charset):
    try:
        with open(path, encoding=charset) as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError, LookupError):
        return None  # not a template Django could load either


def _position(source, offset):
    """(line, column), both 1-based, of a character offset."""
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1


def _django_references(path, charset):
    from django.template.base import DebugLexer, TokenType
    from django.utils.text import unescape_string_literal

    source = _read(path, charset)
    if source is None or "static" not in source:
        return []
    out = []
    for token in DebugLexer(source).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        bits = token.split_contents()
        if len(bits) < 2 or bits[0] != "static":
            continue
        literal = bits[1]
        if len(literal) < 2 or literal[0] not in "\"'" or literal[-1] != literal[0] or "|" in literal:
            continue  # a variable, a filter or a translated string: known only at render time
        start = source.find(literal, token.position[0], token.position[1])
        line, column = _position(source, start)
        out.append({"file": path, "line": line, "column": column,
                    "path": unescape_string_literal(literal), "engine": "django"})
    return out


def _jinja_references(path, env):
    from jinja2 import nodes

    source = _read(path, "utf-8")
    if source is None or "static" not in source:
        return []
    try:
        tree = env.parse(source)
    except Exception:  # a syntax error: Jinja2 reports it when the template is loaded
        return []
    lines = source.split("\n")
    out = []
    for call in tree.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name == "static" and call.args
                and isinstance(call.args[0], nodes.Const) and isinstance(call.args[0].value, str)):
            continue
        value = call.args[0].value
        text = lines[call.lineno - 1] if call.lineno <= len(lines) else ""
        column = max(text.find("static("), 0) + len("static(") + 1
        out.append({"file": path, "line": call.lineno, "column": column, "path": value, "engine": "jinja2"})
    return out
