"""The GitHub workflows: valid, audited, pinned, least privilege, and made of the same
`invoke` tasks a person runs locally."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
PINNED = re.compile(r"[\w.-]+/[\w.-]+(?:/[\w.-]+)*@[0-9a-f]{40}")


def load(path: Path) -> dict:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    data["on"] = data.pop("on", None) or data.pop(True, None)
    return data


def steps(workflow: dict):
    for name, job in workflow["jobs"].items():
        for step in job["steps"]:
            yield name, step


def test_there_are_the_three_workflows():
    names = {path.stem: set(load(path)["on"]) for path in WORKFLOWS}
    assert names == {
        "pull-request": {"pull_request"},
        "ownership": {"pull_request_target"},
        "publish": {"push", "workflow_dispatch"},
    }


def test_workflows_match_the_github_schema():
    run = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *WORKFLOWS],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOWS[0].read_text().replace("runs-on:", "run-on:"))
    run = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", broken],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1


def test_zizmor_finds_nothing_to_fix():
    run = subprocess.run(
        [BIN / "zizmor", "--offline", "--no-progress", ROOT / ".github/workflows"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No findings" in run.stdout + run.stderr


def test_zizmor_would_catch_an_injected_title(tmp_path):
    injected = tmp_path / "injected.yml"
    text = (ROOT / ".github/workflows/pull-request.yml").read_text()
    injected.write_text(
        text.replace("run: invoke check", 'run: echo "${{ github.event.pull_request.title }}"')
    )
    run = subprocess.run(
        [BIN / "zizmor", "--offline", "--no-progress", injected], capture_output=True, text=True
    )
    assert run.returncode != 0 and "template-injection" in run.stdout + run.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.stem)
def test_actions_are_pinned_and_credentials_not_kept(path):
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}  # the default for every job
    for _job, step in steps(workflow):
        if "uses" in step:
            assert PINNED.fullmatch(step["uses"]), step["uses"]
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] == "false"


def test_only_the_publish_job_may_write():
    for path in WORKFLOWS:
        for name, job in load(path)["jobs"].items():
            writes = {k: v for k, v in job.get("permissions", {}).items() if v == "write"}
            expected = {"contents": "write"} if path.stem == "publish" else {}
            assert writes == expected, (path.name, name)


def test_the_publications_cache_is_restored_whatever_changed_and_saved_whatever_happened():
    """Every cache entry is checked against what it was made from, so the last one is always
    worth restoring; a publication that fails or runs out of time still saves what it made.
    Pull requests only restore it."""

    def cache_steps(name: str) -> dict[str, dict]:
        found = {}
        for _job, step in steps(load(ROOT / f".github/workflows/{name}.yml")):
            uses = step.get("uses", "").split("@")[0]
            if uses.startswith("actions/cache"):
                found[uses] = step
        return found

    publish = cache_steps("publish")
    assert set(publish) == {"actions/cache/restore", "actions/cache/save"}
    restore, save = publish["actions/cache/restore"], publish["actions/cache/save"]
    assert restore["with"]["restore-keys"].split() == ["minga-build-"]
    assert restore["with"]["key"] == save["with"]["key"]
    assert restore["with"]["path"] == save["with"]["path"] == "cache"
    assert save["if"] == "${{ always() }}"
    review = cache_steps("pull-request")
    assert set(review) == {"actions/cache/restore"}
    assert review["actions/cache/restore"]["with"]["restore-keys"].split() == ["minga-build-"]


def test_the_ownership_check_never_checks_out_or_runs_the_pull_requests_code():
    workflow = load(ROOT / ".github/workflows/ownership.yml")
    (checkout,) = [
        s
        for _j, s in steps(workflow)
        if s.get("uses", "").startswith("actions/") and "checkout" in s["uses"]
    ]
    assert checkout["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    text = (ROOT / ".github/workflows/ownership.yml").read_text()
    assert "pull_request.head" not in text  # no head ref or sha is ever checked out
    assert "cache" not in {k for _j, s in steps(workflow) for k in s.get("with", {})}
    assert not any("actions/cache" in s.get("uses", "") for _j, s in steps(workflow))
    runs = " ".join(s.get("run", "") for _j, s in steps(workflow))
    assert "git checkout" not in runs and "git switch" not in runs
    assert "--head refs/remotes/pull/head" in runs


def invoke_tasks() -> set[str]:
    listed = subprocess.run(
        [sys.executable, "-m", "invoke", "--list", "--list-format", "flat"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line.split()[0] for line in listed.splitlines()[1:] if line.strip()}


def test_each_job_runs_the_invoke_tasks_people_run_locally():
    known = invoke_tasks()
    used = {}
    for path in WORKFLOWS:
        for name, job in load(path)["jobs"].items():
            runs = "\n".join(step.get("run", "") for step in job["steps"])
            tasks = re.findall(r"(?m)(?:^|\s)invoke ([a-z-]+)", runs)
            assert tasks, (path.name, name)  # every job is made of invoke tasks
            assert set(tasks) <= known, (path.name, set(tasks) - known)
            used[path.stem] = tasks
    assert used == {
        "pull-request": ["check", "preview", "changes", "changes"],
        "ownership": ["check-ownership"],
        "publish": ["publish"],
    }
