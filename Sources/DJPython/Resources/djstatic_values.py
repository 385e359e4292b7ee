"""Encodes Python setting values as tagged JSON for the Swift model, with secrets redacted.

Tagged form: {"t": kind, "v": payload}. Kinds: none, bool, int, float, str, bytes, path, list,
tuple, set, dict (v = [[key, value], ...] in order), secret (v = redacted text), opaque
(v = repr, "type" = qualified type name), placeholder (an unset environment variable's stand-in),
lazy (v = the unevaluated lazy call, e.g. ``reverse_lazy('login')``).
"""

import ast
import os
import re
import sys

# Setting names / dict keys whose values are credentials: never leave the interpreter.
SECRET_NAME = re.compile(
    r"(SECRET|PASSWORD|PASSWD|TOKEN|ACCESS_KEY|ACCOUNT_KEY|PRIVATE_KEY|CONNECTION_STRING|"
    r"CREDENTIALS|API_KEY|SAS|PEPPER|SALT|DSN|_KEY$|_AUTH$|^KEY$|^AUTH$)", re.IGNORECASE)
# A dotted import path ("django.contrib.auth.hashers.PBKDF2PasswordHasher") names code, not a secret.
DOTTED_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+")
MASK = "********"
URL_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^:/@\s]*):(?P<password>[^@/\s]+)@")
AWS_KEY_ID = re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")
# Credentials carried in URL query strings: presigned S3 URLs, SAS tokens, API tokens.
QUERY_CREDENTIAL = re.compile(
    r"(?P<key>[?&;](?:X-Amz-Credential|X-Amz-Signature|X-Amz-Security-Token|X-Goog-Credential|X-Goog-Signature|"
    r"Signature|sig|token|access_token|auth_token|api_key|apikey|key|secret|password|AWSAccessKeyId)=)"
    r"(?P<value>[^&;#\s'\"]+)", re.IGNORECASE)
MAX_DEPTH = 32

# Every credential redacted during this evaluation; scrub() removes them from anything else
# (exception messages, reprs, tracebacks) before the answer leaves the interpreter.
SEEN_SECRETS = set()


def redact(value):
    """The form in which a credential may be shown: enough to recognise, never to use."""
    text = str(value)
    if not text:
        return ""
    if len(text) >= 8 and not (text.isalpha() and (text.islower() or text.isupper())):
        SEEN_SECRETS.add(text)  # random-looking: safe to scrub everywhere (not a word like "postgres")
    if AWS_KEY_ID.fullmatch(text):
        return text[:4] + "*" * 12 + text[-4:]
    return MASK  # fixed width: the length of a secret is not shown either


def scrub(obj):
    """Replace every credential seen so far, wherever it occurs in strings inside ``obj``."""
    if not SEEN_SECRETS:
        return obj
    secrets = sorted(SEEN_SECRETS, key=len, reverse=True)

    def clean(value):
        if isinstance(value, str):
            for secret in secrets:
                if secret in value:
                    value = value.replace(secret, redact(secret))
            return value
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {clean(k): clean(v) for k, v in value.items()}
        return value

    return clean(obj)


def utf8_text(value):
    """A str that can leave as UTF-8: bytes smuggled in by surrogateescape (a non-UTF-8 path) and
    lone surrogates ("\\ud800") become U+FFFD."""
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def redact_text(text):
    text = URL_USERINFO.sub(lambda m: f"{m.group('scheme')}{m.group('user')}:***@", text)
    text = QUERY_CREDENTIAL.sub(lambda m: m.group("key") + redact(m.group("value")), text)
    return AWS_KEY_ID.sub(lambda m: redact(m.group(0)), text)


def remember_environment_credentials(environ):
    """Values of credential-named environment variables (AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN...)
    are credentials wherever they turn up: in a value under another name, or quoted by an
    exception (``int(os.environ["AWS_SECRET_ACCESS_KEY"])``)."""
    for name, value in list(environ.items()):
        if is_secret_name(name) and value:
            redact(value)


def is_secret_name(name):
    return isinstance(name, str) and bool(SECRET_NAME.search(name)) and not name.endswith(
        ("_FILE", "_PATH", "_ENV", "_NAME", "_BACKEND", "_CLASS", "_LENGTH"))


def encode(value, name=None, _depth=0, _seen=None):
    from djstatic_envshim import Placeholder

    if _seen is None:
        _seen = set()
    if value is None:
        return {"t": "none"}
    if isinstance(value, bool):
        return {"t": "bool", "v": value}
    if isinstance(value, Placeholder):
        return {"t": "placeholder", "v": value.variable, "text": str(value)}
    if name is not None and is_secret_name(name) and isinstance(value, (str, bytes)) \
            and not (isinstance(value, str) and DOTTED_PATH.fullmatch(value)):
        return {"t": "secret", "v": redact(value if isinstance(value, str) else value.decode("latin-1"))}
    if isinstance(value, int):
        return {"t": "int", "v": value if -(2 ** 63) <= value < 2 ** 63 else str(value)}
    if isinstance(value, float):
        return {"t": "float", "v": value if value == value and abs(value) != float("inf") else repr(value)}
    if isinstance(value, str):
        return {"t": "str", "v": redact_text(utf8_text(value))}
    if isinstance(value, bytes):
        return {"t": "bytes", "v": redact_text(value.decode("latin-1"))}
    if isinstance(value, os.PathLike):
        try:
            return {"t": "path", "v": os.fsdecode(os.fspath(value))}
        except TypeError:
            pass
    if _depth >= MAX_DEPTH or id(value) in _seen:
        return {"t": "opaque", "type": type(value).__qualname__, "v": "<recursive or too deep>"}
    _seen = _seen | {id(value)}
    if isinstance(value, dict):
        return {"t": "dict", "v": [[encode(k, None, _depth + 1, _seen),
                                   encode(v, k if isinstance(k, str) else name, _depth + 1, _seen)]
                                  for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        kind = "tuple" if isinstance(value, tuple) else "list"
        return {"t": kind, "v": [encode(v, name, _depth + 1, _seen) for v in value]}
    if isinstance(value, (set, frozenset)):
        items = [encode(v, name, _depth + 1, _seen) for v in value]
        return {"t": "set", "v": sorted(items, key=repr)}
    if type(value).__name__ == "_GatedStream":  # djstatic's gate on sys.stdout stands for the stream itself
        value = value._stream
    # Lazy translation strings (gettext_lazy) render as the running site renders them; any other
    # lazy call (reverse_lazy) stays unevaluated: evaluating it could import the URLconf.
    if type(value).__name__ == "__proxy__":
        if lazy_is_text(value):
            return encode(lazy_text(value), name, _depth, _seen)
        return {"t": "lazy", "v": redact_text(lazy_call(value))}
    return {"t": "opaque", "type": f"{type(value).__module__}.{type(value).__qualname__}",
            "v": redact_text(_safe_repr(value))}


def lazy_parts(proxy):
    """(func, args, kwargs) of a ``django.utils.functional.lazy`` proxy (its pickling form, the
    same in Django 4.2-6.1), or None."""
    try:
        reduced = proxy.__reduce__()
        func, args, kwargs = reduced[1][:3]
    except Exception:
        return None
    return func, tuple(args), dict(kwargs)


_TEXT_FUNCTIONS = {("builtins", "str"), ("django.utils.text", "_format_lazy")}


def lazy_is_text(proxy):
    """Whether the proxy only translates or formats text (gettext_lazy, format_lazy of such
    parts): cheap and safe to evaluate once the app registry is filled."""
    parts = lazy_parts(proxy)
    if parts is None:
        return False
    func, args, kwargs = parts
    module = getattr(func, "__module__", None) or ""
    if module != "django.utils.translation" and (module, getattr(func, "__name__", "")) not in _TEXT_FUNCTIONS:
        return False
    return all(lazy_is_text(a) if type(a).__name__ == "__proxy__" else isinstance(a, (str, int, float))
               for a in list(args) + list(kwargs.values()))


def lazy_call(proxy):
    """How settings wrote the lazy call, e.g. ``reverse_lazy('login')``."""
    parts = lazy_parts(proxy)
    if parts is None:
        return f"lazy object {type(proxy).__module__}.{type(proxy).__qualname__}"
    func, args, kwargs = parts
    module = sys.modules.get(getattr(func, "__module__", None) or "")
    name = getattr(func, "__name__", None) or repr(func)
    public = [c for c in (name + "_lazy", name.lstrip("_")) if c.endswith("_lazy") and hasattr(module, c)]
    shown = public[0] if public else f"lazy({name})"  # reverse -> reverse_lazy, _format_lazy -> format_lazy

    def argument(item):
        return lazy_call(item) if type(item).__name__ == "__proxy__" else _safe_repr(item)

    rendered = [argument(a) for a in args] + [f"{k}={argument(v)}" for k, v in kwargs.items()]
    return f"{shown}({', '.join(rendered)})"


def _safe_repr(value):
    try:
        return repr(value)
    except Exception as error:
        return f"<unrepresentable: {type(error).__name__}>"  # a broken __repr__ must not break evaluation


def lazy_text(proxy):
    """str() of a lazy string. Translating needs the app registry, which django.setup() fills
    before any request is served: fill it when the first lazy string is met (all settings have
    been read by then). If the apps cannot be loaded, the untranslated text."""
    try:
        return str(proxy)
    except Exception as error:
        if type(error).__name__ != "AppRegistryNotReady":
            raise
    try:
        from django.apps import apps
        from django.conf import settings
        apps.populate(settings.INSTALLED_APPS)
        return str(proxy)
    except Exception:
        args = getattr(proxy, "_args", None) or getattr(proxy, "_proxy____args", None) or ("",)
        return str(args[0])


# ---------------------------------------------------------------------------------------------
# SEC001: credentials written as literals in project source files

CREDENTIAL_SETTING = re.compile(
    r"(SECRET_ACCESS_KEY|ACCESS_KEY_ID|SESSION_TOKEN|SECURITY_TOKEN|ACCOUNT_KEY|CONNECTION_STRING|"
    r"SAS_TOKEN|GS_CREDENTIALS|(AWS|S3|GS|GCS|AZURE|STORAGE|B2|R2|MINIO|SPACES)\w*_SECRET_KEY)$", re.IGNORECASE)
# Keys that, next to a credential key in a dict literal, mark it as storage OPTIONS.
STORAGE_OPTION_KEYS = {"bucket_name", "location", "custom_domain", "region_name", "endpoint_url", "account_name",
                       "azure_container", "project_id", "default_acl", "querystring_auth", "file_overwrite",
                       "object_parameters", "signature_version", "addressing_style", "expiration_secs"}
CREDENTIAL_OPTION = {"secret_key", "access_key", "account_key", "session_token", "security_token",
                     "connection_string", "sas_token", "aws_secret_access_key", "aws_access_key_id",
                     "account_key_id"}
ENV_READERS = {"getenv", "env", "config"}  # plus .get/.str on os.environ / environ / an Env


# Django's own signing key (and the variable conventionally holding it) is out of SEC001's scope.
DJANGO_KEY_NAMES = {"SECRET_KEY", "DJANGO_SECRET_KEY", "SECRET_KEY_FALLBACKS"}


def _is_credential_name(name):
    return isinstance(name, str) and name not in DJANGO_KEY_NAMES and bool(CREDENTIAL_SETTING.search(name))


def _literal(node):
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip() != ""


def node_column(lines, node):
    """1-based character column of an ast node (its col_offset counts UTF-8 bytes)."""
    text = lines[node.lineno - 1] if 0 < node.lineno <= len(lines) else ""
    return len(text.encode("utf-8")[:node.col_offset].decode("utf-8", "replace")) + 1


def _is_env_read(func):
    """os.getenv(...), os.environ.get(...), environ.get(...), env(...)/env.str(...), config(...)."""
    if isinstance(func, ast.Name):
        return func.id in ENV_READERS
    if isinstance(func, ast.Attribute):
        if func.attr == "getenv":
            return True
        receiver = func.value
        name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
        return func.attr in ("get", "str") and name in ("environ", "env", "ENV")
    return False


def _storage_option_dicts(tree):
    """Dict literals that are storage OPTIONS: the value of an "OPTIONS" key, or holding a
    storage option such as bucket_name next to the credential."""
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        keys = {k.value.lower() for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
        if keys & STORAGE_OPTION_KEYS:
            found.add(id(node))
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and key.value == "OPTIONS" and isinstance(value, ast.Dict):
                found.add(id(value))
    return found


def literal_credentials(files):
    found = []
    for path in files:
        try:
            with open(path, encoding="utf-8") as handle:
                source = handle.read()
            tree = ast.parse(source, filename=path)
        except (OSError, SyntaxError, ValueError):
            continue
        lines = source.splitlines()
        seen = set()
        storage_dicts = _storage_option_dicts(tree)

        def add(name, node, context):
            key = (node.lineno, node.col_offset)
            if key in seen:
                return
            seen.add(key)
            found.append({"name": name, "file": path, "line": node.lineno,
                          "column": node_column(lines, node), "redacted": redact(node.value),
                          "context": context})

        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None and _literal(node.value):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and _is_credential_name(target.id):
                        add(target.id, node.value, "assignment")
            elif isinstance(node, ast.Dict) and id(node) in storage_dicts:
                for key, value in zip(node.keys, node.values):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str) \
                            and key.value.lower() in CREDENTIAL_OPTION and _literal(value):
                        add(key.value, value, "option")
            elif isinstance(node, ast.Call):
                func = node.func
                if _is_env_read(func) and node.args and isinstance(node.args[0], ast.Constant) \
                        and _is_credential_name(node.args[0].value):
                    defaults = [k.value for k in node.keywords if k.arg == "default"] + node.args[1:2]
                    for default in defaults:
                        if _literal(default):
                            add(node.args[0].value, default, "default")
                callee = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "") or ""
                for keyword in node.keywords if callee.endswith("Storage") else ():
                    if keyword.arg and keyword.arg.lower() in CREDENTIAL_OPTION and _literal(keyword.value):
                        add(keyword.arg, keyword.value, "option")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and AWS_KEY_ID.search(node.value):
                add("AWS access key id", node, "key-id")
    return found
