"""celpy's Lark parser, built from a private on-disk cache: 150 ms per process becomes ~10 ms.

celpy builds its LALR tables on every start. Lark can cache them, but its default cache
lives in the shared temp directory and is a pickle, which another local user could plant;
so the cache goes to a directory only this user can write (inside the environment kfm-bot
is installed in, or $KFM_BOT_CACHE_DIR), and without one we simply build the parser.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path


def _cache_dir() -> Path | None:
    target = Path(os.environ.get("KFM_BOT_CACHE_DIR") or Path(sys.prefix) / ".kfm-bot-cache")
    try:
        target.mkdir(mode=0o700, exist_ok=True)
        info = target.stat()
    except OSError:
        return None
    private = info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    return target if private else None


def install() -> None:
    """Give celpy a parser loaded from the cache (built and saved on first use)."""
    from importlib.metadata import version

    import celpy
    import lark
    from celpy.celparser import CELParser

    if CELParser.CEL_PARSER is not None:
        return
    folder = _cache_dir()
    if folder is None:
        return  # celpy builds its own parser
    grammar = (Path(celpy.__file__).parent / "cel.lark").read_text()
    # The same options celpy passes (celpy/celparser.py), plus the cache file.
    CELParser.CEL_PARSER = lark.Lark(
        grammar,
        parser="lalr",
        start="expr",
        debug=True,
        g_regex_flags=re.M,
        lexer_callbacks={"IDENT": CELParser.ambiguous_literals},
        propagate_positions=True,
        maybe_placeholders=False,
        priority="invert",
        tree_class=lark.Tree,
        cache=str(folder / f"cel-lalr-{lark.__version__}-{version('cel-python')}.cache"),
    )
