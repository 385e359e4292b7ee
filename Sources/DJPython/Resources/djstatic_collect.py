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


class Unsupported(Exception):
    """A finder or storage djstatic cannot reproduce (the message names it)."""


def dotted(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def _overridden(instance, base, methods):
    cls = type(instance)
    return [m for m in methods if getattr(base, m, None) is not None and getattr(cls, m, None) is not getattr(base, m)]


def _finder(path):
    from django.contrib.staticfiles import finders
    finder = finders.get_finder(path)
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


def _storage():
    from django.contrib.staticfiles.storage import (
        ManifestFilesMixin, ManifestStaticFilesStorage, StaticFilesStorage, staticfiles_storage)
    from django.core.files.storage import FileSystemStorage

    from django.utils.functional import empty

    if staticfiles_storage._wrapped is empty:  # creating it runs the project's own __init__
        staticfiles_storage._setup()
    storage = staticfiles_storage._wrapped
    cls = type(storage)
    mro = [dotted(c) for c in cls.__mro__]
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
        out.update({
            "manifest_name": storage.manifest_name,
            "manifest_version": storage.manifest_version,
            "manifest_strict": bool(storage.manifest_strict),
            "keep_intermediate_files": bool(storage.keep_intermediate_files),
            "max_post_process_passes": int(storage.max_post_process_passes),
            "support_js_module_import_aggregation": bool(storage.support_js_module_import_aggregation),
            "manifest_location": os.fspath(manifest_storage.location) if manifest_storage.location else None,
            "manifest_file_permissions_mode": manifest_storage.file_permissions_mode,
            "manifest_directory_permissions_mode": manifest_storage.directory_permissions_mode,
        })
    return out


def describe(with_storage=True):
    """The finders, ignore patterns, app order and (unless not wanted) the storage collectstatic
    would use."""
    import django
    from django.apps import apps
    from django.conf import settings

    django.setup()
    try:
        ignore = list(apps.get_app_config("staticfiles").ignore_patterns)
    except LookupError:
        raise Unsupported("django.contrib.staticfiles is not in INSTALLED_APPS: "
                          "manage.py has no collectstatic command") from None
    described = {
        "static_url": settings.STATIC_URL,
        "default_ignore_patterns": ignore,
        "finders": [_finder(path) for path in settings.STATICFILES_FINDERS],
    }
    if with_storage:
        described["storage"] = _storage()
    return described
