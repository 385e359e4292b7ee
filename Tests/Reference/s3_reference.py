"""Reference answers from django-storages itself, for djstatic's S3 upload tests.

    s3_reference.py keys < [[location, name], ...]   -> [key or "SuspiciousOperation", ...]
    s3_reference.py gzip < [base64 bytes, ...]        -> [base64 of S3Storage's gzipped body, ...]
"""
import base64
import io
import json
import sys

from django.conf import settings

settings.configure()

from django.core.exceptions import SuspiciousOperation  # noqa: E402
from storages.backends.s3 import S3Storage  # noqa: E402
from storages.utils import clean_name  # noqa: E402


def keys(pairs):
    """``S3Storage._normalize_name(clean_name(name))`` for each (location, name); the method reads
    only ``self.location``, so a storage is made without ``__init__`` (whose leading-slash check
    would refuse some of the locations tried)."""
    out = []
    for location, name in pairs:
        storage = S3Storage.__new__(S3Storage)
        storage.location = location
        try:
            out.append(storage._normalize_name(clean_name(name)))
        except SuspiciousOperation:
            out.append("SuspiciousOperation")
    return out


def gzip(bodies):
    storage = S3Storage(bucket_name="b")
    out = []
    for body in bodies:
        wrapper = storage._compress_content(io.BytesIO(base64.b64decode(body)))
        out.append(base64.b64encode(wrapper.read()).decode())
    return out


if __name__ == "__main__":
    print(json.dumps({"keys": keys, "gzip": gzip}[sys.argv[1]](json.load(sys.stdin))))
