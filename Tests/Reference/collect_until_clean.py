"""The differential oracle of the asset audit: what real Django reports, one failure at a time.

    python collect_until_clean.py PROJECT_DIR STATIC_DIR   (run with the venv's python)

Runs ``manage.py collectstatic --noinput`` in PROJECT_DIR (a throw-away copy) again and again; each
time post-processing fails with "The file 'X' could not be found", creates X under STATIC_DIR and
runs again, until collectstatic succeeds. Then renders every template of the project's engines
(DEBUG off) and records which raise ValueError. Prints one JSON object:
{"missing": [X, ...], "final_error": null | "...", "templates": {"name": "ValueError: ..." | null}}."""

import json
import os
import re
import subprocess
import sys

project, static_dir = sys.argv[1], sys.argv[2]
missing, final_error = [], None
for _ in range(200):
    run = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--clear", "-v", "0"],
                         cwd=project, capture_output=True, text=True)
    if run.returncode == 0:
        break
    found = re.findall(r"The file '([^']*)' could not be found with", run.stderr)
    if not found:
        final_error = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else f"exit {run.returncode}"
        break
    name = found[-1]
    missing.append(name)
    target = os.path.join(static_dir, name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w") as handle:
        handle.write("/* created by collect_until_clean.py */\n")

templates = {}
if final_error is None:
    sys.path.insert(0, project)
    os.chdir(project)
    import django
    django.setup()
    from django.template import engines
    for engine in engines.all():
        if hasattr(engine, "env"):  # Jinja2
            directories = list(engine.env.loader.searchpath)
        else:
            directories = [d for loader in engine.engine.template_loaders
                           for inner in getattr(loader, "loaders", [loader]) for d in inner.get_dirs()]
        for directory in directories:
            for root, _, names in os.walk(directory):
                for file_name in names:
                    name = os.path.relpath(os.path.join(root, file_name), directory)
                    try:
                        engine.get_template(name).render({})
                        templates[name] = None
                    except ValueError as error:
                        templates[name] = f"ValueError: {error}"
print(json.dumps({"missing": missing, "final_error": final_error, "templates": templates}))
