"""Check-run Markdown rendered as GitHub renders it, and photographed by headless Chromium.

GitHub renders check-run output as GitHub Flavored Markdown with a sanitised subset of HTML:
HTML comments and `<details>` pass, scripts do not. markdown-it-py (CommonMark + GFM tables)
with HTML on is close; the page gets GitHub-like CSS. Nothing is installed at run time:
without /usr/bin/chromium the screenshot tests skip, saying so, on a developer's machine; CI
(`.ci/run` installs the Debian package and sets CI_REQUIRE_CHROMIUM=1) fails instead, so the
photograph can never be skipped there unnoticed.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# "1": a missing Chromium fails the test (CI). Not KFM_*: tests/guards.py scrubs those names
# from every test's environment.
REQUIRE_CHROMIUM = "CI_REQUIRE_CHROMIUM"
NO_CHROMIUM = "chromium is not installed (Debian package `chromium`): no screenshot taken"


def chromium_or_skip(found: str | None = CHROMIUM) -> str:
    """The Chromium to photograph with; skips without one, or fails when it is required."""
    if found is not None:
        return found
    if os.environ.get(REQUIRE_CHROMIUM) == "1":
        pytest.fail(f"{NO_CHROMIUM}, and {REQUIRE_CHROMIUM}=1 requires it")
    pytest.skip(NO_CHROMIUM)


WIDTH, HEIGHT = 1200, 1600

CSS = """
body { font-family: -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif;
  font-size: 14px; line-height: 1.5; color: #1f2328; background: #ffffff; margin: 0; }
.markdown-body { box-sizing: border-box; max-width: 1012px; margin: 24px auto; padding: 24px;
  border: 1px solid #d0d7de; border-radius: 6px; }
h3, h4 { margin-top: 20px; margin-bottom: 12px; font-weight: 600; }
h3 { font-size: 1.25em; } h4 { font-size: 1em; }
table { border-collapse: collapse; display: block; overflow: auto; margin-bottom: 16px; }
td, th { padding: 6px 13px; border: 1px solid #d0d7de; }
tr:nth-child(2n) { background-color: #f6f8fa; }
code { padding: .2em .4em; font-size: 85%; background-color: rgba(175,184,193,.2);
  border-radius: 6px; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
pre { padding: 16px; background-color: #f6f8fa; border-radius: 6px; overflow: auto; }
a { color: #0969da; text-decoration: none; }
hr { height: .25em; background-color: #d0d7de; border: 0; }
details summary { cursor: pointer; color: #0969da; }
.check-header { font-weight: 600; font-size: 16px; padding: 8px 0; }
"""


def to_html(markdown: str) -> str:
    from markdown_it import MarkdownIt

    html: str = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    return html


def page(sections: list[tuple[str, str]]) -> str:
    """A page showing each (check run name, Markdown) as GitHub's Checks tab would."""
    body = "".join(
        f'<div class="markdown-body"><div class="check-header">{name}</div>{to_html(md)}</div>'
        for name, md in sections
    )
    head = f'<meta charset="utf-8"><style>{CSS}</style>'
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


class _Visible(HTMLParser):
    """The text a person can read: comments never show, nor a closed `<details>` body."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.depth = 0  # inside a closed <details>, outside its <summary>
        self.summary = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "details" and not any(k == "open" for k, _ in attrs):
            self.depth += 1
        elif tag == "summary":
            self.summary = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "details" and self.depth:
            self.depth -= 1
        elif tag == "summary":
            self.summary = False

    def handle_data(self, data: str) -> None:
        if not self.depth or self.summary:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def screenshot(html: str, tmp: Path) -> Path:
    """The page as headless Chromium draws it, WIDTH x HEIGHT; bounded in time, no network."""
    assert CHROMIUM is not None
    source = tmp / "check-run.html"
    source.write_text(html, encoding="utf-8")
    png = tmp / "check-run.png"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            f"--user-data-dir={tmp / 'chromium-profile'}",
            f"--screenshot={png}",
            f"--window-size={WIDTH},{HEIGHT}",
            source.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return png


def png_size(png: Path) -> tuple[int, int]:
    """(width, height) from a PNG's header."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height
