"""Lets settings that read unset environment variables evaluate in CI.

A read that would fail (``os.environ["X"]``, django-environ ``env("X")``/``env.db()``,
python-decouple ``config("X")`` without a default) gets a placeholder that satisfies the reader
and the name is recorded (EVAL003). Reads that fall back to a default are recorded separately.
With ``strict`` nothing is patched: a missing variable fails exactly as it would in production.
"""

import os
import sys

PLACEHOLDER_PREFIX = "djstatic-unset-"


class MissingEnvironmentVariable(KeyError):
    """What --strict-env raises: still a KeyError for code that catches one, with a clear text."""

    def __str__(self):
        return f"environment variable {self.args[0]!r} is not set"


class Placeholder(str):
    """A str that also converts to 0 with int()/float(), so ``int(os.environ["PORT"])`` works;
    ``variable`` is the unset variable it stands in for."""

    variable = ""

    def __int__(self):
        return 0

    def __float__(self):
        return 0.0

    def __index__(self):
        return 0


# URL-shaped placeholders for variables named like URLs/DSNs: what settings do with them at import
# time (sentry_sdk.init(dsn=...), dj_database_url.parse(...), urlparse(...).hostname) must work.
# (words of the name, split at "_", scheme, path); the first match wins.
_URL_SHAPES = (
    ({"REDIS", "CACHE", "CACHES"}, "redis", "/0"),
    ({"BROKER", "AMQP", "RABBIT", "RABBITMQ", "CELERY"}, "amqp", "/"),
    ({"MYSQL", "MARIADB"}, "mysql", "/djstatic"),
    ({"MONGO", "MONGODB"}, "mongodb", "/djstatic"),
    ({"DATABASE", "DB", "POSTGRES", "POSTGRESQL", "PG"}, "postgres", "/djstatic"),
    ({"DSN"}, "https", "/0"),
    (set(), "https", "/"),
)


def placeholder(name):
    upper = name.upper()
    if upper.endswith(("_URL", "_URI", "DSN")) or upper in ("URL", "URI"):
        return url_placeholder(name)
    return _stand_in(name, PLACEHOLDER_PREFIX + name)


def url_placeholder(name):
    upper = name.upper()
    words = set(upper.split("_")) | ({"DSN"} if upper.endswith("DSN") else set())
    scheme, path = next((scheme, path) for keywords, scheme, path in _URL_SHAPES
                        if not keywords or keywords & words)
    return _stand_in(name, f"{scheme}://{PLACEHOLDER_PREFIX}{name}@{PLACEHOLDER_PREFIX.rstrip('-')}.invalid{path}")


def _stand_in(name, text):
    value = Placeholder(text)
    value.variable = name
    return value


def placeholders_in(text, names):
    """The unset variables whose placeholder text, or whose quoted name (a traceback's source line
    ``sentry_sdk.init(dsn=env("SENTRY_DSN"))``), occurs in ``text``."""
    return [name for name in names
            if PLACEHOLDER_PREFIX + name in text or f'"{name}"' in text or f"'{name}'" in text]


_URL_PLACEHOLDERS = {  # django-environ readers that parse the value as a URL
    "db_url": "sqlite://:memory:", "db": "sqlite://:memory:",
    "cache_url": "locmemcache://", "cache": "locmemcache://",
    "email_url": "consolemail://", "email": "consolemail://",
    "search_url": "simple://", "channels_url": "inmemory://", "channels": "inmemory://",
}


def _typed_placeholder(name, cast, reader):
    if reader in _URL_PLACEHOLDERS:
        return _URL_PLACEHOLDERS[reader]
    if cast is bool or reader == "bool":
        return "false"
    if cast in (int, float) or reader in ("int", "float"):
        return "0"
    if cast in (list, tuple, dict) or reader in ("list", "tuple", "dict"):
        return ""
    if reader == "json":
        return "null"
    if reader == "url":
        return url_placeholder(name)
    return placeholder(name)


class Recorder:
    def __init__(self, is_project_file, strict=False):
        self.is_project_file = is_project_file
        self.strict = strict
        self.placeholders = []
        self.defaulted = []
        self.none_defaulted = []  # os.environ.get(NAME) / os.getenv(NAME): None, as in production
        self._saved = None
        self._patched = []

    def _note(self, bucket, name):
        if name not in bucket and name not in self.placeholders:
            bucket.append(name)

    def report(self):
        return {"placeholder": list(self.placeholders),
                "default": [n for n in self.defaulted if n not in self.placeholders]}

    # os.environ ---------------------------------------------------------------------------
    def install(self):
        recorder = self
        real = os.environ

        class RecordingEnviron(type(real)):
            def __getitem__(self, key):
                try:
                    return super().__getitem__(key)
                except KeyError:
                    caller = sys._getframe(1).f_code.co_filename
                    if not recorder.is_project_file(caller):
                        raise
                    if recorder.strict:
                        raise MissingEnvironmentVariable(key) from None
                    recorder._note(recorder.placeholders, key)
                    return placeholder(key)

            def get(self, key, default=None):
                try:
                    return super().__getitem__(key)
                except KeyError:
                    caller = sys._getframe(1)  # os.getenv() reads through here from a frozen frame
                    if recorder.is_project_file(caller.f_code.co_filename) or (
                            caller.f_back and recorder.is_project_file(caller.f_back.f_code.co_filename)):
                        recorder._note(recorder.defaulted, key)
                        if default is None:
                            recorder._note(recorder.none_defaulted, key)
                    return default

        environ = RecordingEnviron(real._data, real.encodekey, real.decodekey,
                                   real.encodevalue, real.decodevalue)
        self._saved = real
        os.environ = environ
        if not self.strict:
            add_post_import_hook("environ.environ", self._patch_django_environ)
            add_post_import_hook("decouple", self._patch_decouple)

    def uninstall(self):
        if self._saved is not None:
            os.environ = self._saved
            self._saved = None
        if _HOOK_FINDER in sys.meta_path:
            sys.meta_path.remove(_HOOK_FINDER)
        _post_import_hooks.clear()
        for owner, attribute, original in reversed(self._patched):
            setattr(owner, attribute, original)
        self._patched.clear()

    def _patch(self, owner, attribute, replacement):
        self._patched.append((owner, attribute, getattr(owner, attribute)))
        setattr(owner, attribute, replacement)

    # django-environ -----------------------------------------------------------------------
    def _patch_django_environ(self, module):
        env_class = getattr(module, "Env", None)
        if env_class is None or not hasattr(env_class, "get_value"):
            return
        original = env_class.get_value
        notset = getattr(env_class, "NOTSET", getattr(module, "NOTSET", None))
        recorder = self

        def get_value(self, var, cast=None, default=notset, parse_default=False):
            name = f"{getattr(self, 'prefix', '') or ''}{var}"
            if name not in self.ENVIRON:
                declared = self.scheme.get(name) if isinstance(getattr(self, "scheme", None), dict) else None
                scheme_default = isinstance(declared, (tuple, list)) and len(declared) == 2
                if default is notset and not scheme_default:
                    recorder._note(recorder.placeholders, name)
                    scheme_cast = declared[0] if isinstance(declared, (tuple, list)) and declared else declared
                    default = _typed_placeholder(name, cast or scheme_cast, sys._getframe(1).f_code.co_name)
                    parse_default = True
                else:  # Env(NAME=(cast, default)) declares the default, as env("NAME", default=...) does
                    recorder._note(recorder.defaulted, name)
            return original(self, var, cast=cast, default=default, parse_default=parse_default)

        self._patch(env_class, "get_value", get_value)
        env_class.ENVIRON = os.environ

    # python-decouple ----------------------------------------------------------------------
    def _patch_decouple(self, module):
        config_class = getattr(module, "Config", None)
        undefined = getattr(module, "undefined", None)
        if config_class is None or not hasattr(config_class, "get"):
            return
        original = config_class.get
        recorder = self

        def get(self, option, default=undefined, cast=undefined):
            if option not in os.environ and option not in self.repository:
                if isinstance(default, type(undefined)) or default is undefined:
                    recorder._note(recorder.placeholders, option)
                    default = _typed_placeholder(option, cast if cast is not undefined else None,
                                                 getattr(cast, "__name__", "").lower())
                else:
                    recorder._note(recorder.defaulted, option)
            return original(self, option, default=default, cast=cast)

        self._patch(config_class, "get", get)


# Post-import hooks: patch a library right after it is first imported by the settings (or now,
# when it already is). Recorder.uninstall removes them all.
_post_import_hooks = {}


def add_post_import_hook(name, hook):
    _post_import_hooks[name] = hook
    if name in sys.modules:
        hook(sys.modules[name])
    if _HOOK_FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _HOOK_FINDER)


def delegate_find_spec(finder, fullname, path=None, target=None):
    """The spec the meta-path finders after ``finder`` would return (wrapping finders use this)."""
    chain = sys.meta_path
    start = chain.index(finder) + 1 if finder in chain else 0
    for other in chain[start:]:
        find_spec = getattr(other, "find_spec", None)
        if find_spec is None:
            continue
        try:
            spec = find_spec(fullname, path, target)
        except (ImportError, ValueError):
            spec = None
        if spec is not None:
            return spec
    return None


class _PostImportFinder:
    def find_spec(self, fullname, path=None, target=None):
        hook = _post_import_hooks.get(fullname)
        if hook is None:
            return None
        spec = delegate_find_spec(self, fullname, path, target)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        original_exec = loader.exec_module

        def exec_module(module):
            original_exec(module)
            hook(module)

        try:
            loader.exec_module = exec_module
        except AttributeError:
            pass
        return spec


_HOOK_FINDER = _PostImportFinder()
