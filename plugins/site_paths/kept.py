"""What a build keeps for the next one under CACHE_PATH: a value read back, or a miss."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import weakref
from functools import cache
from importlib.metadata import version
from pathlib import Path

from jinja2 import BytecodeCache

MISSED = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError)


def read_kept(path: Path, default=None):
    """The value kept at `path`, or `default` when there is none or it is damaged (a
    damaged cache file is only a miss)."""
    try:
        return pickle.loads(path.read_bytes())
    except MISSED:
        return default


def keep(path: Path, value) -> None:
    """Keep `value` at `path`, whole or not at all (written aside, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")  # two builds may keep at once
    partial.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    partial.replace(path)


def read_made(path: Path | None, made_by: str):
    """The value `keep_made` kept at `path` from the same inputs (`made_by`, a digest of
    them), or None: none kept, damaged, or made from other inputs."""
    kept = read_kept(path) if path is not None else None
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == made_by:
        return kept[1]
    return None


def keep_made(path: Path, made_by: str, value) -> None:
    """Keep `value` at `path` with the digest of what it was made from."""
    keep(path, (made_by, value))


def files_digest(*folders: Path) -> str:
    """A digest of every file under `folders`, names included (code, templates, data): what
    a kept value was made with."""
    found = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                found.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return found.hexdigest()


# --- Compiled templates -------------------------------------------------------------------

PLUGINS = Path(__file__).resolve().parents[1]
# Whose versions change what a template compiles to: Jinja's compiler, and the libraries the
# filters folded at compile time call (below).
COMPILED_BY = ("jinja2", "markupsafe", "babel", "pelican")
# The environment's settings that Jinja's lexer, parser and compiler read.
SYNTAX = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "is_async",
    "sandboxed",
)


class KeptBytecode(BytecodeCache):
    """Compiled templates, shared by a build's Jinja environments and kept for the next build.

    Pelican gives each generator its own environment, which would compile every template
    again, and compiling the theme is a third of a small site's build. Jinja checks each
    template's source itself (an edited template is compiled again); what else the compiled
    code depends on names the folder it is kept in (`compiled_with`). A damaged or
    unwritable file is only a miss."""

    def __init__(self):
        self.root: Path | None = None  # `<CACHE_PATH>/templates`, set for each build
        self._folders: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._compiled: dict[tuple[Path | None, str], bytes] = {}

    def _place(self, bucket) -> tuple[Path | None, str]:
        environment = bucket.environment
        folder = self._folders.get(environment)
        if folder is None and self.root is not None:
            folder = self._folders[environment] = self.root / compiled_with(environment)
        return folder, bucket.key

    def load_bytecode(self, bucket) -> None:
        folder, key = place = self._place(bucket)
        data = self._compiled.get(place)
        if data is None and folder is not None:
            data = read_kept(folder / f"{key}.pickle")
        if isinstance(data, bytes):
            try:
                bucket.bytecode_from_string(data)  # checks the source's checksum
            except (*MISSED, ValueError, TypeError):
                bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        folder, key = place = self._place(bucket)
        data = self._compiled[place] = bucket.bytecode_to_string()
        if folder is not None:
            # A cache that cannot be written only makes the next build compile again.
            with contextlib.suppress(OSError):
                keep(folder / f"{key}.pickle", data)


def compiled_with(environment) -> str:
    """A digest of what a template's compiled code depends on besides its source: Jinja's
    version, the environment's syntax and extensions, which filters and tests it has and
    what each is passed (Jinja compiles calls to them by that, and runs a filter given
    constants as it compiles, so Minga's code and the libraries' versions count too)."""

    def named(value) -> str:
        if callable(value):
            what = getattr(value, "__qualname__", type(value).__qualname__)
            passed = getattr(value, "jinja_pass_arg", None)  # set by `pass_context` and the like
            return f"{getattr(value, '__module__', '')}.{what} {passed}"
        return repr(value)

    parts = [
        *(f"{name} {version(name)}" for name in COMPILED_BY),
        _code_digest(),
        *(f"{name}={getattr(environment, name, None)!r}" for name in SYNTAX),
        f"autoescape={named(environment.autoescape)}",
        f"finalize={named(environment.finalize)}",
        f"newstyle_gettext={getattr(environment, 'newstyle_gettext', None)!r}",
        *sorted(environment.extensions),
        *sorted(f"policy {name}={named(value)}" for name, value in environment.policies.items()),
        *sorted(f"filter {name}={named(value)}" for name, value in environment.filters.items()),
        *sorted(f"test {name}={named(value)}" for name, value in environment.tests.items()),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@cache
def _code_digest() -> str:
    """Minga's code as this process loaded it (a filter's code decides what it folds)."""
    return files_digest(PLUGINS)
