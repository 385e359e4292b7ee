"""`djstatic migrate`: the legacy storage settings rewritten as STORAGES, and the proof material.

``plan`` finds the STATICFILES_STORAGE / DEFAULT_FILE_STORAGE assignments and the django-storages
settings (AWS_*, GS_*, AZURE_*, ...) that only one storage reads, and returns line edits of the
settings file that replace them with one STORAGES dict: the legacy values become BACKEND entries,
the settings become OPTIONS, each keeping its own expression text and comments. A project already
on STORAGES (a dict literal) gets its global settings moved into the entries' OPTIONS. It refuses,
with the reason, what it cannot rewrite faithfully (an assignment inside a block, read elsewhere in
the file, split across files, ...).

``fingerprint`` is what both evaluations are compared on: each storage as Django 4.2/5.0 creates
it from the settings (the legacy settings still honoured), its class and every attribute of the
created instance plus the location/URL/permission properties derived from settings. Credentials
enter only as digests.
"""

import ast
import hashlib
import re

import djstatic_backends as backends
import djstatic_values as values

# (alias, legacy setting, the backend Django uses when neither it nor STORAGES names one)
LEGACY = (("default", "DEFAULT_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"),
          ("staticfiles", "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"))
DERIVED_PROPERTIES = ("base_location", "location", "base_url", "file_permissions_mode", "directory_permissions_mode")
# @deconstructible's record of the constructor's arguments: OPTIONS are arguments, settings are not.
NOT_CONFIGURATION = {"_constructor_args"}
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
INDENT = "    "


class Refusal(Exception):
    def __init__(self, message, line=None):
        super().__init__(message)
        self.line = line


# --------------------------------------------------------------------------------------------
# The storages both versions must agree on


def legacy_storages(module, settings):
    """STORAGES as Django 4.2/5.0 build it: a legacy setting in the settings module names its
    alias's backend (Django 5.1+ ignores it)."""
    configured = settings.get("STORAGES")
    storages = {str(a): dict(c) for a, c in configured.items()} if isinstance(configured, dict) else {}
    for alias, name, default in LEGACY:
        if name in vars(module):
            storages[alias] = {"BACKEND": getattr(module, name)}
        storages.setdefault(alias, {"BACKEND": default})
    return storages


def _comparable(name, value):
    if name in backends.CREDENTIAL_OPTIONS or values.is_secret_name(name):
        digest = hashlib.sha256(repr(value).encode("utf-8", "replace")).hexdigest()[:16] if value else ""
        return {"t": "opaque", "type": "digest", "v": digest}
    return _without_addresses(values.encode(value))


def _without_addresses(tagged):
    """Object reprs name memory addresses, which differ between two evaluations of equal settings."""
    if isinstance(tagged, dict):
        if tagged.get("t") == "opaque":
            return {**tagged, "v": ADDRESS.sub("", tagged.get("v", ""))}
        return {k: _without_addresses(v) for k, v in tagged.items()}
    if isinstance(tagged, list):
        return [_without_addresses(v) for v in tagged]
    return tagged


def _attributes(storage):
    found = {}
    for name in DERIVED_PROPERTIES:
        try:
            found[name] = getattr(storage, name)
        except Exception as error:
            found[name] = f"<{type(error).__name__}>"
    found.update(vars(storage))  # after the properties: cached ones are in vars() by now
    return {str(name): _comparable(str(name), value) for name, value in sorted(found.items())
            if name not in NOT_CONFIGURATION}


def fingerprint(module, settings, no_remote_manifest_read, exception_message):
    from django.core.files.storage import storages as handler
    out = {}
    for alias, params in legacy_storages(module, settings).items():
        entry = {"backend": values.encode(params.get("BACKEND"))}
        try:
            with no_remote_manifest_read():
                storage = handler.create_storage(params)
            klass = type(storage)
            entry["class"] = values.encode(f"{klass.__module__}.{klass.__qualname__}")
            entry["attributes"] = {"t": "dict", "v": [[values.encode(k), v] for k, v in _attributes(storage).items()]}
        except Exception as error:
            entry["error"] = values.encode(exception_message(error))
        out[alias] = entry
    return {"t": "dict", "v": [[values.encode(alias), {"t": "dict", "v": [[values.encode(k), v] for k, v in entry.items()]}]
                               for alias, entry in out.items()]}


def legacy_names(module):
    return [name for _, name, _ in LEGACY if name in vars(module)]


# --------------------------------------------------------------------------------------------
# The settings file


class _Statement:
    """A module-level ``NAME = value`` that can be lifted out whole, with its comments."""

    def __init__(self, name, node, lines, source):
        self.name, self.node = name, node
        self.value_text = ast.get_source_segment(source, node.value)
        self.start = node.lineno  # 1-based, inclusive
        self.end = node.end_lineno
        last = lines[self.end - 1]
        tail = last.encode("utf-8")[node.end_col_offset:].decode("utf-8", "replace").strip()
        if tail and not tail.startswith("#"):
            raise Refusal(f"{name} shares line {self.end} with another statement", self.end)
        self.trailing = tail
        self.comments_from = self.start
        while self.comments_from > 1 and lines[self.comments_from - 2].lstrip().startswith("#"):
            self.comments_from -= 1
        self.comments = [lines[i].strip() for i in range(self.comments_from - 1, self.start - 1)]
        self.multiline_string = any(
            isinstance(n, (ast.Constant, ast.JoinedStr)) and n.lineno != n.end_lineno for n in ast.walk(node.value))


class _SourceIndex:
    def __init__(self, path):
        with open(path, encoding="utf-8") as handle:
            self.source = handle.read()
        self.tree = ast.parse(self.source, filename=path)
        self.lines = self.source.splitlines()
        self.stores, self.loads = {}, {}
        self._walk(self.tree, top=True)

    def _walk(self, node, top):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Name):
                table = self.stores if isinstance(child.ctx, (ast.Store, ast.Del)) else self.loads
                if top or table is self.loads:
                    table.setdefault(child.id, []).append(child.lineno)
            nested = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
            self._walk(child, top and not nested)

    def statement(self, name, line):
        """The statement that gave ``name`` its value at ``line``, or a Refusal saying why not."""
        stores = self.stores.get(name, [])
        if len(stores) > 1:
            raise Refusal(f"{name} is assigned {len(stores)} times (lines {', '.join(map(str, stores))})", line)
        reads = self.loads.get(name, [])
        if reads:
            raise Refusal(f"{name} is read at line {reads[0]}", reads[0])
        for node in self.tree.body:
            target = None
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target = node.target
            if isinstance(target, ast.Name) and target.id == name and node.lineno == line:
                return _Statement(name, node, self.lines, self.source)
        raise Refusal(f"{name} is not set by a plain top-level assignment (line {line})", line)


# --------------------------------------------------------------------------------------------
# The plan


def _reindented(statement, indent):
    lines = statement.value_text.split("\n")
    if len(lines) == 1 or statement.multiline_string:
        return statement.value_text
    return "\n".join(lines[:1] + [indent + line if line.strip() else line for line in lines[1:]])


def _item(key, statement, indent, default=None):
    out = [f"{indent}{c}\n" for c in (statement.comments if statement else [])]
    text = _reindented(statement, indent) if statement else f'"{default}"'
    trailing = f"  {statement.trailing}" if statement and statement.trailing else ""
    out.append(f'{indent}"{key}": {text},{trailing}\n')
    return out


def _storages_text(backend_statements, options):
    out = ["STORAGES = {\n"]
    for alias, _, default in LEGACY:
        out.append(f'{INDENT}"{alias}": {{\n')
        out += _item("BACKEND", backend_statements.get(alias), INDENT * 2, default)
        if options.get(alias):
            out.append(f'{INDENT * 2}"OPTIONS": {{\n')
            for option, statement in options[alias]:
                out += _item(option, statement, INDENT * 3)
            out.append(f"{INDENT * 2}}},\n")
        out.append(f"{INDENT}}},\n")
    out.append("}\n")
    return "".join(out)


def _removals(index, removed, replacement=None):
    """Line edits: each removed statement (with its comments) goes; with a replacement, the last
    one's place takes it. A blank line left doubled by a removal goes too."""
    lines = index.lines
    edits = []
    last = max(removed, key=lambda s: s.start) if removed else None
    for statement in sorted(removed, key=lambda s: s.start):
        start, end = statement.comments_from, statement.end
        text = replacement if replacement and statement is last else ""
        if text and end < len(lines) and lines[end].strip():
            text += "\n"  # a blank line between the dict and the code after it
        before_blank = start == 1 or not lines[start - 2].strip()
        if not text and before_blank and end < len(lines) and not lines[end].strip():
            end += 1
        edits.append({"start": start, "end": end, "text": text})
    return edits


class _ExistingStorages:
    """A STORAGES dict literal already in the file: moved settings are inserted into its entries'
    OPTIONS (created when missing), in the entry's own layout."""

    def __init__(self, index, line):
        self.index, self.problem, self.entries = index, None, {}
        try:
            self.statement = index.statement("STORAGES", line)
        except Refusal as refusal:
            self.statement, self.problem = None, f"STORAGES cannot be edited: {refusal}"
            return
        value = self.statement.node.value
        if not isinstance(value, ast.Dict):
            self.problem = "STORAGES is not a dict literal"
            return
        for key, entry in zip(value.keys, value.values):
            if isinstance(key, ast.Constant) and isinstance(entry, ast.Dict):
                self.entries[key.value] = entry

    def _target(self, alias):
        """(dict node to insert into, whether it is the OPTIONS dict) or a reason."""
        entry = self.entries.get(alias)
        if entry is None:
            return f"STORAGES[{alias!r}] is not a dict literal"
        for key, value in zip(entry.keys, entry.values):
            if isinstance(key, ast.Constant) and key.value == "OPTIONS":
                return (value, True) if isinstance(value, ast.Dict) else f"STORAGES[{alias!r}]['OPTIONS'] is not a dict literal"
        return entry, False

    def refuses(self, alias, statement):
        if self.problem:
            return self.problem
        target = self._target(alias)
        if isinstance(target, str):
            return target
        if statement.start > self.statement.start:
            return f"set after STORAGES (line {self.statement.start})"
        return None

    def edits(self, options):
        lines = [line.encode("utf-8") for line in self.index.lines]
        inserts, before = {}, {}  # line -> [(byte column, text)], line -> [whole lines put above it]
        for alias, items in options.items():
            node, is_options = self._target(alias)
            line, column = node.end_lineno, node.end_col_offset - 1  # the closing brace
            prefix = lines[line - 1][:column]
            if node.lineno != node.end_lineno and not prefix.strip():
                self._multiline(node, is_options, items, lines, inserts, before)
                continue
            comments = [c for _, s in items for c in s.comments + ([s.trailing] if s.trailing else [])]
            indent = re.match(rb"\s*", lines[line - 1]).group(0).decode()
            before.setdefault(line, []).extend(f"{indent}{c}" for c in comments)
            inline = ", ".join(f'"{option}": {s.value_text}' for option, s in items)
            text = inline if is_options else '"OPTIONS": {' + inline + "}"
            separator = "" if not node.keys or prefix.rstrip().endswith((b",", b"{")) else ", "
            inserts.setdefault(line, []).append((column, separator + text))
        edits = []
        for line in sorted(set(inserts) | set(before)):
            raw = lines[line - 1]
            for column, text in sorted(inserts.get(line, []), reverse=True):
                raw = raw[:column] + text.encode() + raw[column:]
            text = "".join(f"{above}\n" for above in before.get(line, [])) + raw.decode("utf-8") + "\n"
            edits.append({"start": line, "end": line, "text": text})
        return edits

    def _multiline(self, node, is_options, items, lines, inserts, before):
        closing = node.end_lineno
        brace_indent = re.match(rb"\s*", lines[closing - 1]).group(0).decode()
        indent = brace_indent + INDENT
        if node.keys:
            first = node.keys[0]
            leading = lines[first.lineno - 1][:first.col_offset]
            if first.lineno != node.lineno and not leading.strip():
                indent = leading.decode()
            last = node.values[-1]
            tail = [lines[last.end_lineno - 1][last.end_col_offset:]] + lines[last.end_lineno:closing - 1]
            if not any(b"," in part.split(b"#")[0] for part in tail):
                inserts.setdefault(last.end_lineno, []).append((last.end_col_offset, ","))
        out = []
        if is_options:
            for option, statement in items:
                out += _item(option, statement, indent)
        else:
            out.append(f'{indent}"OPTIONS": {{\n')
            for option, statement in items:
                out += _item(option, statement, indent + INDENT)
            out.append(f"{indent}}},\n")
        before.setdefault(closing, []).extend(line.rstrip("\n") for line in "".join(out).splitlines())


def _option_uses(module, settings, table, import_class, is_project_file, imports):
    """{setting: [(alias, option)]} of the django-storages settings the legacy storages read."""
    storages = legacy_storages(module, settings)
    with_legacy = {**settings, "STORAGES": storages}
    classes = imports(with_legacy)
    described = backends.describe(with_legacy, classes, table, import_class, is_project_file)
    uses = {}
    for alias, configuration in described.items():
        for option, info in configuration["options"].items():
            if info["origin"] == "setting" and info["source"]:
                uses.setdefault(info["source"], []).append((alias, option))
    return uses


def plan(module, settings, table, django_version, import_class, is_project_file, imports):
    present = legacy_names(module)
    version = tuple(int(p) for p in re.findall(r"\d+", django_version or "0")[:2])
    legacy, existing = {}, None
    if present:
        if version < (4, 2):
            return {"status": "refused", "message": "STORAGES needs Django 4.2 or later; the project has "
                                                    f"Django {django_version or '(not installed)'}"}
        if "STORAGES" in table:
            file, line = table["STORAGES"][:2]
            return {"status": "refused", "file": file, "line": line,
                    "message": f"STORAGES is set as well as {' and '.join(present)}: merge them by hand "
                               "(Django 4.2 refuses the combination, 5.1+ ignores the legacy settings)"}
        files = sorted({table[name][0] for name in present if name in table})
        if len(files) != 1 or not is_project_file(files[0]):
            where = ", ".join(f"{name} in {table[name][0]}" for name in present if name in table) or "outside the project"
            return {"status": "refused", "message": f"the legacy settings must be set in one project file ({where})"}
        path = files[0]
        index = _SourceIndex(path)
        try:
            legacy = {alias: index.statement(name, table[name][1]) for alias, name, _ in LEGACY if name in present}
        except Refusal as refusal:
            return {"status": "refused", "file": path, "line": refusal.line, "message": f"{refusal}; rewrite it by hand"}
    elif "STORAGES" in table and is_project_file(table["STORAGES"][0]):
        path = table["STORAGES"][0]
        index = _SourceIndex(path)
        existing = _ExistingStorages(index, table["STORAGES"][1])
    else:
        return {"status": "nothing", "message": "neither STATICFILES_STORAGE nor DEFAULT_FILE_STORAGE is set: "
                                                "nothing to migrate"}

    uses = _option_uses(module, settings, table, import_class, is_project_file, imports)
    from django.conf import global_settings
    moved, kept, options = [], [], {}
    for setting in sorted(uses, key=lambda s: table.get(s, ("", 0))[1]):
        where = uses[setting]
        alias, option = where[0]
        reason = None
        if len(where) > 1:
            reason = "read by " + " and ".join(sorted({f"STORAGES[{a!r}]" for a, _ in where}))
        elif option in backends.CREDENTIAL_OPTIONS:
            reason = "a credential"
        elif hasattr(global_settings, setting):
            reason = "a Django setting"
        elif table.get(setting, ("",))[0] != path:
            reason = f"set in {table[setting][0]}" if setting in table else "not set in the project's files"
        if reason is None:
            try:
                statement = index.statement(setting, table[setting][1])
                reason = existing.refuses(alias, statement) if existing else None
                if reason is None:
                    options.setdefault(alias, []).append((option, statement))
                    moved.append({"setting": setting, "alias": alias, "option": option, "line": statement.start})
                    continue
            except Refusal as refusal:
                reason = str(refusal)
        kept.append({"setting": setting, "alias": alias, "option": option, "reason": reason})

    removed = list(legacy.values()) + [s for items in options.values() for _, s in items]
    if existing is not None:
        if not moved:
            return {"status": "nothing", "file": path, "kept": kept,
                    "message": "STORAGES is used already and no django-storages setting can move into it: nothing to migrate"}
        edits = _removals(index, removed) + existing.edits(options)
    else:
        edits = _removals(index, removed, _storages_text(legacy, options))
    return {
        "status": "planned", "file": path, "edits": sorted(edits, key=lambda e: e["start"]),
        "legacy": [{"setting": s.name, "alias": a, "line": s.start} for a, s in legacy.items()],
        "moved": moved, "kept": kept, "display": _redacted_lines(index, path),
        "ignored_by_installed": bool(legacy) and version >= (5, 1),
    }


def _redacted_lines(index, path):
    """{line: text} for the lines holding a credential literal, with the literal masked (a diff
    shows them as context)."""
    wanted = {(f["line"], f["column"]) for f in values.literal_credentials([path])}
    spans = {}
    for node in ast.walk(index.tree):
        if isinstance(node, ast.Constant) and (node.lineno, values.node_column(index.lines, node)) in wanted:
            spans.setdefault(node.lineno, []).append(node)
    out = {}
    for line, column in wanted:
        nodes = spans.get(line, [])
        if any(n.end_lineno != line for n in nodes) or not nodes:
            out[str(line)] = f"# (line {line} holds a credential: not shown)"
            continue
        raw = index.lines[line - 1].encode("utf-8")
        for node in sorted(nodes, key=lambda n: n.col_offset, reverse=True):
            raw = raw[:node.col_offset] + f'"{values.MASK}"'.encode() + raw[node.end_col_offset:]
        out[str(line)] = raw.decode("utf-8")
    return out
