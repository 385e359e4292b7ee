"""Effective configuration of django-storages backends, without instantiating them.

For every STORAGES alias whose backend is a django-storages class, reproduce what the backend's
constructor would resolve (``storages.base.BaseStorage.__init__``): the option table and its
setting/environment-derived defaults from the library's own ``get_default_settings()``, called on
an uninitialised instance; class attributes (``hasattr``) beat those; STORAGES OPTIONS beat both.
Each option keeps its origin and, where a statement set it, its file:line:col. OPTIONS keys the
backend would reject ("Invalid setting ...") are listed. Nothing here opens a connection.

When django-storages (or the backend's SDK) is not importable, the documented dotted paths are
recognised and resolved from ``OPTION_TABLES`` below (OPTIONS + settings + environment + default).

Credentials never leave the interpreter: only whether they are set (a redacted stand-in).
"""

import ast
import inspect
import os
import sys
import textwrap
from datetime import timedelta

import djstatic_values as values
from djstatic_envshim import Placeholder

_GZIP_TYPES = ("text/css", "text/javascript", "application/javascript", "application/x-javascript",
               "image/svg+xml")

# Option -> (settings consulted in order, environment variables, default). A leading "|" on the
# settings tuple means "a falsy setting falls through" (``setting(A) or setting(B)``), as for
# url_protocol and SFTP's base_url; otherwise the first *defined* setting wins.
OPTION_TABLES = {
    "s3": {
        "access_key": (("AWS_S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"), ("AWS_S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"), None),
        "secret_key": (("AWS_S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
                       ("AWS_S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"), None),
        "security_token": (("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"), ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"), None),
        "session_profile": (("AWS_S3_SESSION_PROFILE",), ("AWS_S3_SESSION_PROFILE",), None),
        "file_overwrite": (("AWS_S3_FILE_OVERWRITE",), (), True),
        "object_parameters": (("AWS_S3_OBJECT_PARAMETERS",), (), {}),
        "bucket_name": (("AWS_STORAGE_BUCKET_NAME",), (), None),
        "querystring_auth": (("AWS_QUERYSTRING_AUTH",), (), True),
        "querystring_expire": (("AWS_QUERYSTRING_EXPIRE",), (), 3600),
        "signature_version": (("AWS_S3_SIGNATURE_VERSION",), (), None),
        "location": (("AWS_LOCATION",), (), ""),
        "custom_domain": (("AWS_S3_CUSTOM_DOMAIN",), (), None),
        "cloudfront_key_id": (("AWS_CLOUDFRONT_KEY_ID",), (), None),
        "cloudfront_key": (("AWS_CLOUDFRONT_KEY",), (), None),
        "addressing_style": (("AWS_S3_ADDRESSING_STYLE",), (), None),
        "file_name_charset": (("AWS_S3_FILE_NAME_CHARSET",), (), "utf-8"),
        "gzip": (("AWS_IS_GZIPPED",), (), False),
        "gzip_content_types": (("GZIP_CONTENT_TYPES",), (), _GZIP_TYPES),
        "url_protocol": (("|", "AWS_S3_URL_PROTOCOL"), (), "https:"),
        "endpoint_url": (("AWS_S3_ENDPOINT_URL",), (), None),
        "proxies": (("AWS_S3_PROXIES",), (), None),
        "region_name": (("AWS_S3_REGION_NAME",), (), None),
        "use_ssl": (("AWS_S3_USE_SSL",), (), True),
        "verify": (("AWS_S3_VERIFY",), (), None),
        "max_memory_size": (("AWS_S3_MAX_MEMORY_SIZE",), (), 0),
        "default_acl": (("AWS_DEFAULT_ACL",), (), None),
        "use_threads": (("AWS_S3_USE_THREADS",), (), True),
        "transfer_config": (("AWS_S3_TRANSFER_CONFIG",), (), None),
        "client_config": (("AWS_S3_CLIENT_CONFIG",), (), None),
    },
    "gcs": {
        "project_id": (("GS_PROJECT_ID",), (), None),
        "credentials": (("GS_CREDENTIALS",), (), None),
        "bucket_name": (("GS_BUCKET_NAME",), (), None),
        "custom_endpoint": (("GS_CUSTOM_ENDPOINT",), (), None),
        "location": (("GS_LOCATION",), (), ""),
        "default_acl": (("GS_DEFAULT_ACL",), (), None),
        "querystring_auth": (("GS_QUERYSTRING_AUTH",), (), True),
        "expiration": (("GS_EXPIRATION",), (), timedelta(seconds=86400)),
        "gzip": (("GS_IS_GZIPPED",), (), False),
        "gzip_content_types": (("GZIP_CONTENT_TYPES",), (), _GZIP_TYPES),
        "file_overwrite": (("GS_FILE_OVERWRITE",), (), True),
        "object_parameters": (("GS_OBJECT_PARAMETERS",), (), {}),
        "max_memory_size": (("GS_MAX_MEMORY_SIZE",), (), 0),
        "blob_chunk_size": (("GS_BLOB_CHUNK_SIZE",), (), None),
        "iam_sign_blob": (("GS_IAM_SIGN_BLOB",), (), False),
        "sa_email": (("GS_SA_EMAIL",), (), None),
    },
    "azure": {
        "account_name": (("AZURE_ACCOUNT_NAME",), (), None),
        "account_key": (("AZURE_ACCOUNT_KEY",), (), None),
        "object_parameters": (("AZURE_OBJECT_PARAMETERS",), (), {}),
        "azure_container": (("AZURE_CONTAINER",), (), None),
        "azure_ssl": (("AZURE_SSL",), (), True),
        "upload_max_conn": (("AZURE_UPLOAD_MAX_CONN",), (), 2),
        "timeout": (("AZURE_CONNECTION_TIMEOUT_SECS",), (), 20),
        "max_memory_size": (("AZURE_BLOB_MAX_MEMORY_SIZE",), (), 2 * 1024 * 1024),
        "expiration_secs": (("AZURE_URL_EXPIRATION_SECS",), (), None),
        "overwrite_files": (("AZURE_OVERWRITE_FILES",), (), False),
        "location": (("AZURE_LOCATION",), (), ""),
        "default_content_type": ((), (), "application/octet-stream"),
        "cache_control": (("AZURE_CACHE_CONTROL",), (), None),
        "sas_token": (("AZURE_SAS_TOKEN",), (), None),
        "endpoint_suffix": (("AZURE_ENDPOINT_SUFFIX",), (), "core.windows.net"),
        "custom_domain": (("AZURE_CUSTOM_DOMAIN",), (), None),
        "connection_string": (("AZURE_CONNECTION_STRING",), (), None),
        "token_credential": (("AZURE_TOKEN_CREDENTIAL",), (), None),
        "api_version": (("AZURE_API_VERSION",), (), None),
        "client_options": (("AZURE_CLIENT_OPTIONS",), (), {}),
    },
    "sftp": {
        "host": (("SFTP_STORAGE_HOST",), (), None),
        "params": (("SFTP_STORAGE_PARAMS",), (), {}),
        "interactive": (("SFTP_STORAGE_INTERACTIVE",), (), False),
        "file_mode": (("SFTP_STORAGE_FILE_MODE",), (), None),
        "dir_mode": (("SFTP_STORAGE_DIR_MODE",), (), None),
        "uid": (("SFTP_STORAGE_UID",), (), None),
        "gid": (("SFTP_STORAGE_GID",), (), None),
        "known_host_file": (("SFTP_KNOWN_HOST_FILE",), (), None),
        "root_path": (("SFTP_STORAGE_ROOT",), (), ""),
        "base_url": (("|", "SFTP_BASE_URL", "MEDIA_URL"), (), None),
    },
    "ftp": {
        "location": (("FTP_STORAGE_LOCATION",), (), None),
        "encoding": (("FTP_STORAGE_ENCODING",), (), "latin-1"),
        "base_url": (("BASE_URL", "MEDIA_URL"), (), None),
        "allow_overwrite": (("FTP_ALLOW_OVERWRITE",), (), False),
    },
    "dropbox": {
        "root_path": (("DROPBOX_ROOT_PATH",), (), "/"),
        "oauth2_access_token": (("DROPBOX_OAUTH2_TOKEN",), (), None),
        "app_key": (("DROPBOX_APP_KEY",), (), None),
        "app_secret": (("DROPBOX_APP_SECRET",), (), None),
        "oauth2_refresh_token": (("DROPBOX_OAUTH2_REFRESH_TOKEN",), (), None),
        "timeout": (("DROPBOX_TIMEOUT",), (), 100),
        "write_mode": (("DROPBOX_WRITE_MODE",), (), "add"),
    },
    # Not a BaseStorage: its constructor takes exactly these two arguments (TypeError otherwise).
    "libcloud": {
        "provider_name": (("|", "DEFAULT_LIBCLOUD_PROVIDER"), (), "default"),
        "option": ((), (), None),
    },
}

# The class each family's backends derive from (dotted ``module.qualname``, as in ``__mro__``).
FAMILY_BASES = {
    "storages.backends.s3.S3Storage": "s3",
    "storages.backends.gcloud.GoogleCloudStorage": "gcs",
    "storages.backends.azure_storage.AzureStorage": "azure",
    "storages.backends.sftpstorage.SFTPStorage": "sftp",
    "storages.backends.ftp.FTPStorage": "ftp",
    "storages.backends.dropbox.DropboxStorage": "dropbox",
    "storages.backends.apache_libcloud.LibCloudStorage": "libcloud",
}

_S3 = "storages.backends.s3."
_MANIFEST_MIXIN = "django.contrib.staticfiles.storage.ManifestFilesMixin"
_STATIC_S3 = [_S3 + "S3StaticStorage", _S3 + "S3Storage"]
# BACKEND paths recognised when they cannot be imported: (mro, class attributes).
KNOWN_PATHS = {
    _S3 + "S3Storage": ([_S3 + "S3Storage"], {}),
    _S3 + "S3StaticStorage": (_STATIC_S3, {"querystring_auth": False}),
    _S3 + "S3ManifestStaticStorage": ([_S3 + "S3ManifestStaticStorage", _MANIFEST_MIXIN] + _STATIC_S3,
                                      {"querystring_auth": False}),
    "storages.backends.gcloud.GoogleCloudStorage": (["storages.backends.gcloud.GoogleCloudStorage"], {}),
    "storages.backends.azure_storage.AzureStorage": (["storages.backends.azure_storage.AzureStorage"], {}),
    "storages.backends.sftpstorage.SFTPStorage": (["storages.backends.sftpstorage.SFTPStorage"], {}),
    "storages.backends.ftp.FTPStorage": (["storages.backends.ftp.FTPStorage"], {}),
    "storages.backends.dropbox.DropboxStorage": (["storages.backends.dropbox.DropboxStorage"], {}),
    "storages.backends.apache_libcloud.LibCloudStorage": (["storages.backends.apache_libcloud.LibCloudStorage"], {}),
}
KNOWN_PATHS["storages.backends.s3boto3.S3Boto3Storage"] = KNOWN_PATHS[_S3 + "S3Storage"]
KNOWN_PATHS["storages.backends.s3boto3.S3StaticStorage"] = KNOWN_PATHS[_S3 + "S3StaticStorage"]
KNOWN_PATHS["storages.backends.s3boto3.S3ManifestStaticStorage"] = KNOWN_PATHS[_S3 + "S3ManifestStaticStorage"]
KNOWN_PATHS["storages.backends.dropbox.DropBoxStorage"] = KNOWN_PATHS["storages.backends.dropbox.DropboxStorage"]

# Options holding credentials: exported only as "set" (redacted) or None.
CREDENTIAL_OPTIONS = {"access_key", "secret_key", "security_token", "cloudfront_key", "credentials", "account_key",
                      "sas_token", "connection_string", "token_credential", "oauth2_access_token", "app_key",
                      "app_secret", "oauth2_refresh_token"}

# boto3's upload ExtraArgs (boto3 1.44), for when boto3 is not importable.
UPLOAD_ARGUMENTS = [
    "ACL", "CacheControl", "ChecksumAlgorithm", "ChecksumCRC32", "ChecksumCRC32C", "ChecksumCRC64NVME", "ChecksumMD5",
    "ChecksumSHA1", "ChecksumSHA256", "ChecksumSHA512", "ChecksumType", "ChecksumXXHASH128", "ChecksumXXHASH3",
    "ChecksumXXHASH64", "ContentDisposition", "ContentEncoding", "ContentLanguage", "ContentType",
    "ExpectedBucketOwner", "Expires", "GrantFullControl", "GrantRead", "GrantReadACP", "GrantWriteACP", "Metadata",
    "MpuObjectSize", "ObjectLockLegalHoldStatus", "ObjectLockMode", "ObjectLockRetainUntilDate", "RequestPayer",
    "SSECustomerAlgorithm", "SSECustomerKey", "SSECustomerKeyMD5", "SSEKMSEncryptionContext", "SSEKMSKeyId",
    "ServerSideEncryption", "StorageClass", "Tagging", "WebsiteRedirectLocation",
]

_MISSING = object()


def _where(location):
    return None if location is None else {"file": location[0], "line": location[1], "column": location[2]}


# --------------------------------------------------------------------------------------------
# Where STORAGES entries were written


def storages_entry_locations(storages_location):
    """{alias: {"backend": loc, "options": {key: loc}}} from the STORAGES dict literal at the
    statement that set STORAGES (keys of literal dicts only; anything else keeps the statement)."""
    if not storages_location:
        return {}
    path, line = storages_location[0], storages_location[1]
    try:
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
        tree = ast.parse(source, filename=path)
    except (OSError, SyntaxError, ValueError):
        return {}
    lines = source.splitlines()
    literal = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.lineno == line and isinstance(node.value, ast.Dict):
            literal = node.value
            break
    out = {}
    for alias_key, config in zip(literal.keys if literal else (), literal.values if literal else ()):
        if not (isinstance(alias_key, ast.Constant) and isinstance(config, ast.Dict)):
            continue
        entry = out.setdefault(str(alias_key.value), {"backend": None, "options": {}})
        for key, value in zip(config.keys, config.values):
            if not isinstance(key, ast.Constant):
                continue
            if key.value == "BACKEND":
                entry["backend"] = (path, key.lineno, values.node_column(lines, key))
            elif key.value == "OPTIONS" and isinstance(value, ast.Dict):
                for option in value.keys:
                    if isinstance(option, ast.Constant) and isinstance(option.value, str):
                        entry["options"][option.value] = (path, option.lineno, values.node_column(lines, option))
    return out


def _class_attribute_location(klass, name, is_project_file):
    """Where a project class assigns ``name`` in its body."""
    try:
        path = inspect.getsourcefile(klass)
        if not (path and is_project_file(path)):
            return None
        source_lines, start = inspect.getsourcelines(klass)
        tree = ast.parse(textwrap.dedent("".join(source_lines)))
    except (OSError, TypeError, SyntaxError):
        return None
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    for stmt in body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            indent = len(source_lines[0]) - len(source_lines[0].lstrip())
            return (path, start + stmt.lineno - 1, stmt.col_offset + indent + 1)
    return None


# --------------------------------------------------------------------------------------------
# Which OPTIONS keys a backend's constructor consumes


def _consumed_keywords(klass, is_project_file):
    """Keyword names a class's own ``__init__`` takes before passing the rest on: named
    parameters, and (for project classes) literal keys it pops or deletes from ``**kwargs``."""
    init = klass.__dict__.get("__init__")
    if init is None:
        return set()
    names = set()
    try:
        signature = inspect.signature(init)
    except (TypeError, ValueError):
        return names
    var_keyword = None
    for parameter in list(signature.parameters.values())[1:]:
        if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
            names.add(parameter.name)
        elif parameter.kind == parameter.VAR_KEYWORD:
            var_keyword = parameter.name
    try:
        path = inspect.getsourcefile(init)
        if not (var_keyword and path and is_project_file(path)):
            return names
        tree = ast.parse(textwrap.dedent(inspect.getsource(init)))
    except (OSError, TypeError, SyntaxError):
        return names
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "pop" \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == var_keyword \
                and node.args and isinstance(node.args[0], ast.Constant):
            names.add(node.args[0].value)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) \
                        and target.value.id == var_keyword and isinstance(target.slice, ast.Constant):
                    names.add(target.slice.value)
    return names


def _accepted_extras(klass, mro_names, instance, family, is_project_file):
    """OPTIONS keys accepted besides the option table (keys a backend's __init__ takes before it validates OPTIONS, and subclasses' keywords)."""
    extras = set()
    if family == "s3" and not hasattr(instance, "cloudfront_signer"):
        extras.add("cloudfront_signer")  # S3Storage pops it before validation
    if _MANIFEST_MIXIN in mro_names:
        extras.add("manifest_storage")  # ManifestFilesMixin takes it
    for base in getattr(klass, "__mro__", ()):
        if f"{base.__module__}.{base.__qualname__}" in FAMILY_BASES:
            break
        extras |= _consumed_keywords(base, is_project_file)
    return extras


# --------------------------------------------------------------------------------------------
# Resolution


def _table_value(spec, settings):
    """(value, origin, setting-or-variable name) from the option table, as the backend computes it."""
    names, env_names, default = spec
    fall_through = names[:1] == ("|",)
    names = names[1:] if fall_through else names
    for name in names:
        if name in settings and (settings[name] or not fall_through or name == names[-1]):
            return settings[name], "setting", name
    for name in env_names:
        if os.environ.get(name):
            return os.environ[name], "environment", name
    return default, "default", None


def _library_origin(spec, value, lazy_settings):
    """(origin, name) of a value ``get_default_settings()`` returned: the setting holding that very
    object, else the environment variable holding it, else the default."""
    names, env_names, _ = spec
    for name in names:
        if name != "|" and getattr(lazy_settings, name, _MISSING) is value:
            return "setting", name
    for name in env_names:
        if value is not None and os.environ.get(name) == value:
            return "environment", name
    return "default", None


def _library_defaults(instance, table):
    """{option: (value, origin, name)} from the backend's own ``get_default_settings()``, or None
    when it cannot run on an uninitialised instance (then the table stands in)."""
    try:
        from django.conf import settings as lazy_settings
        defaults = instance.get_default_settings()
    except Exception:
        return None
    return {name: (value,) + _library_origin(table.get(name, ((), (), None)), value, lazy_settings)
            for name, value in defaults.items()}


def _encode_option(name, value):
    """Tagged value; a credential only as "set" (the mask), never even partly."""
    if name in CREDENTIAL_OPTIONS and value is not None and not isinstance(value, Placeholder):
        if isinstance(value, str):
            values.redact(value)  # registers it, so that scrub() removes it from any other text
        return {"t": "secret", "v": values.MASK}
    return values.encode(value, name)


def _resolve(klass, family, mro_names, class_attributes, options, settings, sources, entry, is_project_file):
    """The effective options of one alias, each {value, origin, source, location}, and the rejected keys."""
    table = OPTION_TABLES[family]
    instance = None
    if klass is not None:
        try:
            instance = klass.__new__(klass)
        except Exception:
            instance = None
    defaults = None
    if instance is not None and family != "libcloud":  # LibCloudStorage is not a BaseStorage
        defaults = _library_defaults(instance, table)
    if defaults is None:
        defaults = {name: _table_value(spec, settings) for name, spec in table.items()}

    resolved = {}
    for name, (value, origin, source) in defaults.items():
        if instance is not None and hasattr(instance, name):  # BaseStorage.__init__ keeps class attributes
            value = getattr(instance, name)
            owner = next((c for c in klass.__mro__ if name in c.__dict__), klass)
            resolved[name] = (value, "class", f"{owner.__module__}.{owner.__qualname__}",
                              _class_attribute_location(owner, name, is_project_file))
        elif instance is None and name in class_attributes:
            resolved[name] = (class_attributes[name], "class", mro_names[-1], None)
        else:
            resolved[name] = (value, origin, source, sources.get(source) if origin == "setting" else None)

    accepted = set(defaults)
    if klass is not None:
        accepted |= _accepted_extras(klass, mro_names, instance, family, is_project_file)
    else:
        accepted |= {"cloudfront_signer"} if family == "s3" else set()
        accepted |= {"manifest_storage"} if _MANIFEST_MIXIN in mro_names else set()
    rejected = []
    for key, value in options.items():
        where = entry["options"].get(key, entry["statement"])
        if key in accepted:
            resolved[key] = (value, "options", None, where)
        else:
            rejected.append({"key": str(key), "location": _where(where)})

    encoded = {str(name): {"value": _encode_option(name, value), "origin": origin, "source": source,
                           "location": _where(where)}
               for name, (value, origin, source, where) in resolved.items()}
    return encoded, rejected


def _upload_arguments():
    try:
        from boto3.s3.transfer import S3Transfer
        return list(S3Transfer.ALLOWED_UPLOAD_ARGS)
    except Exception:
        return list(UPLOAD_ARGUMENTS)


def _project_overrides(klass, is_project_file):
    """``__init__``/``url`` redefined by a project class in the backend's MRO (a bucket chosen in
    ``__init__``, a rewritten host in ``url``)."""
    found = set()
    for cls in getattr(klass, "__mro__", ())[:-1]:
        module_file = getattr(sys.modules.get(cls.__module__), "__file__", None) or ""
        if is_project_file(module_file):
            found.update(name for name in ("__init__", "url") if name in vars(cls))
    return sorted(found)


def describe(settings, storage_classes, sources, import_class, is_project_file):
    """{alias: configuration} for every STORAGES alias backed by django-storages.

    ``settings``: the values django.conf.settings returns; ``storage_classes``: alias -> __mro__
    names of importable backends; ``sources``: setting name -> (file, line, column);
    ``import_class``: dotted path -> class.
    """
    storages = settings.get("STORAGES")
    if not isinstance(storages, dict):
        return {}
    locations = storages_entry_locations(sources.get("STORAGES"))
    out = {}
    for alias, config in storages.items():
        backend = config.get("BACKEND") if isinstance(config, dict) else None
        if not isinstance(backend, str):
            continue
        alias = str(alias)
        mro_names = storage_classes.get(alias)
        klass, class_attributes = None, {}
        if mro_names is not None:
            family = next((FAMILY_BASES[n] for n in mro_names if n in FAMILY_BASES), None)
            if family is None:
                continue
            try:
                klass = import_class(backend)
            except Exception:
                continue
        elif backend in KNOWN_PATHS:
            mro_names, class_attributes = KNOWN_PATHS[backend]
            family = next(FAMILY_BASES[n] for n in mro_names if n in FAMILY_BASES)
        else:
            continue
        options = config.get("OPTIONS") or {}
        if not isinstance(options, dict):
            options = {}
        entry = {"backend": None, "options": {}, **locations.get(alias, {}), "statement": sources.get("STORAGES")}
        try:
            encoded, rejected = _resolve(klass, family, list(mro_names), class_attributes, options, settings, sources,
                                         entry, is_project_file)
        except Exception:  # e.g. a subclass property that raises on an uninitialised instance: not judged
            continue
        out[alias] = {
            "alias": alias, "family": family, "class": mro_names[0], "mro": list(mro_names),
            "resolved_by": "library" if klass is not None else "path",
            "location": _where(entry.get("backend") or entry["statement"]),
            "options": encoded, "rejected": rejected,
            "upload_arguments": _upload_arguments() if family == "s3" else [],
            "project_overrides": _project_overrides(klass, is_project_file),
        }
    return out
