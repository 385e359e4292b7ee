"""Runs inside djstatic's embedded CPython (the project's own interpreter).

Imports a Django settings module exactly as ``manage.py`` would, records where every setting got
its final value, reads the result through ``django.conf.settings`` when Django is importable, and
answers with one JSON document. The Swift side calls ``evaluate(request_json)``; nothing here
prints (the process's stdout/stderr are captured around the call).

Compatible with Python 3.10-3.13.
"""

import ast
import gc
import importlib
import importlib.machinery
import importlib.util
import json
import os
import re
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import djstatic_backends as backends  # noqa: E402  (same resource directory)
import djstatic_envshim as envshim  # noqa: E402
import djstatic_values as values  # noqa: E402

# What a fresh interpreter holds before any project code: what Django's own collectstatic starts
# from after an evaluation (see _forget_the_evaluation).
_MODULES_AT_START = frozenset(sys.modules)
_WARNING_FILTERS_AT_START = list(warnings.filters)

MARK = "__djstatic_mark__"
# The version of the JSON this module answers with; the Swift side (Wire.protocolVersion) refuses
# an answer of another version. Raise it with every change of the answer's shape.
PROTOCOL = 3
VENV_PARTS = ("site-packages", "dist-packages", os.sep + ".venv" + os.sep, os.sep + "venv" + os.sep,
              os.sep + ".venvs" + os.sep, os.sep + ".tox" + os.sep, os.sep + "node_modules" + os.sep)


# Bound now, before any project code runs: settings that wrap json.dumps
# cannot change djstatic's answers.
_json_dumps, _json_loads = json.dumps, json.loads


# Swift carries a path's non-UTF-8 byte b as U+10FF00 + b (a Swift String cannot hold the lone
# surrogate U+DC00 + b that os.fsdecode makes of it): swapped back as each request is read.
_FROM_SWIFT_PATHS = {0x10FF00 + byte: 0xDC00 + byte for byte in range(0x80, 0x100)}


def _loads(request_json):
    """JSON from the Swift side, its strings as Python's own (paths with surrogateescape)."""
    return _json_loads(request_json.translate(_FROM_SWIFT_PATHS))


# A byte that os.fsdecode escaped (U+DC80-U+DCFF: a non-UTF-8 path) is one U+FFFD, as values show it.
_ESCAPED_BYTES = dict.fromkeys(range(0xDC80, 0xDD00), 0xFFFD)
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def _answer(obj):
    """The JSON answer to the Swift side, as text UTF-8 can carry: a lone surrogate becomes U+FFFD
    (one per byte of the UTF-8 form it would have, escaped bytes one each)."""
    text = _json_dumps(obj, ensure_ascii=False)
    if _ESCAPED_BYTE.search(text):  # rare: translate() looks up every character (~1 ms per 30 kB)
        text = text.translate(_ESCAPED_BYTES)
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


class EvaluationTimeout(BaseException):
    """Raised asynchronously in the evaluating thread by the Swift watchdog."""


# --------------------------------------------------------------------------------------------
# Provenance: an import hook that instruments project modules


class _Statement:
    __slots__ = ("names", "line", "column", "star_from", "from_names", "entries")

    def __init__(self, names, line, column, star_from=None, from_names=None, entries=None):
        self.names = names            # names bound or mutated by the statement
        self.line = line
        self.column = column          # 1-based character column
        self.star_from = star_from    # (module, level) for ``from X import *``
        self.from_names = from_names  # {bound: (module, level, original)} for ``from X import a``
        self.entries = entries or {}  # {name: {str entry or dict key: (line, column)}} written here


def char_column(line_text, byte_offset):
    """ast/traceback columns are UTF-8 byte offsets; diagnostics use 1-based characters."""
    return len(line_text.encode("utf-8")[:byte_offset].decode("utf-8", "replace")) + 1


def _root_name(node):
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _target_names(target):
    if isinstance(target, ast.Name):
        return [(target.id, target)]
    if isinstance(target, (ast.Tuple, ast.List)):
        out = []
        for element in target.elts:
            out.extend(_target_names(element.value if isinstance(element, ast.Starred) else element))
        return out
    root = _root_name(target)
    return [(root, target)] if root else []


_MUTATORS = {"append", "extend", "insert", "update", "setdefault", "remove", "pop", "clear",
             "add", "discard", "__setitem__"}


class _Instrumenter(ast.NodeTransformer):
    """Appends ``__djstatic_mark__(i)`` after each module-level statement that binds names."""

    def __init__(self, lines):
        self.lines = lines
        self.table = []

    def _column(self, node):
        text = self.lines[node.lineno - 1] if 0 < node.lineno <= len(self.lines) else ""
        return char_column(text, node.col_offset)

    def _entries(self, node):
        """{str: (line, column)} of the string entries of list/tuple/set literals and the keys of
        dict literals in ``node``, not looking into nested containers' values."""
        found = {}

        def add(constant):
            if isinstance(constant, ast.Constant) and isinstance(constant.value, str):
                found[constant.value] = (constant.lineno, self._column(constant))

        def walk(child):
            if isinstance(child, (ast.List, ast.Tuple, ast.Set)):
                for element in child.elts:
                    add(element)
            elif isinstance(child, ast.Dict):
                for key in child.keys:
                    add(key)
            elif isinstance(child, ast.BinOp):
                walk(child.left)
                walk(child.right)
            elif isinstance(child, ast.Call):  # list([...]), append("x"), update({...}), setdefault("k", ...)
                for argument in child.args[:1]:
                    add(argument)
                    walk(argument)

        walk(node)
        return found

    def _describe(self, stmt):
        pairs, entries = [], {}
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                pairs.extend(_target_names(target))
                if isinstance(target, ast.Name):
                    entries[target.id] = self._entries(stmt.value)
                elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    key = target.slice
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        entries[target.value.id] = {key.value: (key.lineno, self._column(key))}
        elif isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
            if isinstance(stmt, ast.AnnAssign) and stmt.value is None:
                return None
            pairs.extend(_target_names(stmt.target))
            if isinstance(stmt.target, ast.Name):
                entries[stmt.target.id] = self._entries(stmt.value)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            func = stmt.value.func
            if isinstance(func, ast.Attribute) and func.attr in _MUTATORS:
                root = _root_name(func.value)
                if root:
                    pairs.append((root, func.value))
                    if isinstance(func.value, ast.Name):
                        call = stmt.value
                        if func.attr == "insert" and len(call.args) > 1:
                            call = ast.Call(func, call.args[1:], call.keywords)
                        entries[root] = self._entries(call)
        elif isinstance(stmt, ast.Import):
            names = [(a.asname or a.name.split(".")[0]) for a in stmt.names]
            return _Statement(names, stmt.lineno, self._column(stmt))
        elif isinstance(stmt, ast.ImportFrom):
            if any(a.name == "*" for a in stmt.names):
                return _Statement([], stmt.lineno, self._column(stmt),
                                  star_from=(stmt.module or "", stmt.level))
            from_names = {(a.asname or a.name): (stmt.module or "", stmt.level, a.name)
                          for a in stmt.names}
            return _Statement(list(from_names), stmt.lineno, self._column(stmt),
                              from_names=from_names)
        if not pairs:
            return None
        first = pairs[0][1]
        return _Statement([name for name, _ in pairs], first.lineno, self._column(first),
                          entries={name: found for name, found in entries.items() if found})

    def _body(self, statements):
        out = []
        for stmt in statements:
            out.append(self.visit(stmt))
            described = self._describe(stmt)
            if described is not None:
                self.table.append(described)
                mark = ast.Expr(ast.Call(ast.Name(MARK, ast.Load()),
                                         [ast.Constant(len(self.table) - 1)], []))
                out.append(ast.copy_location(mark, stmt))
        return out

    def generic_visit(self, node):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                setattr(node, field, self._body(block))
        for handler in getattr(node, "handlers", []) or []:
            handler.body = self._body(handler.body)
        for case in getattr(node, "cases", []) or []:
            case.body = self._body(case.body)
        return node

    def visit_FunctionDef(self, node):  # module-level bindings only
        return node

    visit_AsyncFunctionDef = visit_ClassDef = visit_Lambda = visit_FunctionDef


class Provenance:
    """Where each module-level name of each project module got its current value, and where each
    string entry (list item, dict key) of it was written. Locations are (file, line, column,
    order), ``order`` counting the statements executed, so that of two settings the one set last
    is known."""

    def __init__(self):
        self.locations = {}  # module name -> {name: (file, line, column, order)}
        self.entries = {}    # module name -> {name: {entry: (file, line, column)}}
        self.files = {}      # file -> module name
        self.executed = 0

    def mark(self, module_name, filename, statement):
        self.executed += 1
        table = self.locations.setdefault(module_name, {})
        entries = self.entries.setdefault(module_name, {})
        here = (filename, statement.line, statement.column, self.executed)
        for name in statement.names:
            source = None
            if statement.from_names and name in statement.from_names:
                module, level, original = statement.from_names[name]
                origin_module = self._resolve(module, level, module_name)
                source = self.locations.get(origin_module, {}).get(original)
                if source is not None:
                    entries[name] = dict(self.entries.get(origin_module, {}).get(original, {}))
            table[name] = source or here
            for entry, (line, column) in statement.entries.get(name, {}).items():
                entries.setdefault(name, {})[entry] = (filename, line, column)
        if statement.star_from:
            module, level = statement.star_from
            absolute = self._resolve(module, level, module_name)
            imported = sys.modules.get(absolute)
            if imported is not None:
                public = getattr(imported, "__all__", None)
                if public is None:
                    public = [n for n in vars(imported) if not n.startswith("_")]
                origin = self.locations.get(absolute, {})
                origin_entries = self.entries.get(absolute, {})
                for name in public:
                    table[name] = origin.get(name, here)
                    if name in origin_entries:
                        entries[name] = dict(origin_entries[name])

    @staticmethod
    def _resolve(module, level, importer):
        if not level:
            return module
        importing = sys.modules.get(importer)
        package = importer if hasattr(importing, "__path__") else importer.rpartition(".")[0]
        try:
            return importlib.util.resolve_name("." * level + module, package)
        except (ImportError, ValueError):
            return module


def _decoded_source(data, path):
    """``importlib.util.decode_source``; undecodable bytes are the SyntaxError Python's own import
    raises, at the line that holds them (EVAL002 there, not an exception at 1:1)."""
    try:
        return importlib.util.decode_source(data)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        text = data.splitlines()[line - 1].decode("utf-8", "replace") if data.splitlines() else ""
        raise SyntaxError(f"(unicode error) {error}", (path, line, column, text)) from None


class _InstrumentingLoader(importlib.machinery.SourceFileLoader):
    provenance = None
    overrides = {}  # path -> source text evaluated instead of the file (djstatic migrate's proof)

    def get_data(self, path):
        if path in self.overrides:
            return self.overrides[path].encode("utf-8")
        return super().get_data(path)

    def get_code(self, fullname):  # never reads or writes __pycache__ in the user's project
        return self.source_to_code(self.get_data(self.path), self.path, fullname=fullname)

    def source_to_code(self, data, path, *, _optimize=-1, fullname=None):
        text = _decoded_source(data, path)
        tree = ast.parse(text, filename=path)
        instrumenter = _Instrumenter(text.splitlines())
        tree = ast.fix_missing_locations(instrumenter.visit(tree))
        self._table = instrumenter.table
        return compile(tree, path, "exec", dont_inherit=True)

    def exec_module(self, module):
        code = self.get_code(module.__name__)
        table, provenance, path, name = self._table, self.provenance, self.path, module.__name__
        provenance.files[path] = name

        def mark(index):
            provenance.mark(name, path, table[index])

        module.__dict__[MARK] = mark
        try:
            exec(code, module.__dict__)
        finally:
            module.__dict__.pop(MARK, None)


class _SplitSettingsHook:
    """django-split-settings' ``include()`` compiles and execs each included file into the settings
    module's namespace: instrument those files as the loader instruments modules, so that each
    setting's location is the included file's line. Patches the module's ``compile``/``exec``
    names (shadowing the builtins in its globals only) until ``remove``."""

    def __init__(self, provenance, is_project_file):
        self.provenance = provenance
        self.is_project_file = is_project_file
        self.tables = {}
        self.modules = []

    def install(self, module):
        module.__dict__["compile"] = self._compile
        module.__dict__["exec"] = self._exec
        self.modules.append(module)

    def remove(self):
        for module in self.modules:
            module.__dict__.pop("compile", None)
            module.__dict__.pop("exec", None)
        self.modules.clear()

    def _compile(self, source, filename, mode, *args, **kwargs):
        if mode != "exec" or not self.is_project_file(os.fspath(filename)):
            return compile(source, filename, mode, *args, **kwargs)
        text = _decoded_source(source, filename) if isinstance(source, bytes) else source
        instrumenter = _Instrumenter(text.splitlines())
        tree = ast.fix_missing_locations(instrumenter.visit(ast.parse(text, filename=filename)))
        code = compile(tree, filename, "exec", dont_inherit=True)
        self.tables[code] = (os.fspath(filename), instrumenter.table)
        return code

    def _exec(self, code, scope=None, *args):
        entry = self.tables.get(code)
        if entry is None or scope is None:
            return exec(code, scope, *args)
        filename, table = entry
        name, provenance, outer = scope.get("__name__"), self.provenance, scope.get(MARK)
        provenance.files[filename] = name
        scope[MARK] = lambda index: provenance.mark(name, filename, table[index])
        try:
            exec(code, scope, *args)
        finally:
            if outer is None:
                scope.pop(MARK, None)
            else:
                scope[MARK] = outer


class _ProjectFinder:  # a meta path finder (duck-typed: importlib.abc costs ~10 ms to import)
    def __init__(self, roots, provenance, overrides=None):
        self.roots = [os.path.join(os.path.abspath(r), "") for r in roots]
        self.provenance = provenance
        self.overrides = overrides or {}

    def is_project_file(self, path):
        if not path or not os.path.isabs(path):  # "<frozen os>", "<string>", relative names
            return False
        return any(path.startswith(r) for r in self.roots) and not any(p in path for p in VENV_PARTS)

    def find_spec(self, fullname, path=None, target=None):
        spec = envshim.delegate_find_spec(self, fullname, path, target)
        origin = getattr(spec, "origin", None) or ""
        if spec is None or not (origin.endswith(".py") and self.is_project_file(origin)):
            return spec
        loader = _InstrumentingLoader(fullname, origin)
        loader.provenance = self.provenance
        loader.overrides = self.overrides
        spec.loader = loader
        return spec


# --------------------------------------------------------------------------------------------
# Errors


def _project_frame(tb, finder):
    """The innermost traceback entry inside a project file, as (file, line, column)."""
    import traceback
    found = None
    for entry in traceback.extract_tb(tb):
        if not (entry.filename and finder.is_project_file(entry.filename)):
            continue
        try:
            with open(entry.filename, encoding="utf-8", errors="replace") as handle:
                text = handle.read().splitlines()[entry.lineno - 1]
        except (OSError, IndexError, TypeError):
            continue
        colno = getattr(entry, "colno", None)  # 3.11+: UTF-8 byte offset of the failing expression
        column = char_column(text, colno) if colno is not None else 1 + len(text) - len(text.lstrip())
        found = (entry.filename, entry.lineno, column)
    return found


def exception_message(error):
    text = str(error)
    name = type(error).__name__
    message = f"{name}: {text}" if text else name
    for note in getattr(error, "__notes__", None) or []:
        message += f" ({note})"
    return message


def _error(kind, error, finder, settings_file, recorder=None):
    import traceback
    tb_text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    if isinstance(error, SyntaxError):
        where = (error.filename or settings_file, error.lineno or 1, error.offset or 1)
        message = f"{type(error).__name__}: {error.msg}"
        kind = "syntax"
    else:
        where = _project_frame(error.__traceback__, finder) or (settings_file, 1, 1)
        message = exception_message(error) + (_unset_note(error, tb_text, recorder) if recorder else "")
    return {"kind": kind, "message": values.redact_text(message), "file": where[0],
            "line": where[1], "column": where[2], "traceback": values.redact_text(tb_text)}


def _unset_note(error, tb_text, recorder):
    """Which unset environment variables the failure came from (or may have), and the cure: a
    placeholder that did not satisfy its reader, or a read without a default that gave None."""
    involved = envshim.placeholders_in(f"{error}\n{tb_text}", recorder.placeholders)
    # a None read into a same-named variable (REDIS_HOST = os.getenv("REDIS_HOST")) fails on its line
    nones = [name for name in recorder.none_defaulted
             if "None" in f"{error}" and re.search(rf"\b{re.escape(name)}\b", tb_text)]
    if nones and not involved:
        return (f" (unset environment variables read without a default, so None: {', '.join(nones)}; "
                f"give them with --env NAME=... or --env-file)")
    note = _placeholder_note(error, tb_text, recorder.placeholders)
    if note:
        return note
    # The message names a variable the settings read and found unset ("You must set DJANGO_DB_NAME").
    named = [name for name in recorder.defaulted if re.search(rf"\b{re.escape(name)}\b", f"{error}")]
    if named:
        return f" ({', '.join(named)} is not set in the environment: give it with --env {named[0]}=... or --env-file)"
    if recorder.defaulted and isinstance(error, OSError):  # e.g. a file path from an unset variable's default
        shown = ", ".join(recorder.defaulted[:8]) + (", ..." if len(recorder.defaulted) > 8 else "")
        return (f" (the settings read unset environment variables and used their defaults: {shown}; "
                f"if the failure comes from one, give it with --env NAME=... or --env-file)")
    return ""


def _placeholder_note(error, tb_text, placeholders):
    """Which unset variables' placeholders the failure came from (or may have), and the cure."""
    plain_key_error = isinstance(error, KeyError) and not isinstance(error, envshim.MissingEnvironmentVariable)
    missing = error.args[0] if plain_key_error and error.args else None
    if missing is None and not isinstance(error, envshim.MissingEnvironmentVariable) and "environ" in f"{error}".lower():  # "... the environment variable 'NAME'" (django-configurations)
        named = re.search(r"""['"]([A-Z][A-Z0-9_]+)['"]""", f"{error}")
        missing = named.group(1) if named else None
    if isinstance(missing, str) and missing.isupper() and missing not in os.environ:
        # e.g. settings that replaced os.environ with a dict first, so no placeholder could stand in
        return f" ({missing} is not set in the environment: give it with --env {missing}=... or --env-file)"
    if not placeholders:
        return ""
    involved = envshim.placeholders_in(f"{error}\n{tb_text}", placeholders)
    if involved:
        shown = ", ".join(involved)
        return (f" (the value of {shown} was a djstatic placeholder: the variable is not set; "
                f"give it with --env {involved[0]}=... or --env-file)")
    shown = ", ".join(placeholders)
    return (f" (unset environment variables read before this, with placeholders: {shown}; if the "
            f"failure comes from one, give it with --env NAME=... or --env-file)")


# --------------------------------------------------------------------------------------------
# Reading settings the way Django does


def _django_version():
    try:
        import django
    except ImportError:
        return None
    return ".".join(str(p) for p in django.VERSION[:3])


_REAL_DJANGO_CONF = []  # the django.conf module, put back after settings that replaced it


def _import_settings(module_name, django_version):
    """The settings module, imported the way manage.py imports it: by django.conf.settings
    (LazySettings._setup -> Settings -> import_module), so that settings code that reads
    django.conf.settings while it runs (dynaconf's DjangoDynaconf) sees what it sees there. When
    Django refuses the imported module (4.2's mutually exclusive storage settings) the module is
    still returned: ``_read_settings`` reports the refusal. Returns the module and Django's own
    LazySettings (taken before the import: dynaconf replaces ``django.conf`` while it runs)."""
    if django_version is None:
        return importlib.import_module(module_name), None
    from django.conf import settings as lazy
    _REAL_DJANGO_CONF[:] = [sys.modules["django.conf"]]
    return importlib.import_module(module_name), lazy


def _read_settings(module, django_version, lazy):
    """(values, django_error): what ``django.conf.settings`` returns, or the fallback defaults.

    STATIC_URL/MEDIA_URL are read raw and given the script prefix here: Django's own
    ``LazySettings._add_script_prefix`` imports ``django.urls`` (and with it ``django.http`` and
    ``django.db.models``, ~0.4 s) for a rule that is identical in 4.2-6.1 (``effective_url``).
    """
    import djstatic_defaults as defaults
    django_error = None
    if django_version is not None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                lazy._setup()
                wrapped = lazy._wrapped
                # The names django.conf.settings lists (6.1 leaves out the deprecated EMAIL_*
                # defaults when MAILERS is set), read from the Settings object itself.
                result = {name: getattr(wrapped, name) for name in dir(lazy) if name.isupper()}
            force = result.get("FORCE_SCRIPT_NAME")
            for name in ("STATIC_URL", "MEDIA_URL"):
                if isinstance(result.get(name), str):
                    result[name] = defaults.effective_url(result[name], force)
            return result, None
        except Exception as error:  # e.g. 4.2 "STATICFILES_STORAGE/STORAGES are mutually exclusive."
            django_error = {"type": type(error).__name__, "message": str(error)}
    return defaults.settings_without_django(module, django_version), django_error


def import_string(dotted):
    module_path, _, class_name = dotted.rpartition(".")
    module = importlib.import_module(module_path)
    try:
        return getattr(module, class_name)
    except AttributeError:
        raise ImportError(f'Module "{module_path}" does not define a "{class_name}" attribute/class') from None


def _import_with_apps(dotted):
    """import_string, filling the app registry first when the module needs it (as it would be
    under django.setup(): e.g. django-compressor's finder imports models)."""
    try:
        return import_string(dotted)
    except Exception as error:
        if type(error).__name__ != "AppRegistryNotReady":
            raise
    from django.apps import apps
    from django.conf import settings
    apps.populate(settings.INSTALLED_APPS)
    return import_string(dotted)


def _import_status(dotted, base_class=None):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            obj = _import_with_apps(dotted)
    except Exception as error:  # ImportError, ImproperlyConfigured raised by the module, ...
        return exception_message(error)
    if base_class is not None and not (isinstance(obj, type) and issubclass(obj, base_class)):
        return f'ImproperlyConfigured: Finder "{obj!r}" is not a subclass of "{base_class!r}"'
    return None


def _app_status(entry):
    """(directory, problem, app name) like ``AppConfig.create``, without importing models."""
    if not isinstance(entry, str):
        return None, f"TypeError: {entry!r} is not a string", None
    try:
        spec = importlib.util.find_spec(entry)
    except (ImportError, ValueError):
        spec = None
    if spec is not None:
        locations = list(spec.submodule_search_locations or [])
        return (locations[0] if locations else os.path.dirname(spec.origin or "")), None, entry
    module_path, _, class_name = entry.rpartition(".")
    if module_path:
        try:
            spec = importlib.util.find_spec(module_path)
        except (ImportError, ValueError):
            spec = None
        if spec is not None:
            try:
                module = importlib.import_module(module_path)
            except Exception as error:
                return None, exception_message(error), None
            config = getattr(module, class_name, None)
            if config is None:
                return None, f"ImportError: Module '{module_path}' does not contain a '{class_name}' class.", None
            name = getattr(config, "name", None)
            return _app_status(name) if isinstance(name, str) else (None, None, None)
    return None, f"ModuleNotFoundError: No module named '{entry}'", None


def class_names(obj):
    """Dotted names of a class and its bases (``__mro__``), for rules that ask "is it local?"."""
    return [f"{c.__module__}.{c.__qualname__}" for c in getattr(obj, "__mro__", ())]


# Django's own finders and storages exist whenever Django is importable: knowing their bases saves
# importing django.contrib.staticfiles.finders/storage (and django.core.checks) on every check.
_FS = "django.core.files.storage.filesystem.FileSystemStorage"
_BASE = ["django.core.files.storage.base.Storage", "django.core.files.storage.mixins.StorageSettingsMixin",
         "builtins.object"]
STOCK_FINDERS = {f"django.contrib.staticfiles.finders.{n}" for n in
                 ("FileSystemFinder", "AppDirectoriesFinder", "DefaultStorageFinder")}
STOCK_STORAGES = {
    "django.core.files.storage.FileSystemStorage": [_FS] + _BASE,
    "django.contrib.staticfiles.storage.StaticFilesStorage": [
        "django.contrib.staticfiles.storage.StaticFilesStorage", _FS] + _BASE,
    "django.contrib.staticfiles.storage.ManifestStaticFilesStorage": [
        "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
        "django.contrib.staticfiles.storage.ManifestFilesMixin", "django.contrib.staticfiles.storage.HashedFilesMixin",
        "django.contrib.staticfiles.storage.StaticFilesStorage", _FS] + _BASE,
}


def _class_names_if_importable(dotted):
    """``class_names`` of a dotted path that imports without error (else None): rules recognise a
    project's subclass of WhiteNoiseMiddleware, CorsMiddleware or a finder by its bases."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return class_names(import_string(dotted)) or None
    except Exception:
        return None


def _imports(settings, django_version):
    imports = {"finders": {}, "storages": {}, "apps": {}, "storage_classes": {}, "classes": {}, "app_names": {}}
    finders = settings.get("STATICFILES_FINDERS")
    if isinstance(finders, (list, tuple)):
        for dotted in finders:
            if not isinstance(dotted, str):
                continue
            if dotted in STOCK_FINDERS:  # without Django they cannot be checked (nor used)
                imports["finders"][dotted] = None
                continue
            base_finder = None
            if django_version is not None:
                from django.contrib.staticfiles.finders import BaseFinder as base_finder
            imports["finders"][dotted] = _import_status(dotted, base_finder)
            if imports["finders"][dotted] is None:
                imports["classes"][dotted] = _class_names_if_importable(dotted)
    middleware = settings.get("MIDDLEWARE")
    if isinstance(middleware, (list, tuple)):
        for dotted in middleware:  # Django's own middleware is defined where its path says
            if isinstance(dotted, str) and not dotted.startswith("django.") and dotted not in imports["classes"]:
                imports["classes"][dotted] = _class_names_if_importable(dotted)
    imports["classes"] = {k: v for k, v in imports["classes"].items() if v}
    storages = settings.get("STORAGES")
    if isinstance(storages, dict):
        for alias, config in storages.items():
            backend = config.get("BACKEND") if isinstance(config, dict) else None
            if not isinstance(backend, str):
                continue
            if backend in STOCK_STORAGES:
                imports["storages"][str(alias)] = None
                imports["storage_classes"][str(alias)] = STOCK_STORAGES[backend]
                continue
            problem = _import_status(backend)
            imports["storages"][str(alias)] = (
                None if problem is None else f"Could not find backend {backend!r}: {problem}")
            if problem is None:
                imports["storage_classes"][str(alias)] = class_names(_import_with_apps(backend))
    apps = settings.get("INSTALLED_APPS")
    app_paths = {}
    if isinstance(apps, (list, tuple)):
        for entry in apps:
            if django_version is None and isinstance(entry, str) and entry.startswith("django."):
                continue  # one clear message says Django is missing; no error per contrib app
            path, problem, name = _app_status(entry)
            imports["apps"][str(entry)] = problem
            if path:
                app_paths[str(entry)] = path
            if name and name != entry:  # an AppConfig class: the app it configures
                imports["app_names"][str(entry)] = name
    return imports, app_paths


def _releases(settings):
    """Resolve release ids of storages configured with release_id / release_id_strategy."""
    out = {}
    storages = settings.get("STORAGES")
    if not isinstance(storages, dict):
        return out
    for alias, config in storages.items():
        options = config.get("OPTIONS") if isinstance(config, dict) else None
        if not isinstance(options, dict) or not ({"release_id", "release_id_strategy"} & set(options)):
            continue
        release_id = options.get("release_id")
        strategy = options.get("release_id_strategy")
        entry = {"release_id": values.encode(release_id), "strategy": strategy if isinstance(strategy, str) else None,
                 "error": None}
        if release_id:
            pass
        elif strategy:
            if not isinstance(strategy, str):
                entry["error"] = f"release_id_strategy must be a dotted path string, not {type(strategy).__name__}"
            else:
                try:
                    function = import_string(strategy)
                except Exception as error:
                    entry["error"] = f"cannot import {strategy!r}: {exception_message(error)}"
                else:
                    try:
                        entry["release_id"] = values.encode(function())
                    except Exception as error:
                        entry["error"] = f"calling {strategy!r} raised {exception_message(error)}"
        else:
            entry["error"] = "neither release_id nor release_id_strategy is given"
        out[str(alias)] = entry
    return out


def _local_storage_failures(settings, finder):
    """Instantiate local (filesystem) storages the project defines itself, as collectstatic would.

    Remote storages are never instantiated (no network). Only failures raised inside project code
    are reported: Django's own refusals are the subject of dedicated rules.
    """
    out = {}
    storages = settings.get("STORAGES")
    if not isinstance(storages, dict):
        return out
    for alias, config in storages.items():
        if not isinstance(config, dict) or not isinstance(config.get("BACKEND"), str):
            continue
        module_name = config["BACKEND"].rpartition(".")[0]
        module_file = getattr(sys.modules.get(module_name), "__file__", None) or ""
        if not finder.is_project_file(module_file):  # only the project's own storage classes
            continue
        try:
            backend = import_string(config["BACKEND"])
            from django.core.files.storage import FileSystemStorage
        except Exception:
            continue
        if not (isinstance(backend, type) and issubclass(backend, FileSystemStorage)):
            continue
        options = config.get("OPTIONS") or {}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                backend(**options)
        except Exception as error:
            where = _project_frame(error.__traceback__, finder)
            if where is not None:
                out[str(alias)] = {"message": values.redact_text(exception_message(error)),
                                   "file": where[0], "line": where[1], "column": where[2]}
    return out


def _describe_collect(finder, response, with_storage=True, assets=False, preview=None, system_checks=False):
    """collectstatic's finders and storage (and what the asset audit needs), or why djstatic
    cannot collect for this project. ``preview``: a _PreviewPipe (djstatic_collect.set_up).
    ``system_checks``: the checks collectstatic runs before it collects run too; what they print
    is ``response["collect_checks"]``, a serious problem is the collect's error."""
    import djstatic_collect
    if response.get("django_version") is None:
        return {"error": {"message": "Django is not importable from the project's environment: "
                                     "collect needs the project's Django", "unsupported": True}}
    if response.get("django_error"):
        error = response["django_error"]
        return {"error": {"message": f"{error['type']}: {error['message']}", "unsupported": False}}
    try:
        with warnings.catch_warnings():
            if not with_storage:  # collect warns as manage.py collectstatic does (djstatic shows it)
                warnings.simplefilter("ignore")
            djstatic_collect.set_up(with_storage, preview.sender if preview else None)
            if system_checks:
                response["collect_checks"] = values.redact_text(djstatic_collect.system_checks())
            described = djstatic_collect.describe(with_storage)
    except djstatic_collect.Unsupported as error:
        return {"error": {"message": str(error), "unsupported": True}}
    except djstatic_collect.SystemCheckFailed as error:
        return {"error": {"message": values.redact_text(str(error)), "unsupported": False}}
    except Exception as error:  # what collectstatic itself would die of (ImproperlyConfigured, ...)
        return {"error": _collect_error(error, finder)}
    if assets:
        import djstatic_assets
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                described["audit"] = djstatic_assets.describe()
        except djstatic_collect.Unsupported as error:
            described["audit"] = {"error": {"message": str(error), "unsupported": True}}
        except Exception as error:
            described["audit"] = {"error": _collect_error(error, finder)}
    return described


def _collect_error(error, finder):
    """An exception collectstatic itself would die of (ImproperlyConfigured, ...), placed in the project."""
    where = _project_frame(error.__traceback__, finder)
    out = {"message": values.redact_text(exception_message(error)), "unsupported": False}
    if where:
        out.update({"file": where[0], "line": where[1], "column": where[2]})
    return out


# --------------------------------------------------------------------------------------------
# Entry point


def _activate_site_dirs(site_dirs, isolate):
    """Put the project's virtualenv first on sys.path (processing its .pth files, like site.py)."""
    import site
    if isolate:  # a venv without include-system-site-packages does not see the base install's
        sys.path[:] = [p for p in sys.path if not p.rstrip(os.sep).endswith(("site-packages", "dist-packages"))]
    before = list(sys.path)
    for site_dir in site_dirs:
        site.addsitedir(site_dir)
    added = [p for p in sys.path if p not in before]
    sys.path[:] = added + before


def _purge(finder, names):
    """Forget the project's modules and Django's configured settings (several evaluations per process)."""
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if name in names or (path and finder.is_project_file(path)):
            del sys.modules[name]
    if "django.conf" in sys.modules:
        from django.conf import settings as lazy
        from django.utils.functional import empty
        lazy._wrapped = empty
    if "django.apps" in sys.modules:  # the next project may list other apps
        from collections import defaultdict
        from django.apps import apps
        apps.app_configs = {}
        apps.all_models = defaultdict(dict)
        apps.apps_ready = apps.models_ready = apps.ready = apps.loading = False
        apps.clear_cache()
    management = sys.modules.get("django.core.management")
    if management is not None:
        management.get_commands.cache_clear()  # the commands of the previous project's apps
    finders = sys.modules.get("django.contrib.staticfiles.finders")
    if finders is not None and hasattr(finders.get_finder, "cache_clear"):
        finders.get_finder.cache_clear()  # finders built from the previous project's settings
    static_storage = sys.modules.get("django.contrib.staticfiles.storage")
    if static_storage is not None:
        from django.utils.functional import empty
        static_storage.staticfiles_storage._wrapped = empty
    handler = getattr(sys.modules.get("django.core.files.storage"), "storages", None)
    if handler is not None:  # its cached STORAGES and storages (never read through: that re-imports settings)
        handler.__dict__.pop("backends", None)
        handler.__dict__["_backends"] = None
        handler.__dict__["_storages"] = {}
    template = sys.modules.get("django.template")
    if template is not None:  # engines built from the previous project's TEMPLATES and app directories
        template.engines.__dict__.pop("templates", None)
        template.engines._templates = None
        template.engines._engines = {}
        for module, function in (("django.template.utils", "get_app_template_dirs"),
                                 ("django.template.engine", "Engine")):
            cached = getattr(sys.modules.get(module), function, None)
            cached = getattr(cached, "get_default", cached)
            if hasattr(cached, "cache_clear"):
                cached.cache_clear()
    trans_real = sys.modules.get("django.utils.translation.trans_real")
    if trans_real is not None:
        trans_real._translations = {}
        trans_real._default = None
        if hasattr(trans_real._active, "value"):
            del trans_real._active.value


class _PreviewPipe:
    """The write end of the pipe the Swift side (CollectPreview.swift) reads collectstatic's
    previewed description from (see djstatic_collect.describe): one line, sent at most once. The
    Swift side owns the descriptor and closes it when the evaluation has returned."""

    def __init__(self, fd, response):
        self.fd = fd
        self.response = response

    def send(self, described):
        if self.fd is None:
            return
        message = {key: self.response.get(key) for key in ("python_version", "django_version")}
        message["collect"] = described
        data = memoryview(_answer(values.scrub(message)).encode("utf-8") + b"\n")  # JSON has no raw newline
        fd, self.fd = self.fd, None
        try:
            while data:
                data = data[os.write(fd, data):]
        except OSError:  # the reader went away: nothing to preview for
            pass

    @property
    def sender(self):
        return self.send if self.fd is not None else None


def _evaluate(request, response, finder, provenance, preview):
    module_name = request["settings_module"]
    module, lazy = _import_settings(module_name, response["django_version"])
    response["settings_file"] = getattr(module, "__file__", None) or request.get("settings_file")
    explicit = sorted(n for n in dir(module) if n.isupper())
    settings, response["django_error"] = _read_settings(module, response["django_version"], lazy)
    # Encoded now, as Django has them after importing the settings: importing finders, storages and
    # apps below may change them in place (django.db's connection handler fills DATABASES).
    response["settings"] = {name: values.encode(value, name) for name, value in settings.items()}
    response["raw"] = {name: values.encode(getattr(module, name), name) for name in explicit}
    if request["rule_data"]:
        response["imports"], response["app_paths"] = _imports(settings, response["django_version"])
        response["releases"] = _releases(settings)
        response["storage_failures"] = _local_storage_failures(settings, finder)
    else:  # collect and prune: collectstatic imports none of this (MIDDLEWARE, say) either
        response["imports"] = {"finders": {}, "storages": {}, "apps": {}, "storage_classes": {}, "classes": {},
                               "app_names": {}}
        response["app_paths"], response["releases"], response["storage_failures"] = {}, {}, {}
    table = dict(provenance.locations.get(module_name, {}))
    unplaced = [name for name in explicit if name not in table]
    if unplaced:  # class-based settings (Base.load_settings(__name__)) set names without a statement
        table.update(_class_body_sources(unplaced, response["settings_file"], list(provenance.files)))
    response["backends"] = backends.describe(settings, response["imports"]["storage_classes"], table,
                                             _import_with_apps, finder.is_project_file) if request["rule_data"] else {}
    if request.get("collect") or request.get("finders"):
        response["collect"] = _describe_collect(finder, response, with_storage=bool(request.get("collect")),
                                                assets=bool(request.get("assets")), preview=preview,
                                                system_checks=request["system_checks"])
    if request.get("migration"):
        response["migration"] = _migration(request["migration"], module, settings, table, response, finder)
    response["sources"] = {name: {"file": loc[0], "line": loc[1], "column": loc[2], "order": loc[3]}
                           for name, loc in table.items() if name.isupper()}
    response["entry_sources"] = {
        name: {entry: {"file": loc[0], "line": loc[1], "column": loc[2]} for entry, loc in found.items()}
        for name, found in provenance.entries.get(module_name, {}).items() if name.isupper() and found}
    response["project_files"] = sorted(provenance.files)
    response["literal_credentials"] = values.literal_credentials(sorted(provenance.files)) if request["rule_data"] else []


def _class_body_sources(names, settings_file, project_files):
    """Where project classes define these names (class attributes, or properties computing them):
    the settings module's own file first, then the other project files."""
    wanted, found = set(names), {}
    for path in [settings_file] + [p for p in project_files if p != settings_file]:
        try:
            with open(path, encoding="utf-8") as handle:
                source = handle.read()
            tree = ast.parse(source, filename=path)
        except (OSError, SyntaxError, ValueError, TypeError):
            continue
        lines = source.splitlines()
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            for statement in node.body:
                if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    targets = [(statement.name, statement)]
                elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
                    targets = [(n, t) for t in (statement.targets if isinstance(statement, ast.Assign) else [statement.target])
                               for n, t in _target_names(t)]
                else:
                    continue
                for name, target in targets:
                    if name in wanted and name not in found:
                        text = lines[target.lineno - 1] if 0 < target.lineno <= len(lines) else ""
                        # order: the line, so that of two class attributes the later one counts as set last
                        found[name] = (path, target.lineno, char_column(text, target.col_offset), target.lineno)
        if len(found) == len(wanted):
            break
    return found


def _migration(mode, module, settings, table, response, finder):
    """djstatic migrate: the plan (mode "plan") and, for both evaluations, the storages to compare."""
    import djstatic_collect
    import djstatic_migrate as migrate
    django_version = response["django_version"]
    out = {"status": "verify"}
    if mode == "plan":
        out = migrate.plan(module, settings, table, django_version, _import_with_apps, finder.is_project_file,
                           lambda with_legacy: _imports(with_legacy, django_version)[0]["storage_classes"])
    if out["status"] in ("planned", "verify"):
        out["fingerprint"] = migrate.fingerprint(module, settings, djstatic_collect._no_remote_manifest_read,
                                                 exception_message)
        out["legacy_present"] = migrate.legacy_names(module)
    return out


class SettingsExit(BaseException):
    """What ``os._exit()`` raises while settings are evaluated: it would end djstatic itself."""


class _ProcessGuard:
    """Keeps what settings code does away from djstatic's own process while it runs: ``os._exit``
    raises SettingsExit instead of ending djstatic (a gate that passes by exiting 0), ``os.close``
    and ``os.closerange`` leave the descriptors djstatic had open alone (its saved stdout/stderr,
    its capture file), and ``sys.stdout``/``sys.stderr`` stop writing when the evaluation is over
    (a thread the settings started cannot print into djstatic's report)."""

    def __init__(self):
        streams = [getattr(s, "_stream", s) if isinstance(s, _GatedStream) else s for s in (sys.stdout, sys.stderr)]
        self.originals = (os._exit, os.close, os.closerange, *streams)
        try:
            self.protected = {int(fd) for fd in os.listdir("/proc/self/fd")}
        except OSError:
            self.protected = set(range(3, 256))
        self.open = True

    def install(self):
        real_close, real_closerange = os.close, os.closerange
        protected = self.protected

        def _exit(status):
            raise SettingsExit(f"the settings called os._exit({status}), which would end djstatic itself")

        def close(fd):
            if fd in protected and fd > 2:
                return None
            return real_close(fd)

        def closerange(low, high):
            for fd in range(low, min(high, 65536)):
                if fd not in protected:
                    try:
                        real_close(fd)
                    except OSError:
                        pass

        os._exit, os.close, os.closerange = _exit, close, closerange
        sys.stdout, sys.stderr = _GatedStream(self.originals[3], self), _GatedStream(self.originals[4], self)

    def remove(self):
        """Puts os back; the gated streams stay, closed, for threads still running."""
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        self.open = False
        os._exit, os.close, os.closerange = self.originals[:3]


class _GatedStream:
    """A text stream that writes through while its guard is open, and drops writes after."""

    def __init__(self, stream, guard):
        self._stream, self._guard = stream, guard

    def write(self, text):
        return self._stream.write(text) if self._guard.open else len(text)

    def flush(self):
        if self._guard.open:
            self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


class _ScrubbedStream:
    """A text stream that masks every credential the evaluation met (``scrub_output``) in what it
    writes, a whole line at a time (a credential is never split between two writes)."""

    def __init__(self, stream):
        self._stream, self._pending = stream, ""

    def write(self, text):
        self._pending += text
        lines, newline, self._pending = self._pending.rpartition("\n")
        if newline:
            self._stream.write(scrub_output(lines + newline))
        return len(text)

    def flush(self):
        if self._pending:
            self._stream.write(scrub_output(self._pending))
            self._pending = ""
        self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _restore_environment(saved):
    """Puts back the environment as it was, touching only the variables that changed: each change
    is a putenv/unsetenv on the process environment, which other threads of the host may be
    reading (clearing and refilling it all would leave it half-empty for a while)."""
    for name in [name for name in os.environ if name not in saved]:
        del os.environ[name]
    for name, value in saved.items():
        if os.environ.get(name) != value:
            os.environ[name] = value


def _install_configurations_importer():
    """django-configurations' class-based settings import only through its importer, which the
    project's manage.py installs (``configurations.management.execute_from_command_line``): install
    it the same way when DJANGO_CONFIGURATION names a configuration (or manage.py sets its default).
    Returns the finder put on the meta path (None when not used)."""
    if not os.environ.get("DJANGO_CONFIGURATION"):
        try:
            with open("manage.py", encoding="utf-8") as handle:
                found = re.search(r"""setdefault\(\s*["']DJANGO_CONFIGURATION["']\s*,\s*["'](\w+)["']""", handle.read())
        except OSError:
            found = None
        if found is None:
            return None
        os.environ["DJANGO_CONFIGURATION"] = found.group(1)
    try:
        from configurations import importer
    except ImportError:
        return None
    if not importer.installed:
        importer.install()
        return next((f for f in sys.meta_path if isinstance(f, importer.ConfigurationImporter)), None)
    finder = importer.ConfigurationImporter()
    sys.meta_path.insert(0, finder)
    return finder


class _ProjectProcess:
    """The process as ``manage.py`` would have it for the project (its virtualenv's site
    directories and project roots on sys.path, its environment, DJANGO_SETTINGS_MODULE, argv, the
    working directory), and everything put back afterwards, with the project's modules and
    Django's configured state forgotten. ``finder`` (instrumenting project modules) is on the meta
    path in between when given."""

    def __init__(self, request, finder, argv):
        self.request, self.finder, self.argv = request, finder, argv

    def __enter__(self):
        request = self.request
        # os.environ was copied at initialisation, while djstatic had PYTHONHOME set for it; give
        # settings code and its subprocesses the user's own value (usually none).
        if request.get("pythonhome") is None:
            os.environ.pop("PYTHONHOME", None)
        else:
            os.environ["PYTHONHOME"] = request["pythonhome"]
        self.saved = (dict(os.environ), list(sys.path), list(getattr(sys, "argv", [])), os.getcwd())
        sys.dont_write_bytecode = True
        roots = request["project_roots"]
        _activate_site_dirs(request.get("site_dirs", []), request.get("isolate_from_system_site", False))
        for root in reversed(roots):
            sys.path.insert(0, root)
        if self.finder is not None:
            sys.meta_path.insert(0, self.finder)
        os.environ.update(request.get("env", {}))
        values.remember_environment_credentials(os.environ)
        os.environ["DJANGO_SETTINGS_MODULE"] = request["settings_module"]
        sys.argv = self.argv
        os.chdir(roots[0])
        self.configurations = _install_configurations_importer()
        return self

    def __exit__(self, *exc):
        sys.stdout.flush()
        sys.stderr.flush()
        if self.configurations in sys.meta_path:
            sys.meta_path.remove(self.configurations)
        if _REAL_DJANGO_CONF and sys.modules.get("django.conf") is not _REAL_DJANGO_CONF[0]:
            sys.modules["django.conf"] = _REAL_DJANGO_CONF[0]  # dynaconf replaced it while settings ran
        if self.finder in sys.meta_path:
            sys.meta_path.remove(self.finder)
        _purge(self.finder or _ProjectFinder(self.request["project_roots"], None), {self.request["settings_module"]})
        environment, path, argv, cwd = self.saved
        os.chdir(cwd)
        _restore_environment(environment)
        sys.path[:] = path
        sys.argv = argv


_REQUEST_KEYS = {"protocol", "settings_module", "settings_file", "project_roots", "site_dirs", "isolate_from_system_site",
                 "env", "strict_env", "argv", "collect", "finders", "assets", "migration", "source_overrides", "pythonhome",
                 "preview_fd", "rule_data", "system_checks"}


def _request(request_json):
    """The request Evaluator.Payload encodes, checked: same protocol, every key present."""
    request = _loads(request_json)
    if request.get("protocol") != PROTOCOL:
        raise RuntimeError(f"djstatic's binary speaks protocol {request.get('protocol')}, "
                           f"its Python helper {PROTOCOL}: reinstall djstatic")
    missing = _REQUEST_KEYS - set(request)
    if missing:
        raise RuntimeError(f"djstatic's request lacks {', '.join(sorted(missing))}")
    return request


def evaluate(request_json):
    request = _request(request_json)
    provenance = Provenance()
    finder = _ProjectFinder(request["project_roots"], provenance, request.get("source_overrides"))
    settings_file = request.get("settings_file") or ""
    recorder = envshim.Recorder(finder.is_project_file, strict=request.get("strict_env", False))
    response = {"protocol": PROTOCOL, "python_version": ".".join(str(p) for p in sys.version_info[:3])}
    values.SEEN_SECRETS.clear()
    preview = _PreviewPipe(request["preview_fd"], response)
    with _CyclicGCPaused(), _ProjectProcess(request, finder, request.get("argv") or ["manage.py", "check"]):
        response["django_version"] = _django_version()
        guard = _ProcessGuard()
        guard.install()
        recorder.install()
        split_settings = _SplitSettingsHook(provenance, finder.is_project_file)
        envshim.add_post_import_hook("split_settings.tools", split_settings.install)
        try:
            _evaluate(request, response, finder, provenance, preview)
        except EvaluationTimeout as error:
            response["error"] = _error("timeout", error, finder, settings_file)
        except KeyboardInterrupt:
            response["error"] = {"kind": "interrupted", "message": "interrupted", "file": settings_file,
                                 "line": 1, "column": 1, "traceback": ""}
        except BaseException as error:  # SystemExit raised by settings is an evaluation failure too
            response["error"] = _error("exception", error, finder, settings_file, recorder)
        finally:
            recorder.uninstall()
            split_settings.remove()
            guard.remove()
        response["env"] = recorder.report()
        return _answer(values.scrub(response))


class _CyclicGCPaused:
    """The cyclic garbage collector off while the settings are imported and ``django.setup()``
    runs, on again afterwards (the interpreter then serves the collect: Brotli, S3 credentials).
    Importing a large project's apps builds hundreds of thousands of objects that live for the
    whole process, and each collection walks them again: on fixtures/bench-project, 0.2 s of a
    1.0 s setup, for 1 MB more peak memory. Reference counting still frees everything that is not
    in a cycle; what is (the modules the evaluation forgets, say) waits for the next full
    collection. Everything allocated meanwhile is moved to the oldest generation before the
    collector comes back: left in the youngest, the first allocation after would walk all of it
    at once (0.1 s), and the next middle-generation collection again. (The project's code sees
    ``gc.isenabled()`` answer False; ``gc.collect()`` still collects.)"""

    def __enter__(self):
        self.was_enabled = gc.isenabled()
        gc.disable()
        return self

    def __exit__(self, *exc):
        gc.freeze()  # every tracked object to the permanent generation,
        gc.unfreeze()  # and from there to the oldest
        if self.was_enabled:
            gc.enable()


def collectstatic(request_json):
    """Django's own ``manage.py collectstatic ARGUMENTS`` for a project whose storage or finders
    djstatic does not reproduce: exact by definition. Nothing is instrumented or stood in (a
    missing environment variable fails as in production); its output goes to the terminal,
    with the credentials the evaluation met masked (an exception that quotes one, a storage that
    prints one). Answers {"status": exit status}."""
    request = _request(request_json)
    arguments = ["manage.py", "collectstatic", *request["arguments"]]
    _forget_the_evaluation()
    with _ProjectProcess(request, None, arguments):
        guard = _ProcessGuard()  # the streams an earlier evaluation closed to its threads write again
        guard.install()
        gated = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _ScrubbedStream(gated[0]), _ScrubbedStream(gated[1])
        try:
            from django.core.management import execute_from_command_line
            execute_from_command_line(arguments)
            status = 0
        except SystemExit as exit:
            status = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
        except KeyboardInterrupt:
            status = 130
        except BaseException:  # what manage.py would print before dying
            import traceback
            traceback.print_exc()
            status = 1
        finally:
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
            sys.stdout, sys.stderr = gated
            guard.remove()
    return _answer({"status": status})


def _forget_the_evaluation():
    """Every module imported since this helper was loaded (Django, its apps, the project) and the
    warning filters the settings changed, forgotten: Django's own collectstatic then imports and
    sets up everything afresh, as ``manage.py`` does in a new process. (Forgetting the project's
    modules and the app registry is not enough: ``django.setup()`` would find
    ``django.contrib.auth.models`` already imported, register none of its models, and fail in
    ``AuthConfig.ready()``.)"""
    for name in [name for name in sys.modules if name not in _MODULES_AT_START and not name.startswith("djstatic_")]:
        del sys.modules[name]
    _REAL_DJANGO_CONF.clear()
    warnings.filters[:] = _WARNING_FILTERS_AT_START
    warnings._filters_mutated()


def scrub_output(text):
    """What the last evaluation's settings printed, with every credential it met masked."""
    return values.scrub(values.redact_text(text))


# --------------------------------------------------------------------------------------------
# Follow-up calls of `djstatic collect`, after `evaluate` described an S3 staticfiles storage


def s3_credentials(_request_json):
    """The S3 storage's own credentials, unredacted: only djstatic's uploader receives them."""
    import djstatic_collect
    return _answer(djstatic_collect.s3_credentials())


def guess_types(request_json):
    """``mimetypes.guess_type`` of each key in the JSON list: [[type, encoding], ...]."""
    import djstatic_collect
    return _answer(djstatic_collect.guess_types(_loads(request_json)))


# Follow-up call of `djstatic collect`, after `evaluate` described a WhiteNoise storage


def brotli_compress(request_json):
    """Brotli-compresses each ``[source, destination]`` of the JSON list as WhiteNoise would:
    [compressed size, ...]."""
    import djstatic_whitenoise
    return _answer(djstatic_whitenoise.brotli_compress(_loads(request_json)))
