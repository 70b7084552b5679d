"""Python's cycle collector during a build (plugins/site_paths/collector.py): the texts read
are kept out of its passes while the build runs, and a process that builds again and again
(`invoke serve`) gets it back as it was after each build, a failed one included; and the
process's last passes as it ends skip everything."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, article, org_card, write_tree

# Builds a tree three times with one Pelican object, as `pelican --autoreload` does: good,
# broken, good again; prints what the collector was like during and after each build.
SERVING = """
import atexit, gc, json, sys

# Registered before the plugins are: runs after what they register to run at exit.
atexit.register(lambda: print(json.dumps({"frozen at exit": gc.get_freeze_count()})))

from pelican import Pelican, signals
from pelican.settings import read_settings

source, output, cache = sys.argv[1:4]
seen = []
settings = read_settings(
    "pelicanconf.py",
    override={"PATH": source, "OUTPUT_PATH": output, "CACHE_PATH": cache},
)
site = Pelican(settings)

def reading(_generator):
    seen.append({"when": "reading", "enabled": gc.isenabled()})

def during(_generators):
    seen.append({"when": "during", "thresholds": gc.get_threshold(),
                 "frozen": gc.get_freeze_count(), "enabled": gc.isenabled()})

def ending(_pelican):  # connected as a plugin's work at the build's end is
    seen.append({"when": "ending", "thresholds": gc.get_threshold(),
                 "frozen": gc.get_freeze_count(), "enabled": gc.isenabled()})

signals.article_generator_pretaxonomy.connect(reading)
signals.all_generators_finalized.connect(during)
signals.finalized.connect(ending)
outside = gc.get_threshold()
for number in range(3):
    broken = f"{source}/orgs/alfa/rota.md"
    if number == 1:
        open(broken, "w").write("---\\ntitle: Rota\\n---\\nSin fecha\\n")
    try:
        site.run()
        ok = True
    except Exception:
        ok = False
    if number == 1:
        import os
        os.remove(broken)
    seen.append({"when": "after", "ok": ok, "thresholds": gc.get_threshold(),
                 "frozen": gc.get_freeze_count(), "enabled": gc.isenabled()})
print(json.dumps({"outside": outside, "seen": seen}))
"""


def test_the_texts_are_frozen_during_a_build_and_the_collector_restored_after(tmp_path):
    from site_paths.collector import THRESHOLDS

    source = write_tree(
        tmp_path / "site",
        {
            "orgs/alfa/org.yaml": org_card("Colectivo Alfa"),
            **{f"orgs/alfa/nota-{n}.md": article(f"Nota {n}") for n in range(5)},
        },
    )
    ran = subprocess.run(
        [sys.executable, "-c", SERVING, str(source), str(tmp_path / "out"), str(tmp_path / "c")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    *_, last, at_exit = ran.stdout.strip().splitlines()
    report = json.loads(last)
    outside, seen = tuple(report["outside"]), report["seen"]
    assert [s["when"] for s in seen] == [
        *("reading", "during", "ending", "after"),
        "after",
        *("reading", "during", "ending", "after"),
    ]
    assert [s.get("ok") for s in seen if s["when"] == "after"] == [True, False, True]
    for moment in seen:
        if moment["when"] == "reading":  # paused while the texts become Pelican's objects
            assert not moment["enabled"]
        if moment["when"] in ("during", "ending"):  # the work at the end included
            assert tuple(moment["thresholds"]) == THRESHOLDS and moment["enabled"]
            assert moment["frozen"] > 10_000  # Pelican, the plugins, the texts read
    # After a good build, as before it; after the failed one, as the next build starts.
    for after in (seen[3], seen[-1]):
        assert tuple(after["thresholds"]) == outside
        assert after["frozen"] == 0 and after["enabled"]
    # As the process ends, everything is frozen: Python's last passes do not walk it.
    assert json.loads(at_exit)["frozen at exit"] > 10_000
