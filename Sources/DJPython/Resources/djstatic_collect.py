"""What ``manage.py collectstatic`` would work with, described as data for djstatic's native collect.

Runs after the settings module is imported: calls ``django.setup()`` (as every management command
does), builds the finders and the ``staticfiles`` storage exactly as Django does (so a project's own
storage ``__init__`` -- e.g. a release-specific manifest location -- runs for real), and describes
them. Finders and storages whose behaviour djstatic does not reproduce are refused by name: a
subclass may change data (``__init__``, locations, class attributes) but not the methods that define
collectstatic's semantics.
"""

import os

# Methods whose Django implementation djstatic reproduces; a subclass overriding one is refused.
FINDER_METHODS = ("list", "find", "find_location", "check")
STORAGE_METHODS = (
    "_save", "save", "get_available_name", "generate_filename", "get_valid_name", "path", "exists",
    "delete", "listdir", "get_modified_time", "url", "post_process", "_post_process", "hashed_name",
    "file_hash", "url_converter", "_url", "_stored_name", "stored_name", "clean_name", "load_manifest",
    "read_manifest", "save_manifest", "manifest_hash", "get_ignored_blocks", "_open", "open",
)


# django-storages' S3Storage methods that define what an upload writes; a subclass overriding one
# is refused (class attributes and __init__ may change data).
S3_METHODS = (
    "_save", "_normalize_name", "_get_write_parameters", "get_object_parameters", "_compress_content",
    "exists", "delete", "url", "get_available_name", "_open", "listdir", "get_modified_time", "size",
)

# The S3 storage's credentials, for the upload only: never part of the (scrubbed, printable)
# description; ``s3_credentials()`` hands them to djstatic's uploader.
_S3_CREDENTIALS = {}


class Unsupported(Exception):
    """A finder or storage djstatic cannot reproduce (the message names it)."""


def dotted(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def _overridden(instance, base, methods):
    cls = type(instance)
    return [m for m in methods if getattr(base, m, None) is not None and getattr(cls, m, None) is not getattr(base, m)]


def _finder(path, finder):
    from django.contrib.staticfiles import finders
    for kind, base in (("filesystem", finders.FileSystemFinder),
                       ("app_directories", finders.AppDirectoriesFinder),
                       ("default_storage", finders.DefaultStorageFinder)):
        if isinstance(finder, base):
            changed = _overridden(finder, base, FINDER_METHODS)
            if changed:
                raise Unsupported(f"finder {dotted(type(finder))} overrides {', '.join(changed)} of "
                                  f"{dotted(base)}; djstatic only reproduces Django's own finders")
            break
    else:
        raise Unsupported(f"finder {dotted(type(finder))} is not one of Django's FileSystemFinder, "
                          "AppDirectoriesFinder or DefaultStorageFinder")
    out = {"path": path, "kind": kind, "class": dotted(type(finder)), "roots": []}
    if kind == "filesystem":
        # finder.locations keeps every (prefix, root) pair; storages is keyed by root only, so a root
        # listed twice is walked twice with the last prefix (a Django quirk djstatic reproduces).
        for prefix, root in finder.locations:
            storage = finder.storages[root]
            out["roots"].append({"location": os.fspath(storage.location), "prefix": getattr(storage, "prefix", None) or "",
                                 "find_prefix": prefix or "", "searched": str(root)})
    elif kind == "app_directories":
        for app in finder.apps:
            location = os.fspath(finder.storages[app].location)
            out["roots"].append({"location": location, "prefix": "", "app": app, "searched": location})
    else:
        location = os.fspath(finder.storage.location)
        out["roots"].append({"location": location, "prefix": "", "searched": location})
    return out


def _storage(storage):
    from django.contrib.staticfiles.storage import ManifestFilesMixin, ManifestStaticFilesStorage, StaticFilesStorage
    from django.core.files.storage import FileSystemStorage

    cls = type(storage)
    mro = [dotted(c) for c in cls.__mro__]
    s3 = _s3_classes()
    if s3 and isinstance(storage, s3[0]):
        return _s3_storage(storage, mro, *s3)
    if not isinstance(storage, FileSystemStorage):
        raise Unsupported(f"staticfiles storage {dotted(cls)} does not write to the local filesystem; "
                          "djstatic collect supports StaticFilesStorage and ManifestStaticFilesStorage "
                          "(and subclasses that only change data)")
    manifest = isinstance(storage, ManifestFilesMixin)
    base = ManifestStaticFilesStorage if manifest else StaticFilesStorage
    if not isinstance(storage, base):
        raise Unsupported(f"staticfiles storage {dotted(cls)} is not a StaticFilesStorage or "
                          "ManifestStaticFilesStorage; djstatic cannot reproduce its behaviour")
    import djstatic_whitenoise
    whitenoise = djstatic_whitenoise.storage_class(storage)  # WhiteNoise's compressing storages
    changed = _overridden(storage, whitenoise or base, STORAGE_METHODS + (djstatic_whitenoise.METHODS if whitenoise else ()))
    if changed:
        raise Unsupported(f"staticfiles storage {dotted(cls)} overrides {', '.join(changed)} of "
                          f"{dotted(whitenoise or base)}; djstatic only reproduces its implementation")
    out = {
        "class": dotted(cls), "mro": mro, "kind": "manifest" if manifest else "static",
        "location": os.fspath(storage.location) if storage.location else None,
        "base_url": storage.base_url,
        "file_permissions_mode": storage.file_permissions_mode,
        "directory_permissions_mode": storage.directory_permissions_mode,
        "allow_overwrite": bool(getattr(storage, "_allow_overwrite", False)),
        "compression": djstatic_whitenoise.describe(storage, Unsupported) if whitenoise else None,
    }
    if manifest:
        manifest_storage = storage.manifest_storage
        if manifest_storage is not storage and not (
                isinstance(manifest_storage, FileSystemStorage) and type(manifest_storage) in (
                    StaticFilesStorage, FileSystemStorage)):
            raise Unsupported(f"manifest storage {dotted(type(manifest_storage))} of {dotted(cls)} is not a "
                              "local StaticFilesStorage")
        out.update(_manifest(storage, os.fspath(manifest_storage.location) if manifest_storage.location else None,
                             manifest_storage.file_permissions_mode, manifest_storage.directory_permissions_mode))
    return out


def _manifest(storage, location, file_mode, directory_mode):
    """The manifest settings of a ManifestFilesMixin storage (location: a local manifest storage's)."""
    return {
        "manifest_name": storage.manifest_name,
        "manifest_version": storage.manifest_version,
        "manifest_strict": bool(storage.manifest_strict),
        "keep_intermediate_files": bool(storage.keep_intermediate_files),
        "max_post_process_passes": int(storage.max_post_process_passes),
        "patterns": _live_patterns(storage),
        "manifest_location": location,
        "manifest_file_permissions_mode": file_mode,
        "manifest_directory_permissions_mode": directory_mode,
    }


def _live_patterns(storage):
    """The storage's compiled reference patterns (``storage._patterns``, built by
    HashedFilesMixin.__init__ from ``patterns`` and, when enabled, the JS module import patterns),
    for djstatic's port of ``re``: a subclass that adds or changes patterns is collected with its
    own. What the port does not reproduce is refused, naming the attribute."""
    import re

    reproduced = re.IGNORECASE | re.MULTILINE | re.DOTALL
    field = re.compile(r"%\((\w+)\)s")

    def regex(compiled, template=None):
        if compiled is None:
            return None
        if not isinstance(compiled.pattern, str) or compiled.flags & ~(reproduced | re.UNICODE):
            raise Unsupported(f"staticfiles storage {dotted(type(storage))}: patterns holds {compiled.pattern!r} with "
                              "flags djstatic's regular expressions do not reproduce (only IGNORECASE, MULTILINE, DOTALL)")
        if template is not None and (not isinstance(template, str) or "%" in field.sub("", template)
                                     or not set(field.findall(template)) <= set(compiled.groupindex)):
            raise Unsupported(f"staticfiles storage {dotted(type(storage))}: patterns has the template {template!r}; "
                              "djstatic reproduces templates made of %(group)s fields of the pattern's own groups")
        return {"pattern": compiled.pattern, "flags": compiled.flags & reproduced}

    groups = []
    for extension, patterns in storage._patterns.items():
        entries = []
        for entry in patterns:  # (compiled, template) before Django 6.1, (compiled, template, ignored_re) since
            compiled, template = entry[0], entry[1]
            entries.append({"regex": regex(compiled, template), "template": template,
                            "ignored": regex(entry[2] if len(entry) > 2 else None)})
        groups.append({"glob": extension, "patterns": entries})
    return groups


def _s3_classes():
    """(S3Storage, S3ManifestStaticStorage) when django-storages' S3 backend is importable."""
    try:
        from storages.backends.s3 import S3ManifestStaticStorage, S3Storage
    except Exception:  # django-storages or boto3 not installed: no S3 storage can be configured
        return None
    return S3Storage, S3ManifestStaticStorage


class _no_remote_manifest_read:
    """While the staticfiles storage is created: a manifest storage on S3 is not read (that would
    be a network request; collectstatic's post-processing starts from an empty mapping anyway)."""

    def __enter__(self):
        from django.contrib.staticfiles.storage import ManifestFilesMixin
        self.original = ManifestFilesMixin.read_manifest
        s3 = _s3_classes()
        original = self.original

        def read_manifest(storage):
            if s3 and isinstance(storage.manifest_storage, s3[0]):
                return None
            return original(storage)

        ManifestFilesMixin.read_manifest = read_manifest

    def __exit__(self, *exc):
        from django.contrib.staticfiles.storage import ManifestFilesMixin
        ManifestFilesMixin.read_manifest = self.original


def _put_headers(storage):
    """The HTTP headers of a PutObject carrying the storage's object parameters and ACL, as
    botocore's own serializer writes them (Content-Type and Content-Encoding are per object, and
    only present here when object_parameters forces them)."""
    import botocore.session
    from botocore.serialize import create_serializer

    params = storage.get_object_parameters("")
    if "ACL" not in params and storage.default_acl:
        params["ACL"] = storage.default_acl
    model = botocore.session.get_session().get_service_model("s3").operation_model("PutObject")
    request = create_serializer("rest-xml").serialize_to_request({"Bucket": "b", "Key": "k", **params}, model)
    return sorted([str(k), v if isinstance(v, str) else v.decode("latin-1")] for k, v in request["headers"].items())


def _s3_config(storage):
    config = storage.client_config
    s3_options = getattr(config, "s3", None) or {}
    transfer = storage.transfer_config
    return {
        "bucket_name": storage.bucket_name,
        "location": storage.location,
        "endpoint_url": storage.endpoint_url,
        "region_name": storage.region_name or getattr(config, "region_name", None),
        "addressing_style": s3_options.get("addressing_style"),
        "signature_version": getattr(config, "signature_version", None),
        "use_ssl": bool(storage.use_ssl),
        "verify": storage.verify if isinstance(storage.verify, (bool, str)) or storage.verify is None else True,
        "gzip": bool(storage.gzip),
        "gzip_content_types": [str(t) for t in storage.gzip_content_types],
        "headers": _put_headers(storage),
        "multipart_threshold": int(transfer.multipart_threshold),
        "multipart_chunksize": int(transfer.multipart_chunksize),
        "max_concurrency": int(transfer.max_concurrency),
        "custom_domain": storage.custom_domain,
        "url_protocol": storage.url_protocol,
    }


def _s3_storage(storage, mro, S3Storage, S3ManifestStaticStorage):
    """An S3 staticfiles storage (django-storages), described for djstatic's native upload."""
    from django.contrib.staticfiles.storage import ManifestFilesMixin

    cls = type(storage)
    manifest = isinstance(storage, ManifestFilesMixin)
    if manifest and not isinstance(storage, S3ManifestStaticStorage):
        raise Unsupported(f"staticfiles storage {dotted(cls)} mixes ManifestFilesMixin into S3Storage itself; "
                          "djstatic reproduces S3ManifestStaticStorage and its data-only subclasses")
    base = S3ManifestStaticStorage if manifest else S3Storage
    changed = _overridden(storage, base, S3_METHODS + (STORAGE_METHODS if manifest else ()))
    if changed:
        raise Unsupported(f"staticfiles storage {dotted(cls)} overrides {', '.join(sorted(set(changed)))}; "
                          "djstatic only reproduces django-storages' S3 implementation")
    if manifest and storage.querystring_auth and not storage.custom_domain:
        raise Unsupported(f"staticfiles storage {dotted(cls)} signs its URLs (querystring_auth), and Django writes "
                          "those expiring signatures into rewritten CSS; djstatic does not reproduce that (and you "
                          "do not want it: see rule S3014)")
    config = _s3_config(storage)
    if not config["bucket_name"]:
        raise Unsupported("the S3 staticfiles storage has no bucket (bucket_name / AWS_STORAGE_BUCKET_NAME)")
    _S3_CREDENTIALS.clear()
    _S3_CREDENTIALS.update({name: getattr(storage, name, None) or None
                            for name in ("access_key", "secret_key", "security_token", "session_profile")})
    # Post-processing keeps only the last path segment of a URL (unquoted), so any URL prefix of
    # the storage serves: the storage's own one when it can make it without the network (e.g. no
    # credentials for a signed URL), else None and djstatic addresses the bucket from the options
    # in "s3" as botocore's endpoint rules do (S3Address), without a second host table here.
    try:
        base_url = storage.url("")
    except Exception:
        base_url = None
    out = {"class": dotted(cls), "mro": mro, "kind": "manifest" if manifest else "static", "location": None,
           "base_url": base_url, "file_permissions_mode": None, "directory_permissions_mode": None,
           "allow_overwrite": False, "s3": config}
    if manifest:
        manifest_storage = storage.manifest_storage
        if manifest_storage is not storage:
            if not isinstance(manifest_storage, S3Storage) or _overridden(manifest_storage, S3Storage, S3_METHODS):
                raise Unsupported(f"manifest storage {dotted(type(manifest_storage))} of {dotted(cls)} is not an "
                                  "S3 storage djstatic reproduces")
            other = _s3_config(manifest_storage)
            for key in ("bucket_name", "endpoint_url", "region_name"):
                if other[key] != config[key]:
                    raise Unsupported(f"the manifest storage of {dotted(cls)} writes to another {key} "
                                      f"({other[key]!r}, not {config[key]!r})")
            out["s3"]["manifest_location"] = other["location"]
            out["s3"]["manifest_headers"] = other["headers"]
        out.update(_manifest(storage, None, None, None))
    return out


def s3_credentials():
    """The credentials of the described S3 storage (None where the storage has none: the
    uploader then follows boto3's chain: environment, shared credentials and config files)."""
    return dict(_S3_CREDENTIALS)


def guess_types(names):
    """``mimetypes.guess_type`` of each object key, as django-storages calls it for Content-Type
    and Content-Encoding (the interpreter's own tables, system MIME files included)."""
    import mimetypes
    return [list(mimetypes.guess_type(name)) for name in names]


def set_up(with_storage=True, preview=None):
    """``django.setup()``, as every management command runs it.

    ``preview``: called once, when ``apps.populate`` has created the app configs and before it
    imports the models modules and runs the ``ready()`` methods (most of a large project's setup),
    with the description ``describe`` would give, taken at that moment from fresh finder and
    storage instances (no cache of Django's is filled, so what follows sees the state Django
    would). djstatic reads the files it names on another core meanwhile; its collect still starts
    from the description ``describe`` returns afterwards, which ``ready()`` may have changed.
    Nothing is previewed when computing it would import a module that is not already imported and
    not Django's, WhiteNoise's or django-storages' (importing a project module before its models
    could change what setup does).
    """
    import django
    from django.conf import settings

    if preview is None:
        django.setup()
    else:
        with _AppsReadyHook(lambda: _preview(settings, with_storage, preview)):
            django.setup()


class SystemCheckFailed(Exception):
    """The system checks found a serious problem: collectstatic prints the text and exits 1."""


def system_checks():
    """The system checks ``manage.py collectstatic`` runs before it collects (its
    ``BaseCommand.execute``: the tags the project's collectstatic command requires), run by
    Django's own ``BaseCommand.check`` on that command: the text it writes to standard error (the
    warnings), or SystemCheckFailed with the text it prints before exiting 1."""
    import io
    from importlib import import_module

    from django.core.management.base import ALL_CHECKS, SystemCheckError

    app = _collectstatic_app()
    if app is None:  # no django.contrib.staticfiles: describe() says so
        return ""
    written = io.StringIO()
    command = import_module(f"{app}.management.commands.collectstatic").Command(
        stdout=io.StringIO(), stderr=written, no_color=True)
    tags = command.requires_system_checks
    try:
        if tags == ALL_CHECKS:
            command.check()
        elif tags:
            command.check(tags=tags)
    except SystemCheckError as error:
        raise SystemCheckFailed(str(error)) from None
    return written.getvalue()


def describe(with_storage=True):
    """The finders, ignore patterns, app order and (unless not wanted) the storage collectstatic
    would use, once ``set_up`` has run."""
    from django.conf import settings

    return _describe(settings, _cached_finder, _configured_storage if with_storage else None)


def _describe(settings, finder, storage):
    from django.apps import apps

    try:
        ignore = list(apps.get_app_config("staticfiles").ignore_patterns)
    except LookupError:
        raise Unsupported("django.contrib.staticfiles is not in INSTALLED_APPS: "
                          "manage.py has no collectstatic command") from None
    described = {
        "static_url": settings.STATIC_URL,
        "default_ignore_patterns": ignore,
        "finders": [_finder(path, finder(path)) for path in settings.STATICFILES_FINDERS],
    }
    if storage is not None:
        _refuse_other_collectstatic()
        described["storage"] = _storage(storage())
    _refuse_undecodable_paths(described)
    return described


# The apps whose collectstatic command is Django's: staticfiles' own, and the djstatic app's (which
# runs djstatic, or Django's own command).
_DJANGOS_COLLECTSTATIC = ("django.contrib.staticfiles", "djstatic")


def _collectstatic_app():
    """The app whose collectstatic command manage.py runs: the first installed app that has one
    (None without django.contrib.staticfiles)."""
    from django.core.management import get_commands

    return get_commands().get("collectstatic")


def _refuse_other_collectstatic():
    """When manage.py's collectstatic is not Django's (Collectfast's, a project's own), djstatic
    does not reproduce what it does."""
    app = _collectstatic_app()
    if app is not None and app not in _DJANGOS_COLLECTSTATIC:
        raise Unsupported(f"manage.py collectstatic is the command of the app {app}, not Django's; "
                          "djstatic only reproduces Django's own")


def _cached_finder(path):
    from django.contrib.staticfiles import finders
    return finders.get_finder(path)


def _configured_storage():
    """``staticfiles_storage``, created now if nothing has used it yet (running the project's own
    ``__init__``)."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.utils.functional import empty

    if staticfiles_storage._wrapped is empty:
        with _no_remote_manifest_read():
            staticfiles_storage._setup()
    return staticfiles_storage._wrapped


# Modules the preview may import: what collectstatic's finders and storages are made of.
_PREVIEW_IMPORTABLE = ("django", "whitenoise", "storages", "boto3", "botocore")


def _preview(settings, with_storage, send):
    import sys

    from django.core.files.storage.handler import StorageHandler

    def importable(dotted_path):
        module = dotted_path.rpartition(".")[0]
        return module in sys.modules or module.split(".")[0] in _PREVIEW_IMPORTABLE

    def fresh_storage():
        with _no_remote_manifest_read():
            return StorageHandler()["staticfiles"]

    try:
        paths = list(settings.STATICFILES_FINDERS)
        if with_storage:
            paths.append(StorageHandler().backends["staticfiles"]["BACKEND"])
        if not all(isinstance(path, str) and importable(path) for path in paths):
            return
        from django.utils.module_loading import import_string
        described = _describe(settings, lambda path: import_string(path)(), fresh_storage if with_storage else None)
    except Exception:  # collectstatic will meet (and report) the same problem, or ready() fixes it
        return
    finally:
        _S3_CREDENTIALS.clear()  # the storage described after setup sets them
    send(described)


class _AppsReadyHook:
    """Calls ``callback`` when ``apps.populate`` sets ``apps_ready``, i.e. between its phase 1
    (app configs created, app modules imported) and phase 2 (models modules imported), once."""

    def __init__(self, callback):
        self.callback = callback

    def __enter__(self):
        from django.apps import apps
        self.registry = type(apps)
        registry, callback = self.registry, self.callback

        class Hooked(registry):
            @property
            def apps_ready(self):
                return self.__dict__["apps_ready"]

            @apps_ready.setter
            def apps_ready(self, value):
                self.__dict__["apps_ready"] = value
                if value:
                    self.__class__ = registry  # unhooked before anything else runs
                    callback()

        if not apps.apps_ready:
            apps.__class__ = Hooked
        return self

    def __exit__(self, *exc):
        from django.apps import apps
        if type(apps) is not self.registry and isinstance(apps, self.registry):
            apps.__class__ = self.registry


def _refuse_undecodable_paths(described):
    """A location that is not UTF-8 (``os.fsdecode`` escaped some of its bytes) cannot be named by
    the native collect, which would write elsewhere: Django's own collectstatic collects it."""
    storage = described.get("storage") or {}
    paths = [storage.get("location"), storage.get("manifest_location")]
    paths += [root[key] for finder in described["finders"] for root in finder["roots"] for key in ("location", "searched")]
    for path in paths:
        if isinstance(path, str) and any("\udc80" <= char <= "\udcff" for char in path):
            shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            raise Unsupported(f"the path {shown} is not UTF-8")
