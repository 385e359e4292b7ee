// The only C-API surface of djstatic. Python.h is never shown to Swift (it redefines
// _XOPEN_SOURCE/_POSIX_C_SOURCE and clashes with Glibc's fd_set in Swift modules), so this
// header declares plain C functions over opaque handles.
//
// libpython is not linked: djs_py_load() dlopen()s the project's own libpython (3.10–3.13) and
// resolves every function with dlsym. The implementation is compiled against the stable ABI
// (Py_LIMITED_API 3.10), so no struct layout or inline refcount macro is used.
#ifndef DJS_PYTHON_H
#define DJS_PYTHON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Opaque strong reference to a Python module object (owned by the shim).
typedef struct djs_module djs_module;

/// dlopen()s `library_path` (RTLD_GLOBAL, so extension modules find libpython's symbols) and
/// resolves the C-API functions. Returns 0 on success; otherwise writes a message to `error`.
int djs_py_load(const char *library_path, char *error, size_t error_len);

/// Initialises the interpreter without Python signal handlers. `home` becomes PYTHONHOME for the
/// initialisation only (the variable is restored afterwards so subprocesses never see it).
/// The GIL is released on return; every later call takes it (from any thread) with PyGILState.
int djs_py_initialize(const char *home, char *error, size_t error_len);

/// Imports module `name` from `directory` (put first on sys.path unless already there) with
/// Python's own import system, so a `__pycache__` beside the source (pip compiles one when it
/// installs the wheel) spares compiling it. Returns NULL and sets *error (malloc'd, free with
/// djs_free) on failure.
djs_module *djs_py_import_module(const char *directory, const char *name, char **error);

/// Calls `module.function(argument)` with one str argument; the function must return str.
/// Returns a malloc'd UTF-8 string (free with djs_free), or NULL with *error set.
/// Takes and releases the GIL around the call.
char *djs_py_call(djs_module *module, const char *function, const char *argument, char **error);

/// Raises `module.<exception_name>` asynchronously in the thread currently inside djs_py_call
/// (used by the timeout watchdog from another thread). Returns 1 when an exception was scheduled.
int djs_py_interrupt_call(djs_module *module, const char *exception_name);

void djs_free(void *pointer);

#ifdef __cplusplus
}
#endif
#endif
