"""Reference for `djstatic migrate`: Django's own default and staticfiles storages.

Usage: python django_storages.py PROJECT_ROOT SETTINGS_MODULE
Prints JSON {alias: {"class": dotted name, "attributes": {name: repr}}} of
``django.core.files.storage.storages[alias]`` after ``django.setup()``: the storages Django itself
creates from these settings (on 4.2/5.0 honouring STATICFILES_STORAGE / DEFAULT_FILE_STORAGE).
Credentials are printed as digests, memory addresses are dropped. A manifest storage's manifest
is not read (S3's would be a network request).
"""
import hashlib
import json
import os
import re
import sys

sys.path.insert(0, sys.argv[1])
os.environ["DJANGO_SETTINGS_MODULE"] = sys.argv[2]

import django  # noqa: E402

django.setup()
from django.contrib.staticfiles.storage import ManifestFilesMixin  # noqa: E402
from django.core.files.storage import storages  # noqa: E402

ManifestFilesMixin.read_manifest = lambda self: None
CREDENTIALS = {"access_key", "secret_key", "security_token"}

out = {}
for alias in ("default", "staticfiles"):
    storage = storages[alias]
    attributes = {}
    for name in ("base_location", "location", "base_url"):
        try:
            attributes[name] = getattr(storage, name)
        except Exception as error:
            attributes[name] = f"<{type(error).__name__}>"
    attributes.update(vars(storage))
    attributes.pop("_constructor_args", None)
    shown = {}
    for name, value in sorted(attributes.items()):
        text = re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))
        shown[name] = hashlib.sha256(text.encode()).hexdigest() if name in CREDENTIALS else text
    out[alias] = {"class": f"{type(storage).__module__}.{type(storage).__qualname__}", "attributes": shown}
print(json.dumps(out, sort_keys=True))
