// Stable-ABI shim over a dlopen()ed libpython. Python.h comes from libpython3-dev; with
// Py_LIMITED_API every call below exists, with the same signature, in libpython 3.10–3.13.
#define PY_SSIZE_T_CLEAN
#define Py_LIMITED_API 0x030A0000
// Headers from Debian's libpython3-dev, included by absolute path: no -I flag, and nothing is
// linked (python3-embed's pkg-config would add -lpython3.11, which must not be loaded beside the
// project's own libpython).
#if __has_include(</usr/include/python3.11/Python.h>)
#include </usr/include/python3.11/Python.h>
#elif __has_include(</usr/include/python3.12/Python.h>)
#include </usr/include/python3.12/Python.h>
#elif __has_include(</usr/include/python3.13/Python.h>)
#include </usr/include/python3.13/Python.h>
#elif __has_include(</usr/include/python3.10/Python.h>)
#include </usr/include/python3.10/Python.h>
#else
#error "Python headers not found: install libpython3-dev (Scripts/bootstrap does)"
#endif

#include "djs_python.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Each function pointer carries the exact prototype from Python.h (type-checked at compile time).
#define DJS_FUNCTIONS(X)                                                                           \
    X(Py_InitializeEx)                                                                             \
    X(Py_IsInitialized)                                                                            \
    X(PyEval_SaveThread)                                                                           \
    X(PyGILState_Ensure)                                                                           \
    X(PyGILState_Release)                                                                          \
    X(PyThread_get_thread_ident)                                                                   \
    X(PyThreadState_SetAsyncExc)                                                                   \
    X(PySys_GetObject)                                                                             \
    X(PyUnicode_DecodeFSDefault)                                                                   \
    X(PySequence_Contains)                                                                         \
    X(PyList_Insert)                                                                               \
    X(PyImport_ImportModule)                                                                       \
    X(PyObject_GetAttrString)                                                                      \
    X(PyObject_CallFunctionObjArgs)                                                                \
    X(PyObject_Str)                                                                                \
    X(PyUnicode_FromStringAndSize)                                                                 \
    X(PyUnicode_AsUTF8AndSize)                                                                     \
    X(Py_IncRef)                                                                                   \
    X(Py_DecRef)                                                                                   \
    X(PyErr_Fetch)                                                                                 \
    X(PyErr_NormalizeException)                                                                    \
    X(PyErr_Clear)

#define DJS_DECLARE(name) static __typeof__(&name) p_##name;
DJS_FUNCTIONS(DJS_DECLARE)

// Optional: Py_SetPythonHome is deprecated since 3.11 (a Python that drops it falls back to
// PYTHONHOME in the environment, see djs_py_initialize).
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
static __typeof__(&Py_SetPythonHome) p_Py_SetPythonHome;
#pragma clang diagnostic pop
static __typeof__(&Py_DecodeLocale) p_Py_DecodeLocale;

struct djs_module {
    PyObject *module;
};

static volatile unsigned long calling_thread_ident;  // thread inside djs_py_call, 0 when none

static void set_error(char *error, size_t error_len, const char *format, const char *detail) {
    if (error && error_len) snprintf(error, error_len, format, detail ? detail : "");
}

int djs_py_load(const char *library_path, char *error, size_t error_len) {
    void *handle = dlopen(library_path, RTLD_NOW | RTLD_GLOBAL);
    if (!handle) {
        set_error(error, error_len, "%s", dlerror());
        return -1;
    }
#define DJS_RESOLVE(name)                                                                          \
    p_##name = (__typeof__(&name))dlsym(handle, #name);                                            \
    if (!p_##name) {                                                                               \
        set_error(error, error_len, "libpython has no symbol %s", #name);                          \
        return -1;                                                                                 \
    }
    DJS_FUNCTIONS(DJS_RESOLVE)
    p_Py_SetPythonHome = (__typeof__(p_Py_SetPythonHome))dlsym(handle, "Py_SetPythonHome");
    p_Py_DecodeLocale = (__typeof__(p_Py_DecodeLocale))dlsym(handle, "Py_DecodeLocale");
    return 0;
}

static void initialize_with_environment(const char *home);

int djs_py_initialize(const char *home, char *error, size_t error_len) {
    if (p_Py_IsInitialized()) return 0;
    // The home goes to Python directly where it can: changing the process environment would race
    // with other threads reading it (a crash in glibc) and leak into processes spawned meanwhile.
    wchar_t *wide_home = (home && *home && p_Py_SetPythonHome && p_Py_DecodeLocale) ? p_Py_DecodeLocale(home, NULL) : NULL;
    if (wide_home) {
        p_Py_SetPythonHome(wide_home);  // Python keeps the pointer: never freed
        p_Py_InitializeEx(0);
    } else {
        initialize_with_environment(home);
    }
    if (!p_Py_IsInitialized()) {
        set_error(error, error_len, "%s", "Py_InitializeEx failed");
        return -1;
    }
    p_PyEval_SaveThread();
    return 0;
}

// The fallback: PYTHONHOME set around initialisation (while djstatic is single-threaded).
static void initialize_with_environment(const char *home) {
    const char *previous = getenv("PYTHONHOME");
    char *saved = previous ? strdup(previous) : NULL;
    if (home && *home) setenv("PYTHONHOME", home, 1);
    p_Py_InitializeEx(0);
    if (saved) {
        setenv("PYTHONHOME", saved, 1);
        free(saved);
    } else {
        unsetenv("PYTHONHOME");
    }
}

// Formats and clears the pending exception as "Type: message" (malloc'd).
static char *take_exception(void) {
    PyObject *type = NULL, *value = NULL, *traceback = NULL;
    p_PyErr_Fetch(&type, &value, &traceback);
    if (!type) return strdup("unknown Python error");
    p_PyErr_NormalizeException(&type, &value, &traceback);
    char *result = NULL;
    PyObject *name = p_PyObject_GetAttrString(type, "__name__");
    PyObject *text = value ? p_PyObject_Str(value) : NULL;
    Py_ssize_t name_len = 0, text_len = 0;
    const char *name_utf8 = name ? p_PyUnicode_AsUTF8AndSize(name, &name_len) : NULL;
    const char *text_utf8 = text ? p_PyUnicode_AsUTF8AndSize(text, &text_len) : NULL;
    p_PyErr_Clear();
    size_t size = (size_t)name_len + (size_t)text_len + 3;
    result = malloc(size);
    if (result) snprintf(result, size, "%s: %s", name_utf8 ? name_utf8 : "Exception", text_utf8 ? text_utf8 : "");
    p_Py_DecRef(name);
    p_Py_DecRef(text);
    p_Py_DecRef(type);
    p_Py_DecRef(value);
    p_Py_DecRef(traceback);
    return result;
}

djs_module *djs_py_import_module(const char *directory, const char *name, char **error) {
    PyGILState_STATE gil = p_PyGILState_Ensure();
    djs_module *result = NULL;
    PyObject *path = p_PySys_GetObject("path");  // borrowed
    PyObject *entry = p_PyUnicode_DecodeFSDefault(directory);
    int present = (path && entry) ? p_PySequence_Contains(path, entry) : -1;
    int ready = present == 1 || (present == 0 && p_PyList_Insert(path, 0, entry) == 0);
    PyObject *module = ready ? p_PyImport_ImportModule(name) : NULL;
    if (module) {
        result = malloc(sizeof *result);
        result->module = module;  // new reference, kept for the life of the process
    } else if (error) {
        *error = take_exception();
    }
    p_Py_DecRef(entry);
    p_PyGILState_Release(gil);
    return result;
}

char *djs_py_call(djs_module *module, const char *function, const char *argument, char **error) {
    PyGILState_STATE gil = p_PyGILState_Ensure();
    calling_thread_ident = p_PyThread_get_thread_ident();
    char *result = NULL;
    PyObject *callable = p_PyObject_GetAttrString(module->module, function);
    PyObject *arg = p_PyUnicode_FromStringAndSize(argument, (Py_ssize_t)strlen(argument));
    PyObject *value = (callable && arg) ? p_PyObject_CallFunctionObjArgs(callable, arg, NULL) : NULL;
    Py_ssize_t length = 0;
    const char *utf8 = value ? p_PyUnicode_AsUTF8AndSize(value, &length) : NULL;
    if (utf8) {
        result = malloc((size_t)length + 1);
        memcpy(result, utf8, (size_t)length);
        result[length] = 0;
    } else if (error) {
        *error = take_exception();
    }
    p_Py_DecRef(value);
    p_Py_DecRef(arg);
    p_Py_DecRef(callable);
    calling_thread_ident = 0;
    p_PyGILState_Release(gil);
    return result;
}

int djs_py_interrupt_call(djs_module *module, const char *exception_name) {
    PyGILState_STATE gil = p_PyGILState_Ensure();
    int scheduled = 0;
    PyObject *exception = p_PyObject_GetAttrString(module->module, exception_name);
    if (exception && calling_thread_ident) {
        scheduled = p_PyThreadState_SetAsyncExc(calling_thread_ident, exception);
    }
    if (!exception) p_PyErr_Clear();
    p_Py_DecRef(exception);
    p_PyGILState_Release(gil);
    return scheduled;
}

void djs_free(void *pointer) { free(pointer); }
