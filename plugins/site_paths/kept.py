"""What a build keeps for the next one under CACHE_PATH: a value read back, or a miss."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

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
