"""Reference dump of django.conf.settings, for the differential test of `djstatic inspect`.

Run with the project's Python, from the directory holding manage.py, with DJANGO_SETTINGS_MODULE
set:

    cd fixtures/minimal && DJANGO_SETTINGS_MODULE=mysite.settings \
        ../../.venvs/dj52/bin/python ../../Tests/Reference/dump_settings.py

Prints one JSON object (sorted keys): every upper-case setting django.conf.settings has, read
with getattr() after the script prefix is set as django.setup() sets it, in the plain JSON form
`djstatic inspect --format json` uses for its "settings" object, credentials redacted the same way.

This is a deliberately independent implementation of that contract (it shares no code with
djstatic's evaluator): the point of the test is that two implementations agree.

Redaction, as djstatic does it (credential-named environment variables' values count as masked
credentials from the start):
  * a str/bytes stored under a credential-like setting name or dict key (list/tuple items use the
    enclosing name) is masked: "*" * min(len, 8), or an AWS key id's first and last 4 characters;
  * in every other str (and bytes), URL passwords (scheme://user:***@), query-string credentials
    (?X-Amz-Signature=, &token=, sig=, ...) and AWS key ids are masked;
  * every masked credential that looks random (8+ characters, not a plain all-lower or
    all-upper word) is then masked wherever else its text occurs, in values and keys alike.
djstatic also masks credentials it finds written as literals in project sources (SEC001); this
dump does not scan sources, so fixtures must not contain such literals.
"""

import json
import os
import re
import sys

# What makes a setting name or dict key a credential, and the suffixes that name things about a
# credential (a file holding it, the variable it comes from...) rather than the credential itself.
CREDENTIAL_WORDS = ("SECRET", "PASSWORD", "PASSWD", "TOKEN", "ACCESS_KEY", "ACCOUNT_KEY", "PRIVATE_KEY",
                    "CONNECTION_STRING", "CREDENTIALS", "API_KEY", "SAS", "PEPPER", "SALT", "DSN")
# ...and names that end (or are) like these: METRICS_KEY, TWILIO_AUTH.
CREDENTIAL_ENDINGS = ("_KEY", "_AUTH")
CREDENTIAL_NAMES = ("KEY", "AUTH")
NOT_CREDENTIAL_SUFFIXES = ("_FILE", "_PATH", "_ENV", "_NAME", "_BACKEND", "_CLASS", "_LENGTH")

# scheme://user:password@  (the password part is what gets masked)
USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://)([^:/@\s]*):[^@/\s]+@")
# An AWS access key id, as a whole word.
AWS_ID = re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")
# Query-string parameters that carry credentials (presigned URLs, SAS and API tokens).
TOKEN_PARAMETERS = ("X-Amz-Credential", "X-Amz-Signature", "X-Amz-Security-Token", "X-Goog-Credential",
                    "X-Goog-Signature", "Signature", "sig", "token", "access_token", "auth_token", "api_key",
                    "apikey", "key", "secret", "password", "AWSAccessKeyId")
QUERY_TOKEN = re.compile(r"([?&;](?:%s)=)([^&;#\s'\"]+)" % "|".join(TOKEN_PARAMETERS), re.IGNORECASE)

# Containers nested this deep (or containing themselves) are not followed.
DEPTH_LIMIT = 32
TOO_DEEP = "<recursive or too deep>"


def names_credential(name):
    if not isinstance(name, str) or name.endswith(NOT_CREDENTIAL_SUFFIXES):
        return False
    upper = name.upper()
    return (any(word in upper for word in CREDENTIAL_WORDS) or upper.endswith(CREDENTIAL_ENDINGS)
            or upper in CREDENTIAL_NAMES)


def names_code(value):
    """A dotted import path (a hasher, a backend) names code, not a secret: shown as it is."""
    parts = value.split(".")
    return len(parts) > 1 and all(p and (p[0].isalpha() or p[0] == "_") and p.isascii()
                                  and p.replace("_", "a").isalnum() for p in parts)


# Credentials masked so far that are distinctive enough to mask wherever else they occur.
DISTINCTIVE = set()


def mask(text):
    """A credential's visible form: AWS key ids keep 4 characters at each end, anything else
    becomes 8 asterisks (the length of a secret is not shown either)."""
    if text == "":
        return ""
    plain_word = text.isalpha() and (text.islower() or text.isupper())
    if len(text) >= 8 and not plain_word:
        DISTINCTIVE.add(text)
    if len(text) == 20 and AWS_ID.match(text):
        return text[:4] + "*" * 12 + text[-4:]
    return "*" * 8


def scrub(text):
    """Masks URL passwords and AWS key ids anywhere in a text."""
    text = USERINFO.sub(lambda m: m.group(1) + m.group(2) + ":***@", text)
    text = QUERY_TOKEN.sub(lambda m: m.group(1) + mask(m.group(2)), text)
    return AWS_ID.sub(lambda m: mask(m.group(0)), text)


def safe_repr(obj):
    try:
        return repr(obj)
    except Exception as error:  # a broken __repr__
        return "<unrepresentable: %s>" % type(error).__name__


def plain(value, name, depth, ancestors):
    """The JSON-ready form of one value; `name` is the setting or dict key it is stored under."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (str, bytes)) and names_credential(name) and not (isinstance(value, str) and names_code(value)):
        return mask(value.decode("latin-1") if isinstance(value, bytes) else str(value))
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return repr(value)
        return value
    if isinstance(value, str):
        # Surrogates (surrogateescape'd bytes, or lone ones) cannot be encoded: they become U+FFFD.
        try:
            text = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:
            text = value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        return scrub(text)
    if isinstance(value, bytes):
        return scrub(value.decode("latin-1"))
    if isinstance(value, os.PathLike):
        try:
            return os.fsdecode(os.fspath(value))
        except TypeError:
            pass
    if depth >= DEPTH_LIMIT or id(value) in ancestors:
        return TOO_DEEP
    inner = ancestors | {id(value)}
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            json_key = key_text(key, depth + 1, inner)
            if json_key not in out:  # first one wins when two keys print alike
                out[json_key] = plain(item, key if isinstance(key, str) else name, depth + 1, inner)
        return out
    if isinstance(value, (list, tuple)):
        return [plain(item, name, depth + 1, inner) for item in value]
    if isinstance(value, (set, frozenset)):
        # Order is only approximately djstatic's (it sorts by its internal tagged form): the
        # fixtures avoid sets.
        items = [plain(item, name, depth + 1, inner) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if type(value).__name__ == "__proxy__":
        if translates_only(value):  # gettext_lazy() and friends, as the running site renders them
            return plain(lazy_text(value), name, depth, ancestors)
        return {"lazy": scrub(written_call(value))}  # reverse_lazy(): never resolved
    return scrub(safe_repr(value))


def mask_everywhere(value):
    """Masks every distinctive credential (longest first) in every str of a JSON-ready value."""
    credentials = sorted(DISTINCTIVE, key=len, reverse=True)

    def clean(item):
        if isinstance(item, str):
            for credential in credentials:
                if credential in item:
                    item = item.replace(credential, mask(credential))
            return item
        if isinstance(item, list):
            return [clean(element) for element in item]
        if isinstance(item, dict):
            return {clean(key): clean(element) for key, element in item.items()}
        return item

    return clean(value) if credentials else value


def translates_only(proxy):
    """A lazy gettext (or a lazy str()/format_lazy() of such parts and plain values)."""
    from django.utils.functional import Promise

    func, args, kwargs = proxy.__reduce__()[1][:3]
    if func.__module__ != "django.utils.translation" and func not in (str, format_lazy_function()):
        return False
    for argument in (*args, *kwargs.values()):
        if isinstance(argument, Promise):
            if not translates_only(argument):
                return False
        elif not isinstance(argument, (str, int, float)):
            return False
    return True


def format_lazy_function():
    from django.utils import text

    return text._format_lazy


def written_call(proxy):
    """The lazy call as settings wrote it: reverse_lazy('login', kwargs={'a': 1})."""
    import importlib
    from django.utils.functional import Promise

    func, args, kwargs = proxy.__reduce__()[1][:3]
    home = importlib.import_module(func.__module__)
    label = "lazy(%s)" % func.__name__
    for public in (func.__name__ + "_lazy", func.__name__.lstrip("_")):  # reverse_lazy, format_lazy
        if public.endswith("_lazy") and hasattr(home, public):
            label = public
            break
    shown = [written_call(a) if isinstance(a, Promise) else safe_repr(a) for a in args]
    shown += ["%s=%s" % (k, written_call(v) if isinstance(v, Promise) else safe_repr(v)) for k, v in kwargs.items()]
    return "%s(%s)" % (label, ", ".join(shown))


def lazy_text(proxy):
    """str() of a lazy string, as the running site sees it. Translating needs the app registry,
    which django.setup() fills before any request: fill it (once every setting has been read)
    when a lazy string is met."""
    from django.core.exceptions import AppRegistryNotReady

    try:
        return str(proxy)
    except AppRegistryNotReady:
        from django.apps import apps
        from django.conf import settings

        apps.populate(settings.INSTALLED_APPS)
        return str(proxy)


def key_text(key, depth, ancestors):
    """JSON object keys: str keys as themselves (scrubbed like any str), other keys as repr()."""
    if isinstance(key, str):
        return plain(key, None, depth, ancestors)
    return safe_repr(key)


def main():
    sys.dont_write_bytecode = True  # leave no __pycache__ in the fixtures
    # As manage.py does: the project directory comes first on sys.path.
    sys.path.insert(0, os.getcwd())
    sys.argv = ["manage.py", "check"]
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        sys.exit("dump_settings.py: set DJANGO_SETTINGS_MODULE")
    if os.environ.get("DJANGO_CONFIGURATION"):  # django-configurations, as its manage.py installs it
        from configurations import importer

        importer.install()
    # The value of a credential-named environment variable is a credential wherever it turns up.
    for variable, text in os.environ.items():
        if names_credential(variable) and text:
            mask(text)

    import warnings

    from django.conf import settings
    from django.urls import set_script_prefix

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        force_script_name = settings.FORCE_SCRIPT_NAME  # configures the settings
        set_script_prefix("/" if force_script_name is None else force_script_name)
        names = [name for name in dir(settings) if name.isupper()]
        values = {name: getattr(settings, name) for name in names}

    dumped = mask_everywhere({name: plain(value, name, 0, frozenset()) for name, value in values.items()})
    sys.stdout.write(json.dumps(dumped, sort_keys=True, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
