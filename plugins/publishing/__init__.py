"""Publishing: what may go out, and putting the built site on the `gh-pages` branch.

`invoke publish` (an editor at a terminal, or the workflow on `main`) publishes only a
commit anyone can rebuild: no uncommitted change, a commit the remote already has, every
check passing. It builds with publishconf.py into `cache/published/` (the build stops on a
page over budget, and replaces the folder only when it succeeded; the folder is kept so that
the next publication takes its unchanged pages) and only then hands that folder to
ghp-import, which writes it as one commit on `gh-pages`, on top of the published history,
and pushes it: a single ref update, so the live site is the old one or the new one, never a
mix. The build is deterministic, so the
same commit always gives the same `gh-pages` tree.

This is not a Pelican plugin (it has no `register`): tasks.py and the workflows call it.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from content_model.messages import _
from content_model.problems import ContentError, Problem

HERE = "."  # what a problem about the whole repository is reported on


def git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)


def _git_error(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.strip().splitlines()
    return lines[-1] if lines else f"exit status {result.returncode}"


def uncommitted(root: Path) -> list[str]:
    """Files that differ from the commit: changed, staged, deleted or new (ignored ones,
    such as output/ and cache/, do not count)."""
    result = git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all")
    if result.returncode != 0:
        raise ContentError([_not_a_repository(_git_error(result))])
    entries = result.stdout.split("\0")
    paths, skip = [], False
    for entry in entries:
        if skip:  # the source path of a rename or copy
            skip = False
            continue
        if len(entry) > 3:
            paths.append(entry[3:])
            skip = entry[0] in "RC"
    return sorted(paths)


def _not_a_repository(error: str) -> Problem:
    return Problem(
        HERE,
        1,
        _("git cannot read this folder's history: %(error)s", error=error),
        _("publish from a clone of the site's repository"),
    )


def uncommitted_problems(root: Path) -> list[Problem]:
    return [
        Problem(
            path,
            1,
            _(
                "this file has changes that are not committed, and the published site must "
                "come from a commit anyone can rebuild"
            ),
            _("commit the change (git commit) or set it aside (git stash), then publish again"),
        )
        for path in uncommitted(root)
    ]


def commit_of(root: Path, rev: str = "HEAD") -> tuple[str, str]:
    """(full hash, subject) of a commit."""
    result = git(root, "log", "-1", "--format=%H%n%s", rev, "--")
    if result.returncode != 0:
        raise ContentError([_not_a_repository(_git_error(result))])
    sha, _sep, subject = result.stdout.strip().partition("\n")
    return sha, subject


def unpushed_problems(root: Path, remote: str, fetch: bool = True) -> list[Problem]:
    """A problem when the remote's branches do not contain HEAD (fetched first)."""
    if fetch:
        fetched = git(root, "fetch", "--quiet", "--no-tags", remote)
        if fetched.returncode != 0:
            return [
                Problem(
                    HERE,
                    1,
                    _(
                        "git could not reach the remote `%(remote)s`: %(error)s",
                        remote=remote,
                        error=_git_error(fetched),
                    ),
                    _(
                        "check the connection and that `%(remote)s` is this repository's "
                        "remote (git remote -v)",
                        remote=remote,
                    ),
                )
            ]
    result = git(root, "branch", "--remotes", "--contains", "HEAD", "--format=%(refname:short)")
    if any(line.startswith(f"{remote}/") for line in result.stdout.split()):
        return []
    sha, _subject = commit_of(root)
    return [
        Problem(
            HERE,
            1,
            _(
                "commit %(commit)s is not on `%(remote)s` yet, so no one else could rebuild "
                "what would be published",
                commit=sha[:12],
                remote=remote,
            ),
            _("push it first (git push %(remote)s), then publish again", remote=remote),
        )
    ]


@dataclass(frozen=True)
class SiteFigures:
    """What a built site holds: its pages and the bytes of all its files."""

    pages: int
    files: int
    size: int

    def render(self, lang: str) -> str:
        megabytes = f"{self.size / 1e6:.1f}"
        return _(
            "%(pages)s pages, %(files)s files, %(size)s MB",
            pages=self.pages,
            files=self.files,
            size=megabytes,
        ).render(lang)


def figures(output: Path) -> SiteFigures:
    files = [path for path in output.rglob("*") if path.is_file()]
    return SiteFigures(
        pages=sum(1 for path in files if path.suffix == ".html"),
        files=len(files),
        size=sum(path.stat().st_size for path in files),
    )


def fetch_published(root: Path, remote: str, branch: str) -> None:
    """Bring the remote's `branch` to `<remote>/<branch>`, where ghp-import builds on it
    (a branch that does not exist yet is fine: the first publication starts it). A shallow
    clone, as CI makes, takes only the last publication, not every one before it."""
    shallow = git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
    git(
        root,
        "fetch",
        "--quiet",
        "--no-tags",
        *(["--depth=1"] if shallow else []),
        remote,
        f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}",
    )


def import_site(
    root: Path, output: Path, branch: str, message: str, remote: str | None
) -> subprocess.CompletedProcess:
    """Commit `output` as the whole tree of `branch` (ghp-import) and push it to `remote`."""
    command = [
        sys.executable,
        "-m",
        "ghp_import",
        "--no-jekyll",
        "--branch",
        branch,
        "--message",
        message,
    ]
    if remote:
        command += ["--push", "--remote", remote]
    return subprocess.run(
        [*command, str(output)], cwd=root, capture_output=True, text=True, check=False
    )


def publish_failed(error: str) -> Problem:
    return Problem(
        HERE,
        1,
        _("ghp-import could not publish the built site: %(error)s", error=error),
        _(
            "nothing was changed on the published site; fix the cause (often someone "
            "published meanwhile: run invoke publish again) and retry"
        ),
    )


def build_failed() -> Problem:
    return Problem(
        HERE,
        1,
        _("the build stopped (its messages are above), so nothing was published"),
        _("fix what the build names, check with invoke build, commit, and publish again"),
    )
