"""What ``django.conf.settings`` would return when Django cannot be used.

Used when Django is not importable from the project's environment, or when Django refused the
settings at load time (then the values are still needed to explain why). Mirrors
``django/conf/global_settings.py`` (the static/media subset) and ``LazySettings.__getattr__``'s
script-prefix rewriting of STATIC_URL/MEDIA_URL (identical in Django 4.2-6.1).
"""

DEFAULTS = {
    "DEBUG": False,
    "INSTALLED_APPS": [],
    "STATIC_URL": None,
    "STATIC_ROOT": None,
    "STATICFILES_DIRS": [],
    "STATICFILES_FINDERS": [
        "django.contrib.staticfiles.finders.FileSystemFinder",
        "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    ],
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
    "MEDIA_URL": "",
    "MEDIA_ROOT": "",
    "FILE_UPLOAD_PERMISSIONS": 0o644,
    "FILE_UPLOAD_DIRECTORY_PERMISSIONS": None,
    "FORCE_SCRIPT_NAME": None,
    "SILENCED_SYSTEM_CHECKS": [],
}

LEGACY_DEFAULTS = {  # Django 4.2 and 5.0 only
    "DEFAULT_FILE_STORAGE": "django.core.files.storage.FileSystemStorage",
    "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
}


def _version_tuple(version):
    try:
        return tuple(int(p) for p in (version or "").split(".")[:2])
    except ValueError:
        return ()


def effective_url(value, force_script_name):
    """LazySettings._add_script_prefix: relative URLs get the script prefix."""
    if value is None or value.startswith(("http://", "https://", "/")):
        return value
    prefix = "/" if force_script_name is None else force_script_name
    if not prefix.endswith("/"):
        prefix += "/"
    return prefix + value


def settings_without_django(module, django_version):
    result = dict(DEFAULTS)
    version = _version_tuple(django_version)
    if version and version < (5, 1):
        result.update(LEGACY_DEFAULTS)
    for name in dir(module):
        if name.isupper():
            result[name] = getattr(module, name)
    force = result.get("FORCE_SCRIPT_NAME")
    for name in ("STATIC_URL", "MEDIA_URL"):
        if isinstance(result.get(name), str):
            result[name] = effective_url(result[name], force)
    return result
