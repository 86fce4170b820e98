"""Optical character recognition of scanned pages, by Debian's Tesseract with its Chinese
models (``chi_sim``, ``chi_tra``). Optional at run time: without it a scan is quarantined
with a reason naming the packages, and ``archive retry`` reads it once they are in."""

from __future__ import annotations

import re
import shutil
import subprocess

from archive.errors import DecodeError, UnsupportedFormat

LANGUAGES = ("chi_sim", "chi_tra")
PACKAGES = "tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra"
PAGE_LAYOUT = "4"
"""Tesseract's page segmentation "one column of text": its automatic layout (3) dropped the
first characters of lines on a clean page of Chinese, and took them for separate blocks
of misread characters (6月, 董事 lost); a meeting report is one column."""
TIMEOUT_SECONDS = 300
"""The most one page may take (a dense A4 page takes 5-20 s on one core)."""

_HAN_OR_MARK = r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]"
_SPACED = re.compile(rf"(?<={_HAN_OR_MARK})[ \t]+(?={_HAN_OR_MARK})")


def missing() -> str | None:
    """Why OCR cannot run here (what to install), or None when it can. Asked anew each
    time (a few ms beside seconds of OCR): installed later, it is used without a restart."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return f"reading scans needs OCR: apt-get install {PACKAGES}"
    try:
        listed = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except subprocess.TimeoutExpired:
        return "tesseract did not answer `--list-langs` within 30 s"
    have = set(listed.stdout.split())
    lacking = [lang for lang in LANGUAGES if lang not in have]
    if lacking:
        return f"OCR lacks the Chinese models {', '.join(lacking)}: apt-get install {PACKAGES}"
    return None


def require(filename: str) -> None:
    """Raise :class:`UnsupportedFormat` naming what to install when OCR cannot run."""
    if (reason := missing()) is not None:
        raise UnsupportedFormat(filename, f"{reason}; then `archive retry` reads the file")


def recognize(image: bytes, filename: str) -> str:
    """The text Tesseract reads in ``image`` (PNG, JPEG, TIFF or PNM bytes), with the
    spaces it puts between Chinese characters taken out. Ask :func:`require` first, once
    per file: its check runs Tesseract."""
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", "+".join(LANGUAGES), "--psm", PAGE_LAYOUT],
            input=image,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise DecodeError(
            filename, f"OCR had not read a page after {TIMEOUT_SECONDS} s; the scan is too large"
        ) from exc
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DecodeError(
            filename, f"OCR cannot read the image ({lines[-1] if lines else 'failed'})"
        )
    return _SPACED.sub("", done.stdout.decode("utf-8", "replace"))
