"""Old Word files (``.doc``, Word 97-2003), through Debian's ``catdoc``.

Why catdoc: it is small (one package, no daemon), starts in milliseconds, and reads the
Unicode text Word 97-2003 stores, Chinese included; antiword refuses short documents and
LibreOffice is a 150 MB install that takes seconds a file. Without it, a .doc is
quarantined with a reason naming the package, and ``archive retry`` reads it once it is
installed."""

from __future__ import annotations

import shutil
import subprocess

from archive.errors import DecodeError, UnsupportedFormat
from archive.read.base import Decoded, Reader

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
"""The stream a Word file's OLE directory names; Excel and PowerPoint files have others."""
TIMEOUT_SECONDS = 20.0
"""catdoc reads a long Word file in well under a second, but loops forever on some damaged
ones."""


class DocReader(Reader):
    """A Word 97-2003 document's text, by ``catdoc``."""

    format = "doc"
    extensions = frozenset({".doc", ".dot"})
    binary = True

    def __init__(self, timeout_seconds: float = TIMEOUT_SECONDS) -> None:
        self.timeout_seconds = timeout_seconds

    def score(self, filename: str, data: bytes) -> int:
        if data.startswith(OLE) and _WORD_STREAM in data:
            return 30
        return super().score(filename, data)

    def read(self, data: bytes, filename: str) -> Decoded:
        if not data.startswith(OLE):
            kind = (
                "an RTF document, which the archive does not read yet"
                if data.startswith(b"{\\rtf")
                else "not a Word 97-2003 document"
            )
            raise UnsupportedFormat(filename, f"the file is named .doc but is {kind}")
        catdoc = shutil.which("catdoc")
        if catdoc is None:
            raise UnsupportedFormat(
                filename,
                "reading Word 97-2003 (.doc) files needs catdoc (apt-get install catdoc); "
                "then `archive retry` reads it",
            )
        if _WORD_STREAM not in data:
            raise DecodeError(filename, "the file is an old Office file but not a Word document")
        # -w: paragraphs on one line each (not wrapped at 72 columns); -d: UTF-8 out.
        try:
            done = subprocess.run(
                [catdoc, "-w", "-d", "utf-8", "-"],
                input=data,
                capture_output=True,
                timeout=self.timeout_seconds,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            waited = f"{self.timeout_seconds:g} s"
            raise DecodeError(
                filename, f"the Word file is damaged (catdoc had not read it after {waited})"
            ) from exc
        if done.returncode != 0:
            why = done.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
            raise DecodeError(
                filename, f"the Word file is damaged ({why[0] if why else 'catdoc failed'})"
            )
        return Decoded(done.stdout.decode("utf-8", "replace"), "utf-16")
