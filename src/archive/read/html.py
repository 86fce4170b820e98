"""Web pages: the article's text (by trafilatura), its title, date and address."""

from __future__ import annotations

import re

import lxml.html
import trafilatura
from lxml import etree

from archive.errors import DecodeError, EmptyDocument
from archive.page_meta import address_in_markup, published_in_markup
from archive.read.base import Decoded, Reader
from archive.read.decoding import declared_charset, decode

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SITE_SUFFIX = re.compile(r"\s[-|–—_]\s|_|\||——|－")
_SQUEEZE = re.compile(r"\s+")
_MARKUP = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head)[\s>]", re.I | re.S)


class HtmlReader(Reader):
    """A web page: its main text (by trafilatura) and its title."""

    format = "html"
    extensions = frozenset({".html", ".htm", ".xhtml"})

    def score(self, filename: str, data: bytes) -> int:
        # A page saved as .doc or .txt (office systems export "Word" files so) is a page.
        return 20 if _MARKUP.match(data[:1024]) else super().score(filename, data)

    def read(self, data: bytes, filename: str) -> Decoded:
        return read_page(data, filename)


def read_page(data: bytes, filename: str, charset: str | None = None) -> Decoded:
    """The article of a web page's bytes. ``charset`` is the encoding its container
    declares (a saved page's MIME part), which wins over the page's own declaration: the
    saver wrote the bytes in it."""
    markup, encoding = decode(data, filename, declared=charset or declared_charset(data))
    # lxml refuses a str that still declares its encoding; the bytes are decoded already.
    markup = _XML_DECLARATION.sub("", markup, count=1)
    if not markup.strip():
        raise EmptyDocument(filename, "the file holds no text")
    try:
        tree = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as exc:
        raise DecodeError(filename, "the page cannot be parsed as HTML") from exc
    drop_ruby_annotations(tree)
    title = page_title(tree)
    published, address = published_in_markup(tree), address_in_markup(tree, markup)
    drop_page_chrome(tree)
    text = trafilatura.extract(
        tree,
        output_format="txt",
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        deduplicate=False,
    )
    return Decoded(text or "", encoding, title, published, address)


def drop_ruby_annotations(tree: lxml.html.HtmlElement) -> None:
    """Remove ``<rt>`` readings and ``<rp>`` fallback parentheses, keeping the base text:
    ``<ruby>發<rt>fā</rt></ruby>`` reads ``發``."""
    for element in tree.xpath("//rt | //rp"):
        element.drop_tree()  # keeps the element's tail text
    # trafilatura breaks lines around <ruby>; the base text belongs to its sentence.
    etree.strip_tags(tree, "ruby", "rb")


def drop_page_chrome(tree: lxml.html.HtmlElement) -> None:
    """Remove the site's menus, footers and sidebars, which trafilatura sometimes keeps
    (a ``<nav>`` of 首页 | 新闻 would otherwise open every article's text). A ``<header>``
    inside the ``<article>`` holds the article's own title and stays."""
    chrome = tree.xpath(
        "//nav | //footer | //aside | //*[@role='navigation' or @role='contentinfo']"
        " | //header[not(ancestor::article)]"
    )
    for element in chrome:
        if element.getparent() is not None:
            element.drop_tree()


def page_title(tree: lxml.html.HtmlElement) -> str | None:
    """The page's title: the first ``<h1>`` when ``<title>`` is absent or carries a site
    name after a separator (``会议召开 - 某某网``), else ``<title>``."""
    title = _squeeze(tree.findtext(".//title") or "")
    heading_element = next(iter(tree.iter("h1")), None)
    heading = _squeeze(heading_element.text_content()) if heading_element is not None else ""
    if heading and (not title or _SITE_SUFFIX.search(title)):
        return heading
    return title or heading or None


def _squeeze(text: str) -> str:
    return _SQUEEZE.sub(" ", text).strip()
