"""WhiteNoise's compressing staticfiles storages, described for djstatic's native collect.

``CompressedStaticFilesStorage`` and ``CompressedManifestStaticFilesStorage`` (whitenoise 6.x) add
``.br``/``.gz`` siblings (and, optionally, the deletion of unhashed files) to Django's storages.
djstatic reproduces that natively, except the Brotli compression itself: it runs here, through
the very compressor whitenoise's ``post_process`` would create (the project's own ``brotli``
module), in ``brotli_compress``. A subclass may change data but not the methods below.
"""


# WhiteNoise's own methods that define what post-processing writes; a subclass overriding one is
# refused (djstatic_collect checks Django's methods against the WhiteNoise class).
METHODS = (
    "post_process", "post_process_with_compression", "hashed_name", "start_tracking_new_files",
    "stop_tracking_new_files", "keep_only_hashed_files", "delete_files", "create_compressor",
    "compress_files", "make_helpful_exception",
)

# The compressor whitenoise's post_process would create, kept for ``brotli_compress``.
_COMPRESSOR = None


def storage_class(storage):
    """The WhiteNoise storage class ``storage`` derives from, or None."""
    try:
        from whitenoise.storage import CompressedManifestStaticFilesStorage, CompressedStaticFilesStorage
    except Exception:  # whitenoise not installed (or broken): no storage of its can be configured
        return None
    for cls in (CompressedManifestStaticFilesStorage, CompressedStaticFilesStorage):
        if isinstance(storage, cls):
            return cls
    return None


def describe(storage, unsupported):
    """The compression settings ``post_process`` will use: the skip-extension regex, which
    encoders run, and (manifest variant) keep_only_hashed_files and the missing-file message."""
    global _COMPRESSOR
    import re

    from django.conf import settings
    from whitenoise import compress

    extensions = getattr(settings, "WHITENOISE_SKIP_COMPRESS_EXTENSIONS", None)
    compressor = storage.create_compressor(extensions=extensions, quiet=True)
    if type(compressor) is not compress.Compressor:
        raise unsupported(f"the compressor of {type(storage).__module__}.{type(storage).__qualname__} is not "
                          "whitenoise.compress.Compressor; djstatic only reproduces WhiteNoise's own")
    _COMPRESSOR = compressor
    brotli = getattr(compress, "brotli", None) if compressor.use_brotli else None
    out = {
        "skip_pattern": compressor.extension_re.pattern,
        "skip_ignore_case": bool(compressor.extension_re.flags & re.IGNORECASE),
        "gzip": bool(compressor.use_gzip),
        "brotli": bool(compressor.use_brotli),
        "brotli_version": str(getattr(brotli, "__version__", "")) if brotli else None,
    }
    if hasattr(storage, "post_process_with_compression"):
        out.update({
            "keep_only_hashed_files": bool(storage.keep_only_hashed_files),
            "missing_file_pattern": storage._error_msg_re.pattern,
            "missing_file_message": storage._error_msg,
        })
    return out


def brotli_compress(jobs):
    """For each ``[source, destination]``: ``destination`` gets the compressor's Brotli output of
    ``source``'s bytes (whitenoise's thread pool: brotli releases the GIL). Returns the sizes.

    Google's ``brotli.compress(data)`` is ``Compressor().process(data) + finish()``, and the
    encoder only ever encodes a full input block (or the end): fed 1 MiB at a time, the output is
    the same bytes, in bounded memory. Any other ``brotli`` module gets the whole file, as
    whitenoise gives it."""
    from concurrent.futures import ThreadPoolExecutor

    from whitenoise import compress

    brotli = compress.brotli
    streams = getattr(brotli.compress, "__module__", None) == "brotli" and hasattr(brotli, "Compressor")

    def one(job):
        source, destination = job
        size = 0
        with open(source, "rb") as f, open(destination, "wb") as out:
            if not streams:
                size = out.write(_COMPRESSOR.compress_brotli(f.read()))
            else:
                compressor = brotli.Compressor()
                while chunk := f.read(1 << 20):
                    size += out.write(compressor.process(chunk))
                size += out.write(compressor.finish())
        return size

    if _COMPRESSOR is None:
        raise RuntimeError("no WhiteNoise storage was described in this process")
    with ThreadPoolExecutor() as executor:
        return list(executor.map(one, jobs))
