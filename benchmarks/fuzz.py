"""Fuzzing the readers: generated and mutated inputs of every format through read →
normalize → enrich → store, as the inbox takes them (each file on the time budget).

Seeds are invented articles in every format the archive reads (text in four encodings, a
web page, a saved page, an e-mail with attachments, a ZIP archive, Word 2007 and 97, a
printed PDF and a scanned page when Chromium is installed); the inputs are the seeds cut
short, with bytes flipped, inserted, deleted or repeated, under another format's name, and
hostile files made on purpose (random bytes, zip and entity bombs, deep nesting, a 5 MB
line, mixed encodings, 2,001 pages, an image of 10 billion pixels, ZIP archives nested
three deep or of 1,001 files, an e-mail of parts nested 5,000 deep). Each must end stored
or quarantined with a reason; prints the counts by format and outcome (a container's
documents each counted), the crashes (an error that is no IngestError: a bug), the files
over the time budget, and the slowest inputs. Run:
    .venv/bin/python benchmarks/fuzz.py [--count 10000] [--seed 1] [--budget 60]
"""

from __future__ import annotations

import argparse
import collections
import io
import random
import struct
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import opencc
import pypdfium2 as pdfium

from archive import ingest
from archive.backends import open_backend
from archive.config import Settings
from archive.errors import TookTooLong

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARTICLE = (
    "4月16日，市青禾能源集团召开2024年度党风廉政建设工作会议。"
    "集团党委书记、董事长谭鸿飞出席会议并讲话，集团总经理常昭明主持会议。\n"
    "谭鸿飞强调，一是要压实主体责任，二是要加强监督执纪，三是要持续正风肃纪。\n"
)
EXTENSIONS = [
    *(".txt", ".html", ".mht", ".eml", ".zip", ".docx", ".doc", ".pdf", ".png", ".jpg"),
    *(".xls", ""),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds a file")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seeds = make_seeds()
    print(f"seeds            {', '.join(seeds)}")
    ingest.warm_up()
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(home=Path(scratch) / "var", file_timeout_seconds=args.budget)
        backend = open_backend(settings)
        try:
            report = run(inputs(seeds, rng, args.count), backend, settings, Path(scratch))
        finally:
            backend.close()
    return report()


def run(inputs, backend, settings: Settings, scratch: Path) -> Callable[[], int]:
    inbox = scratch / "inbox"
    inbox.mkdir()
    outcomes: collections.Counter[tuple[str, str]] = collections.Counter()
    crashes, over_budget, slowest = [], [], []
    started = time.perf_counter()
    batch: list[tuple[Path, str]] = []

    def flush() -> None:
        arrivals = []
        for path, kind in batch:
            began = time.perf_counter()
            extracted = ingest.extract_stages(
                [path],
                max_bytes=settings.max_file_bytes,
                budget_seconds=settings.file_timeout_seconds,
            )
            seconds = time.perf_counter() - began
            slowest.append((seconds, kind, path.name))
            for arrival in extracted:
                error = arrival.error
                if error is not None and error.reason.startswith("the archive failed"):
                    crashes.append((kind, path.name, error.reason))
                if isinstance(error, TookTooLong):
                    over_budget.append((kind, path.name))
            arrivals.extend(extracted)
        kinds = dict(batch)
        for result in ingest.store_stage(arrivals, backend, settings, consume=True):
            kind = kinds[result.path]
            if result.outcome.value == "quarantined" and not result.reason:
                crashes.append((kind, result.name, "quarantined without a reason"))
            outcomes[(kind, result.outcome.value)] += 1
        batch.clear()
        slowest.sort(reverse=True)
        del slowest[10:]

    for n, (kind, name, data) in enumerate(inputs):
        path = inbox / f"{n:05d}{name}"
        path.write_bytes(data)
        batch.append((path, kind))
        if len(batch) == 50:
            flush()
            if n % 1000 < 50:
                print(f"  {n + 1:>6} inputs, {time.perf_counter() - started:7.1f} s", flush=True)
    if batch:
        flush()
    taken = n + 1
    elapsed = time.perf_counter() - started
    left = [p.name for p in inbox.iterdir()]

    def report() -> int:
        total = sum(outcomes.values())
        print(f"inputs           {taken} in {elapsed:.0f} s ({taken / elapsed:.1f}/s)")
        print(f"outcomes         {total} (a container's documents each have one)")
        kinds = sorted({kind for kind, _ in outcomes})
        print(f"{'input':<22}{'stored':>8}{'duplicate':>10}{'quarantined':>12}{'skipped':>9}")
        for kind in kinds:
            row = [outcomes[(kind, o)] for o in ("stored", "duplicate", "quarantined", "skipped")]
            print(f"{kind:<22}{row[0]:>8}{row[1]:>10}{row[2]:>12}{row[3]:>9}")
        print(f"crashes          {len(crashes)}")
        for kind, name, reason in crashes[:20]:
            print(f"  {kind} {name}: {reason}")
        print(f"over the budget  {len(over_budget)} (quarantined: took longer than the budget)")
        for kind, name in over_budget[:20]:
            print(f"  {kind} {name}")
        print(f"left unprocessed {len(left)}")
        print("slowest")
        for seconds, kind, name in slowest:
            print(f"  {seconds:7.2f} s  {kind:<22} {name}")
        return 1 if crashes or left else 0

    return report


# -- the inputs ---------------------------------------------------------------------------


def inputs(seeds: dict[str, tuple[str, bytes]], rng: random.Random, count: int):
    """``count`` inputs: one in ten hostile by design, the rest mutated seeds."""
    hostile = HOSTILE
    names = list(seeds)
    for n in range(count):
        if n % 10 == 0:
            kind, make = hostile[(n // 10) % len(hostile)]
            yield (kind, *make(rng))
            continue
        seed = names[n % len(names)]
        extension, data = seeds[seed]
        mutation = rng.choice(MUTATIONS)
        data, extension = mutation(rng, data, extension)
        yield f"{seed}/{mutation.__name__}", extension, data


def _truncate(rng, data, ext):
    return data[: rng.randrange(len(data) + 1)], ext


def _flip(rng, data, ext):
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out), ext


def _insert(rng, data, ext):
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.randint(1, 4096)) + data[at:], ext


def _delete(rng, data, ext):
    at = rng.randrange(len(data) + 1)
    return data[:at] + data[at + rng.randint(1, 4096) :], ext


def _repeat(rng, data, ext):
    at = rng.randrange(len(data) + 1)
    block = data[at : at + rng.randint(1, 512)]
    return data[:at] + block * rng.randint(2, 2000) + data[at:], ext


def _renamed(rng, data, ext):
    return data, rng.choice(EXTENSIONS)


MUTATIONS = [_truncate, _flip, _insert, _delete, _repeat, _renamed]


def _random_bytes(rng):
    return ".txt", rng.randbytes(rng.randint(1, 20_000))


def _zip_bomb(rng):
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package,
        package.open("word/document.xml", "w") as part,
    ):
        for _ in range(100):
            part.write(b"<" * 2**20)
    return ".docx", out.getvalue()


def _entity_bomb(rng):
    entities = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10 if n else "ha"}">' for n in range(10))
    xml = f'<?xml version="1.0"?><!DOCTYPE d [{entities}]><d>&e9;</d>'.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("word/document.xml", xml)
    return ".docx", out.getvalue()


def _deep_html(rng):
    depth = rng.randint(1_000, 100_000)
    return ".html", (b"<div>" * depth + ARTICLE.encode() + b"</div>" * depth)


def _long_line(rng):
    return ".txt", ARTICLE.replace("\n", "").encode() * (5 * 2**20 // 400)


def _mixed_encodings(rng):
    traditional = opencc.OpenCC("s2tw").convert(ARTICLE)
    parts = [ARTICLE.encode("utf-8"), ARTICLE.encode("gb18030"), traditional.encode("big5")]
    rng.shuffle(parts)
    return ".txt", b"".join(parts)


def _many_pages(rng):
    document = pdfium.PdfDocument.new()
    for _ in range(2001):
        document.new_page(100, 100)
    out = io.BytesIO()
    document.save(out)
    return ".pdf", out.getvalue()


def _huge_image(rng):
    chunk = b"IHDR" + struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk
    return ".png", png + struct.pack(">I", zlib.crc32(chunk)) + bytes(64)


def _empty(rng):
    return rng.choice(EXTENSIONS), b""


def _nested_zips(rng):
    data = ARTICLE.encode()
    for depth in range(rng.randint(3, 6)):
        data = _zip({f"第{depth}层.zip" if depth else "会议.txt": data})
    return ".zip", data


def _many_members(rng):
    return ".zip", _zip({f"{n}.txt": f"{n}{ARTICLE}".encode() for n in range(1001)})


def _member_bomb(rng):
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("炸弹.txt", "w") as member,
    ):
        for _ in range(rng.randint(10, 200)):
            member.write(b"\x00" * 2**20)
    return ".zip", out.getvalue()


def _deep_mail(rng):
    depth = rng.randint(1_000, 5_000)
    head = (
        b"From: a@example.cn\nTo: b@example.cn\nSubject: x\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n"
    )
    nest = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (n, n) for n in range(depth)
    )
    return ".eml", head + nest + ARTICLE.encode()


HOSTILE = [
    ("hostile/random-bytes", _random_bytes),
    ("hostile/zip-bomb", _zip_bomb),
    ("hostile/entity-bomb", _entity_bomb),
    ("hostile/deep-nesting", _deep_html),
    ("hostile/5-MB-line", _long_line),
    ("hostile/mixed-encodings", _mixed_encodings),
    ("hostile/2001-pages", _many_pages),
    ("hostile/huge-image", _huge_image),
    ("hostile/empty", _empty),
    ("hostile/nested-zips", _nested_zips),
    ("hostile/1001-members", _many_members),
    ("hostile/zip-member-bomb", _member_bomb),
    ("hostile/deep-mail", _deep_mail),
]


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def make_seeds() -> dict[str, tuple[str, bytes]]:
    """One valid file per format: name → (extension, bytes)."""
    from docx import Document as WordDocument

    traditional = opencc.OpenCC("s2tw").convert(ARTICLE)
    page = (
        "<html><head><meta charset='utf-8'><title>会议</title></head>"
        f"<body><p>{ARTICLE}</p></body></html>"
    )
    seeds = {
        "text-utf8": (".txt", ARTICLE.encode("utf-8")),
        "text-gb18030": (".txt", ARTICLE.encode("gb18030")),
        "text-big5": (".txt", traditional.encode("big5")),
        "text-utf16": (".txt", ARTICLE.encode("utf-16")),
        "html": (".html", page.encode("utf-8")),
    }
    message = EmailMessage()
    message["MIME-Version"] = "1.0"
    message.make_related()
    message.add_related(page.encode("utf-8"), "text", "html", cte="quoted-printable")
    seeds["mht"] = (".mht", message.as_bytes(policy=SMTP))
    word = WordDocument()
    for line in ARTICLE.splitlines():
        word.add_paragraph(line)
    out = io.BytesIO()
    word.save(out)
    seeds["docx"] = (".docx", out.getvalue())
    seeds["doc"] = (".doc", (ROOT / "tests" / "fixtures" / "read" / "meeting.doc").read_bytes())
    seeds["zip"] = (
        ".zip",
        _zip({"2024/会议.txt": seeds["text-gb18030"][1], "2024/会议.docx": seeds["docx"][1]}),
    )
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "a@example.cn", "b@example.cn", "会议报道"
    mail["Date"] = "Tue, 16 Apr 2024 09:00:00 +0800"
    mail.set_content("各单位：转发会议报道，请认真学习。" + ARTICLE)
    mail.add_attachment(seeds["docx"][1], "application", "octet-stream", filename="报道.docx")
    mail.add_attachment(seeds["zip"][1], "application", "zip", filename="材料.zip")
    seeds["eml"] = (".eml", mail.as_bytes())
    if CHROMIUM.exists():
        seeds["pdf"] = (".pdf", _render(page, as_pdf=True))
        seeds["png-scan"] = (".png", _render(page, as_pdf=False))
    else:
        print(f"(pdf and png seeds skipped: {CHROMIUM} not installed)", file=sys.stderr)
    return seeds


def _render(html: str, *, as_pdf: bool) -> bytes:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 900, "height": 300})
        page.set_content(html.replace("<body>", "<body style='font-size:24px'>"))
        data = page.pdf(format="A5") if as_pdf else page.screenshot(full_page=True)
        browser.close()
    return data


if __name__ == "__main__":
    sys.exit(main())
