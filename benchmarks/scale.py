"""Search at the sizes users have: an archive of --docs N articles, engine by engine.

Prints, per query form (those of ``benchmarks/search.py``, filters and deep pages, and
directive searches with their facets): p50/p95 in-process and over HTTP (a real uvicorn
server, the archive's API), then the build time, what the store and the index each take
on disk, and the peak memory (RSS) of the process that served the queries.

How the N articles are made: the People's Daily slice and the meeting pages
(``../shared/data``) are extracted once (cached in ``--work``), then re-issued until there
are N. Copy k of a record gets a fresh id, its date moved back k weeks (so the years
spread over a decade or more at a million), and its people (and its directives'
speakers) another surname, one of V variants per name, V growing with the number of
copies C as C^0.6 (Heaps' law: a real archive meets new people ever more slowly; 2,088
articles name about 6,000 people, so 100,000 name about 60,000 and 1,000,000 about
240,000). The text stays the original's, so its segmentation is made once per original
and reused: extracting a million files would take hours and measure the extractor, not
the engine (``benchmarks/ingest.py`` and ``backfill.py`` do that).

Each query form runs once with the engine's facet cache emptied ("cold": the first time
anyone asks it after a change to the index), then ``--repeat`` times (p50/p95, in-process
and over HTTP), as the same first page or filter comes again and again.

The queries run in a fresh process that opens the built archive, as the service does.
Run:
    .venv/bin/python benchmarks/scale.py --docs 100000 --engine tantivy sqlite
    .venv/bin/python benchmarks/scale.py --docs 1000000 --engine tantivy
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SOURCES = (SHARED / "peoples-daily-1998" / "docs", SHARED / "meeting-pages" / "docs")

# Surnames only: each copy of a record gives its people another one.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)

MORE_QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("empty + person filter", {"q": "", "person": "<top person>"}),
    ("deep page (offset 5,000)", {"q": "发展", "offset": 5000}),
    ("browse page (offset 9,980)", {"q": "", "offset": 9980, "limit": 20}),
]
"""Besides ``benchmarks/search.py``'s query forms: a person, and pages deep down."""
DIRECTIVE_QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("directives: browse", {}),
    ("directives: word", {"q": "发展"}),
    ("directives: speaker filter", {"speaker": "<top speaker>"}),
    ("directives: word + year", {"q": "工作", "year": 1998}),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--engine", nargs="+", default=["tantivy"], choices=["tantivy", "sqlite"])
    parser.add_argument("--work", type=Path, default=Path("/tmp/archive-scale"))
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the built archives")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(args.measure, args.engine[0], args.repeat)
    if not all(source.is_dir() for source in SOURCES):
        print(f"skipped: evaluation data not found under {SHARED}")
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    originals = _originals(args.work / "originals.jsonl")
    for engine in args.engine:
        home = args.work / f"{engine}-{args.docs}"
        if home.exists():
            shutil.rmtree(home)
        seconds = build(engine, home, originals, args.docs)
        print(
            f"\n== {engine}: {args.docs:,} articles, built in {seconds:.0f} s "
            f"({args.docs / seconds:,.0f} articles/s)"
        )
        for line in _sizes(engine, home, args.docs):
            print(line)
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--measure",
                str(home),
                "--engine",
                engine,
                "--repeat",
                str(args.repeat),
            ],
            check=True,
        )
        if not args.keep:
            shutil.rmtree(home)
    return 0


# -- the articles -----------------------------------------------------------------------


def _originals(cache: Path) -> list[tuple[str, str, list[Any]]]:
    """Each source article extracted, with its full-text columns and its directives'
    (record JSON, document columns, directive columns), cached in ``cache``."""
    if not cache.exists():
        from archive import ingest, segment
        from archive.records import Document

        print("extracting the source articles once (cached in", cache, ") ...", flush=True)
        with cache.open("w", encoding="utf-8") as out:
            for source in SOURCES:
                for path in sorted(source.iterdir()):
                    try:
                        document: Document = ingest.extract(path)
                    except Exception as error:  # an unreadable source is left out
                        print(f"  left out {path.name}: {error}")
                        continue
                    columns = segment.search_columns(document.title, document.text)
                    directives = [
                        segment.search_columns(" ".join([d.speaker, *d.topics]), d.text)
                        for d in document.directives
                    ]
                    out.write(
                        json.dumps(
                            [document.model_dump_json(), columns, directives], ensure_ascii=False
                        )
                        + "\n"
                    )
    with cache.open(encoding="utf-8") as lines:
        return [tuple(json.loads(line)) for line in lines]


def reissued(originals: list[tuple[str, str, list[Any]]], count: int) -> Iterator[tuple[Any, ...]]:
    """``count`` records: copies of the originals with fresh ids, earlier dates and other
    people (see the module's docstring), each with the original's columns."""
    from archive.records import Document

    bases = [
        (Document.model_validate_json(record), cols, dcols) for record, cols, dcols in originals
    ]
    copies = -(-count // len(bases))
    variants = max(1, round(copies**0.6))
    for n in range(count):
        copy, which = divmod(n, len(bases))
        base, columns, directive_columns = bases[which]
        document = _copy(base, copy, copy % variants)
        yield document, tuple(columns), [tuple(c) for c in directive_columns]


def _copy(base: Any, copy: int, variant: int) -> Any:
    if copy == 0:
        return base
    doc_id = hashlib.sha256(f"{base.id}/{copy}".encode()).hexdigest()[:16]
    date = base.date - dt.timedelta(weeks=copy) if base.date else None
    persons = [p.model_copy(update={"name": _surname(p.name, variant)}) for p in base.persons]
    directives = [
        d.model_copy(update={"speaker": _surname(d.speaker, variant)}) for d in base.directives
    ]
    return base.model_copy(
        update={
            "id": doc_id,
            "date": date,
            "year": date.year if date else base.year,
            "persons": persons,
            "directives": directives,
        }
    )


def _surname(name: str, variant: int) -> str:
    if not variant or len(name) < 2 or name[0] not in SURNAMES:
        return name
    return SURNAMES[(SURNAMES.index(name[0]) + variant) % len(SURNAMES)] + name[1:]


def build(engine: str, home: Path, originals: list[Any], count: int) -> float:
    """Store and index ``count`` re-issued records under ``home``; returns the seconds."""
    from archive.backends import tantivy_index
    from archive.config import Settings

    settings = Settings(home=home)
    started = time.perf_counter()
    records = reissued(originals, count)
    if engine == "tantivy":
        from archive.backends.tantivy import TantivyBackend

        backend = TantivyBackend(settings.database, settings.index_folder)
        backend.load(
            (doc, tantivy_index.Tokens(cols[:4], [c[:4] for c in dcols]))
            for doc, cols, dcols in records
        )
        backend.close()
    else:
        from archive.backends.sqlite import SqliteBackend

        store = SqliteBackend(settings.database)
        batch: list[Any] = []
        for doc, cols, _ in records:
            batch.append((doc, cols))
            if len(batch) == 5000:
                store.load(batch)
                batch = []
        store.load(batch)
        store.close()
    return time.perf_counter() - started


def _sizes(engine: str, home: Path, count: int) -> list[str]:
    database = home / "archive.sqlite3"
    files = [p for p in home.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    store = sum(p.stat().st_size for p in files if p.name.startswith("archive.sqlite3"))
    if engine == "sqlite":
        with sqlite3.connect(database) as conn:
            (index,) = conn.execute(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name NOT IN"
                " ('documents', 'meta', 'sqlite_autoindex_documents_1', 'documents_date',"
                " 'documents_waiting', 'sqlite_schema')"
            ).fetchone()
        store -= index
    else:
        index = total - store
    mb = 1024 * 1024
    return [
        f"store (records): {store / mb:,.0f} MB ({store / count / 1024:.1f} KB per article)",
        f"search index:    {index / mb:,.0f} MB ({index / count / 1024:.1f} KB per article)",
    ]


# -- the queries (in a fresh process) ---------------------------------------------------


def measure(home: Path, engine: str, repeat: int) -> int:
    import httpx
    import uvicorn

    from archive.api import create_app
    from archive.backends import DirectiveQuery, SearchQuery, open_backend
    from archive.config import Settings

    settings = Settings(home=home, search_engine=engine, prefect_server="off")
    opened = time.perf_counter()
    backend = open_backend(settings)
    print(
        f"opened in {(time.perf_counter() - opened) * 1000:.0f} ms; {backend.count():,} documents",
        flush=True,
    )
    top = backend.search(SearchQuery(limit=0)).facets["person"][0].value
    speaker = backend.search_directives(DirectiveQuery(limit=0)).facets["speaker"][0].value
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.search import QUERIES

    queries = [*QUERIES, *MORE_QUERIES]
    forms = [(label, "search", _filled(p, top, speaker)) for label, p in queries]
    forms += [(label, "directives", _filled(p, top, speaker)) for label, p in DIRECTIVE_QUERIES]

    def local(kind: str, params: dict[str, Any]) -> int:
        if kind == "search":
            return backend.search(SearchQuery(**params)).total
        return backend.search_directives(DirectiveQuery(**params)).total

    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, backend), host="127.0.0.1", port=0, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)

    def remote(kind: str, params: dict[str, Any]) -> int:
        response = client.get(f"/{kind}", params=params)
        response.raise_for_status()
        return response.json()["total"]

    def forget() -> None:
        # The SQLite engine keeps no facet cache: each of its runs is cold.
        if hasattr(backend, "_facets"):
            backend._facets = type(backend._facets)()

    for _, kind, params in forms:  # one pass first, as a service that has been running
        local(kind, params)
    print(
        f"\n{'query':<30}{'hits':>10}{'cold ms':>9}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'http p50':>10}{'http p95':>10}"
    )
    every: dict[str, list[float]] = {"cold": [], "local": [], "http": []}
    for label, kind, params in forms:
        forget()
        started = time.perf_counter()
        local(kind, params)
        cold = (time.perf_counter() - started) * 1000
        every["cold"].append(cold)
        row = []
        for name, run in (("local", local), ("http", remote)):
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                total = run(kind, params)
                timings.append((time.perf_counter() - started) * 1000)
            every[name] += timings
            row += [_pct(timings, 50), _pct(timings, 95)]
        print(
            f"{label:<30}{total:>10,}{cold:>9.1f}{row[0]:>8.1f}{row[1]:>8.1f}"
            f"{row[2]:>10.1f}{row[3]:>10.1f}",
            flush=True,
        )
    cold, local_all, http_all = every["cold"], every["local"], every["http"]
    print(
        f"\n{'every query':<30}{'':>10}{_pct(cold, 95):>9.1f}{_pct(local_all, 50):>8.1f}"
        f"{_pct(local_all, 95):>8.1f}{_pct(http_all, 50):>10.1f}{_pct(http_all, 95):>10.1f}"
        "   (cold: p95 of the cold runs)"
    )
    server.should_exit = True
    thread.join()
    backend.close()
    print(f"peak RSS of the serving process: {_rss('VmHWM')}; at the end: {_rss()}")
    return 0


def _rss(peak: str | None = None) -> str:
    """Resident memory of this process: its peak (``VmHWM``; not ``ru_maxrss``, which a
    child forked from the building process inherits), or now, of its own (anonymous) and
    of mapped files (the index, which the kernel shares with its page cache)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    if peak:
        return f"{int(fields[peak].split()[0]) / 1024:,.0f} MB"
    return ", ".join(
        f"{name} {int(fields[key].split()[0]) / 1024:,.0f} MB"
        for name, key in (("own", "RssAnon"), ("mapped files", "RssFile"))
    )


def _filled(params: dict[str, Any], person: str, speaker: str) -> dict[str, Any]:
    values = {"<top person>": person, "<top speaker>": speaker}
    return {key: values.get(value, value) for key, value in params.items()}


def _pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


if __name__ == "__main__":
    sys.exit(main())
