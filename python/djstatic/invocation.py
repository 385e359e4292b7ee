"""How the management commands run the djstatic executable on the settings this process uses."""
import os
import subprocess
import sys
import sysconfig

from django.conf import settings


def executable():
    """The djstatic executable installed with this package (the wheel puts it in the scripts
    directory of the environment, or of the user scheme for `pip install --user`), or None."""
    schemes = [None] + ([f"{os.name}_user"] if f"{os.name}_user" in sysconfig.get_scheme_names() else [])
    for scheme in schemes:
        directory = sysconfig.get_path("scripts", scheme) if scheme else sysconfig.get_path("scripts")
        candidate = os.path.join(directory, "djstatic")
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def unavailable():
    """Why djstatic cannot run on this process's settings, or None."""
    if executable() is None:
        return "no djstatic executable is installed with the djstatic package"
    if not settings.SETTINGS_MODULE:
        return "the settings were configured in code (settings.configure()), not by a module djstatic can import"
    return None


def settings_arguments():
    """djstatic's options naming this process's settings module, interpreter and import path: the
    module's import root as the project root, and every other directory on sys.path that is not
    part of the interpreter or its site-packages."""
    module_name = settings.SETTINGS_MODULE
    module = sys.modules[module_name]
    root = os.path.dirname(os.path.abspath(module.__file__))
    depth = module_name.count(".") + (os.path.basename(module.__file__) == "__init__.py")
    for _ in range(depth):
        root = os.path.dirname(root)
    interpreter_paths = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    interpreter_paths.update(os.path.realpath(p) for p in sysconfig.get_paths().values())
    arguments = ["--settings", module_name, "--project-root", root, "--python", sys.executable]
    for entry in sys.path:
        path = os.path.realpath(entry or os.getcwd())
        if not os.path.isdir(path) or path == os.path.realpath(root):
            continue
        if any(path == p or path.startswith(p + os.sep) for p in interpreter_paths):
            continue
        arguments += ["--python-path", path]
    return arguments


def run(command, arguments):
    """Runs djstatic with the command's output streams: inherited when they are this process's
    own (manage.py: the prompt and progress stream as they are written), else captured and
    written to them (call_command with stdout=...). Returns the exit status."""
    inherit = getattr(command.stdout, "_out", None) is sys.stdout and getattr(command.stderr, "_out", None) is sys.stderr
    if inherit:
        sys.stdout.flush()
        sys.stderr.flush()
        return subprocess.call(arguments)
    result = subprocess.run(arguments, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    command.stdout.write(result.stdout, ending="")
    command.stderr.write(result.stderr, ending="")
    return result.returncode
