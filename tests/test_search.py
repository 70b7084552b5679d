"""Search: the build's index, cut into shards, gives in lunr.js (node) the very refs and
scores of the whole index in lunr.py; accents and emoji fold alike on both sides; the data files
are small, named by their content, and the same for the same texts."""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import article, org_card
from search.analysis import analysis_for, fold, words
from search.index import FIELDS, Entry, build, documents, postings, search
from search.shards import SHARD_BYTES, STORE_SIZE, save, write
from search_engine import SEARCH_JS, manifests_in, node, run_engine


def entry(n: int, lang: str, title: str, body: str, org: str = "tierra-viva", **extra) -> Entry:
    return Entry(
        url=f"orgs/{org}/{lang}-{n}.html",
        lang=lang,
        title=title,
        summary=extra.pop("summary", ""),
        body=body,
        org=org,
        org_name=org.replace("-", " ").title(),
        date=f"2026-0{1 + n % 9}-1{n % 10}",
        **extra,
    )


# Original texts about fictional organizations, with what trips search: accents, ñ,
# elisions, emoji and letters outside the Basic Multilingual Plane, repeated words.
TEXTS = {
    "es": [
        (
            "Cómo cambiar la contraseña del teléfono",
            "Una contraseña larga protege el teléfono. 🔐 Cambie la contraseña cada año.",
        ),
        (
            "Feria de semillas nativas en El Aguacatal",
            "Las semillas criollas de maíz y frijol circularon entre cuarenta familias campesinas.",
        ),
        (
            "Las mujeres del maíz guardan semilla",
            "Guardar semilla es guardar memoria: las mujeres seleccionan las mazorcas más sanas.",
        ),
        (
            "Comunicado: desalojo en la vereda Santa Rita",
            "La asociación denuncia el desalojo de veintitrés familias y exige garantías.",
        ),
        (
            "Taller de radio en la escuela rural",
            "Niñas y niños grabaron programas sobre el agua, la tierra y las semillas 🌽.",
        ),
        (
            "Agua para todas las comunidades",
            "El acueducto comunitario lleva agua a doce veredas; la asamblea decide las tarifas.",
        ),
        (
            "Memoria de las abuelas parteras",
            "Las parteras del río cuentan cómo acompañan los nacimientos en la montaña. 𝔐𝔦𝔫𝔤𝔞",
        ),
        (
            "Contraseñas y copias de seguridad",
            "Sin copias de seguridad, un teléfono robado se lleva las fotos de la organización.",
        ),
    ],
    "pt": [
        (
            "Sementes crioulas na feira regional",
            "As sementes crioulas de milho e feijão circularam entre famílias camponesas.",
        ),
        (
            "Organizações de mulheres denunciam despejo",
            "As organizações denunciam o despejo de famílias e exigem proteção do Estado.",
        ),
        (
            "Rádio comunitária ensina a proteger a senha",
            "Uma senha longa protege o celular da rádio; troque a senha todo ano.",
        ),
        (
            "Água limpa para as comunidades quilombolas",
            "O mutirão construiu cisternas e a água chegou às comunidades quilombolas.",
        ),
        (
            "Educação no campo",
            "A escola do campo ensina com as sementes, a terra e a memória das comunidades.",
        ),
    ],
    "en": [
        (
            "Seed fair brings forty families together",
            "Native seeds of maize and beans were exchanged between farming families.",
        ),
        (
            "Community radio teaches password safety",
            "A long password protects the station's phone; change the password every year.",
        ),
        (
            "Women's network denounces eviction",
            "The network denounces the eviction of families and demands protection.",
        ),
        (
            "Clean water for every community",
            "The community water system now reaches twelve villages after years of organizing.",
        ),
        (
            "Days of memory in the mountains",
            "Midwives told how they accompany births in the mountain villages, day after day.",
        ),
    ],
    "fr": [
        (
            "Foire aux semences paysannes",
            "Les semences paysannes de maïs et de haricots ont circulé entre les familles.",
        ),
        (
            "L'eau potable pour les communautés",
            "L'aqueduc communautaire apporte l'eau à douze villages; l'assemblée décide.",
        ),
        (
            "Les femmes dénoncent l'expulsion",
            "Le réseau de femmes dénonce l'expulsion de familles paysannes et exige des garanties.",
        ),
        (
            "Radio communautaire et mots de passe",
            "Un mot de passe long protège le téléphone de la radio; changez-le chaque année.",
        ),
        (
            "Mémoire des sages-femmes",
            "Les sages-femmes racontent comment elles accompagnent les naissances à la montagne.",
        ),
    ],
    "qu": [
        (
            "Ñawpa yachaykuna",
            "Ñawpa yachaykunata yachachinchik llaqtakunapi. Sara muhukunata waqaychanchik.",
        ),
        ("Sara muhu raymi", "Sara muhu raymipi ayllukuna huñunakunku."),
    ],
}
TOPICS = (("agua",), ("semillas",), ("semillas", "mujeres"), (), ("comunicacion",))
QUERIES = {
    "es": [
        "contraseña",
        "contrasena",
        "¿contraseña?",
        "CONTRASEÑA",
        "semillas",
        "semilla maíz",
        "+semillas -mujeres",
        "+agua +comunidades",
        "title:semillas",
        "body:semillas^5 radio",
        "semill*",
        "se*",
        "*illas",
        "semila~1",
        "contrasenya~2",
        "-agua",
        "de la",
        "+de semillas",
        "org:tierra",
        "topics:agua",
        "mazorcas",
        "🌽 semillas",
        "mingа",
        "𝔐𝔦𝔫𝔤𝔞 parteras",
        "veintitrés familias",
        "teléfono radio comunitaria",
        "nada-que-ver",
        "agua~1 +tierra",
    ],
    "pt": [
        "sementes",
        "semente crioula",
        "senha",
        "+organizacoes -despejo",
        "agua",
        "água",
        "educacao",
        "comun*",
        "quilombol*",
        "sement~1",
        "title:radio",
        "-agua",
    ],
    "en": [
        "seeds",
        "seed",
        "password",
        "passwords safety",
        "+families -eviction",
        "day",
        "days",
        "communit*",
        "villag*",
        "pasword~1",
        "title:water",
        "memory^3 mountains",
        "-water",
    ],
    "fr": [
        "semences",
        "semence paysanne",
        "eau",
        "l'eau",
        "communaute",
        "communautés",
        "+femmes -expulsion",
        "expuls*",
        "mot de passe",
        "radio~1",
        "title:radio",
        "memoire",
    ],
    "qu": ["ñawpa", "nawpa", "sara", "sara muhu", "raymi*", "yachaykuna~1"],
}


def corpus() -> dict[str, list[Entry]]:
    corpus = {}
    for lang, texts in TEXTS.items():
        corpus[lang] = [
            entry(
                n,
                lang,
                title,
                body,
                org=("mujeres-del-maiz" if n % 3 == 2 else "tierra-viva"),
                topics=TOPICS[n % len(TOPICS)],
                topic_labels=tuple(t.title() for t in TOPICS[n % len(TOPICS)]),
                tags=("campesinado",) if n % 2 else (),
                summary=body.split(".")[0],
            )
            for n, (title, body) in enumerate(texts)
        ]
    return corpus


def data(entries: list[Entry], lang: str):
    """The manifest name and files of `entries`' search data, as the build makes them."""
    return write(postings(documents(entries, lang, FIELDS), FIELDS), entries, lang, list(FIELDS))


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Every language's search data, written as the build does, and its lunr.py index."""
    folder = tmp_path_factory.mktemp("search")
    indexes = {}
    for lang, entries in corpus().items():
        _manifest, files = data(entries, lang)
        save(files, folder / lang)
        indexes[lang] = build(entries, lang)
    return folder, indexes


def test_shards_in_lunr_js_rank_exactly_as_the_whole_lunr_py_index(written, report):
    folder, indexes = written
    queries = [(lang, q) for lang, qs in QUERIES.items() for q in qs]
    answers = run_engine(manifests_in(folder), queries)
    differ = []
    for (lang, query), answer in zip(queries, answers, strict=True):
        expected = [[ref, score] for ref, score in search(indexes[lang], query)]
        if answer["results"] != expected:
            differ.append((lang, query, expected[:3], answer["results"]))
    assert differ == []
    # The queries find things, and what they find is right.
    found = {(lang, q): a["results"] for (lang, q), a in zip(queries, answers, strict=True)}
    assert found["es", "contraseña"] == found["es", "contrasena"] == found["es", "¿contraseña?"]
    assert [ref for ref, _ in found["es", "contrasena"]][:2] == [0, 7]  # title first
    assert found["pt", "agua"] == found["pt", "água"] and found["pt", "agua"]
    assert found["fr", "l'eau"] and found["qu", "nawpa"] == found["qu", "ñawpa"] != []
    assert {ref for ref, _ in found["es", "+semillas -mujeres"]} == {1, 4, 6}
    assert found["es", "semila~1"] and found["en", "pasword~1"] and found["es", "semill*"]
    assert found["es", "de la"] == [] and found["es", "+de semillas"] == found["es", "semillas"]
    report(
        f"Search, lunr.js over shards = lunr.py whole index: {len(queries)} queries in 5 languages"
    )


def test_a_query_loads_only_the_shards_of_its_terms(written):
    folder, _indexes = written
    manifests = manifests_in(folder)
    answers = run_engine(manifests, [("es", "semillas"), ("es", "semillas"), ("es", "sem*")])
    first, again, prefix = (a["loaded"] for a in answers)
    names = [path.rsplit("/", 1)[1] for path in first]
    assert names[0].startswith("index-") and [n[:2] for n in names[1:]] == ["t-"]
    assert again == []  # loaded once, kept
    assert all("/v-" not in path for path in first + prefix)  # the vocabulary: fuzzy only
    fuzzy = run_engine(manifests, [("es", "semila~1")])[0]["loaded"]
    assert any("/v-" in path for path in fuzzy)


def test_results_show_their_entry_from_the_store(written):
    folder, _indexes = written
    answer = run_engine(manifests_in(folder), [("es", "parteras")], show=10)[0]
    assert answer["results"][0][0] == 6
    url, title, org, date, snippet = answer["entries"][0]
    assert (url, title, org) == ("orgs/tierra-viva/es-6.html", TEXTS["es"][6][0], "Tierra Viva")
    assert date == "2026-07-16" and snippet.startswith("Las parteras del río")
    assert not any("/f-" in path for path in answer["loaded"])  # the filters' data: not yet
    # Once the reader turns to the filters: each result's org and topics.
    answer = run_engine(manifests_in(folder), [("es", "parteras")], show=10, facets=True)[0]
    assert any("/f-" in path for path in answer["loaded"])
    assert answer["facets"][0] == ["tierra-viva", list(TOPICS[6 % len(TOPICS)])]


def test_folding_is_the_same_in_python_and_in_the_browser():
    samples = [
        "¿Contraseña?",
        "São João",
        "Ça va, l'été",
        "naïve façade",
        "🌽maíz",
        "a𝔐b",
        "Ω Å ﬁ",
        "x\u00a0y\u2003z",
        "İstanbul",
        "ŒUVRE",
        "\u1e9b\u0323",
    ]
    script = (
        "globalThis.window = undefined; require(process.argv[1]);"
        "const s = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(s.map(globalThis.MingaSearch.fold)));"
    )
    result = subprocess.run(
        [node(), "-e", script, str(SEARCH_JS)],
        input=json.dumps(samples),
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) == [fold(s) for s in samples]
    assert words("¿Contraseña? 🌽maíz") == ["¿contrasena?", "maiz"]
    assert analysis_for("es").term("¿contrasena?") == analysis_for("es").term(fold("contraseña"))
    assert analysis_for("es").term("tambien") is None  # "también" is a stop word, folded too


def test_texts_outside_the_basic_multilingual_plane_load_and_search(written):
    folder, indexes = written
    vocabulary = next((folder / "es").glob("v-*.js")).read_text(encoding="utf-8")
    assert not any(ord(c) > 0xFFFF for c in vocabulary)  # emoji never reach the index
    answer = run_engine(manifests_in(folder), [("es", "*a~2"), ("es", "🌽")])
    assert isinstance(answer[0]["results"], list) and answer[0]["results"]
    assert answer[1]["results"] == []


def test_the_data_is_small_named_by_content_and_reproducible(written, tmp_path):
    folder, _indexes = written
    for path in (folder / "es").glob("t-*.js"):
        records = json.loads(path.read_text(encoding="utf-8").split(",", 1)[1][:-3])
        assert len(records) == 1 or path.stat().st_size < 2 * SHARD_BYTES
    entries = corpus()["es"]
    _manifest, again = data(entries, "es")
    assert sorted(f"{name}.js" for name in again.contents) == sorted(
        p.name for p in (folder / "es").iterdir()
    )
    # One text changed: the term shards and the store, named by one digest of them all, are
    # named anew together; a file they do not hold keeps its name (the filters' data).
    changed = [entries[0].__class__(**{**entries[0].__dict__, "title": "Otra contraseña"})]
    _manifest, other = data(changed + entries[1:], "es")
    kept = set(other.contents) & set(again.contents)
    assert any(name.startswith("f-") for name in kept)
    assert not any(name[:2] in ("t-", "d-") for name in kept)
    numbered = [name for name in again.contents if name[:2] in ("t-", "d-")]
    assert len({name.rsplit("-", 1)[0][2:] for name in numbered}) == 1
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbered if n.startswith("d-")) == list(
        range(-(-len(entries) // STORE_SIZE))
    )


def test_the_engine_reports_a_query_lunr_cannot_parse(written):
    folder, _indexes = written
    answer = run_engine(manifests_in(folder), [("es", "title:"), ("es", "semillas^")])
    assert all(a["results"].startswith("QueryParseError") for a in answer), answer


def test_a_first_search_over_its_budget_stops_the_build_plainly(build_fixture):
    files = {
        "orgs/alfa/org.yaml": org_card("Alfa"),
        "orgs/alfa/semillas.md": article("Feria de semillas", body="Semillas nativas."),
    }
    tight = '{"text": 14000, "index": 20000, "page": 100000, "image": 60000, "search": 5000}'
    build = build_fixture(files, extra=("-e", f"WEIGHT_BUDGETS={tight}"), lang="es")
    assert build.returncode != 0
    assert "search in 'es': a first search may fetch" in build.log
    assert "over the 5 KB budget (WEIGHT_BUDGETS['search']): scripts " in build.log
    assert "Traceback" not in build.log
    assert build_fixture(files, lang="es").returncode == 0


def test_a_language_whose_texts_did_not_change_is_not_indexed_again(build_fixture, tmp_path):
    files = {
        "orgs/alfa/org.yaml": org_card("Alfa").replace("languages: [es]", "languages: [es, pt]"),
        "orgs/alfa/semillas.md": article("Feria de semillas", body="Semillas nativas."),
        "orgs/alfa/sementes.md": article("Feira de sementes", lang="pt", body="Sementes."),
    }
    cache = tmp_path / "output-cache/search"

    def kept() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in sorted(cache.glob("*.pickle"))}

    def data(build) -> dict[str, bytes]:
        folder = build.output / "search"
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.js")}

    first = build_fixture(files)
    assert first.returncode == 0, first.log
    before, made = kept(), data(first)
    assert sorted(name.split(".")[0] for name in before) == ["es", "pt"]
    again = build_fixture(files)
    assert again.returncode == 0, again.log
    assert kept() == before and data(again) == made  # reused, the same files

    files["orgs/alfa/semillas.md"] = article("Feria de maíz", body="Maíz criollo.")
    changed = build_fixture(files)
    assert changed.returncode == 0, changed.log
    after = kept()
    pt = next(name for name in before if name.startswith("pt."))
    assert after[pt] == before[pt]  # Portuguese untouched
    es = [name for name in after if name.startswith("es.")]
    assert len(es) == 1 and es[0] not in before  # Spanish indexed again, its old copy gone
    query = [("es", "criollo")]
    found = run_engine(manifests_in(changed.output / "search"), query, show=1)[0]
    assert [entry[0] for entry in found["entries"]] == ["orgs/alfa/semillas.html"]
