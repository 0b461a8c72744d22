"""What a link's path gives away: a page planted in a hacked site's internals.

Most phishing pages that do not sit on throw-away domains sit on someone else's hacked web
site, usually a WordPress one: the kit is uploaded into a folder the CMS keeps for its own
code, plugins and uploads, or into the certificate folder /.well-known/, and the link points
there. Those folders hold scripts, styles and media, never a page a company sends its
customers to; a page there means somebody planted it. Nothing is fetched: the address is read.
"""
from __future__ import annotations

import re

from ..model import Finding
from .context import Context
from .url_shape import judged_links, link_evidence

MAX_EVIDENCE = 5
# Folders a CMS keeps for its own code and media. A page (a directory, .php, .html) in them is planted.
_CMS_DIR = re.compile(r"/(?:wp-content|wp-includes|wp-admin|\.well-known)/", re.I)
# A script in a folder for images, styles or uploads: what a hacked site's uploaded kit looks like.
_ASSET_DIRS = frozenset({"image", "images", "img", "css", "js", "upload", "uploads", "fonts", "assets"})
_SCRIPT_EXT = (".php", ".phtml", ".asp", ".aspx")
_PAGE_EXT = (".html", ".htm", ".shtml", ".php", ".phtml", ".asp", ".aspx", ".jsp", ".cgi")


def _is_page(path: str) -> bool:
    last = path.rsplit("/", 1)[-1].lower()
    return "." not in last or last.endswith(_PAGE_EXT)


def _asset_script(path: str) -> str:
    """The asset folder a script sits in ('images' for /images/x/login.php), '' when none."""
    parts = path.lower().split("/")
    if not parts[-1].endswith(_SCRIPT_EXT):
        return ""
    return next((p for p in parts[:-1] if p in _ASSET_DIRS), "")


def cms_path(ctx: Context) -> list[Finding]:
    """A page inside a web site's CMS internals or asset folders."""
    hits = []
    for link in judged_links(ctx, per_path=True):
        path = link.path[:2000]
        m = _CMS_DIR.search(path)
        if m and _is_page(path):
            hits.append((link, m.group(0).strip("/")))
        elif (folder := _asset_script(path)):
            hits.append((link, folder))
        if len(hits) >= MAX_EVIDENCE:
            break
    if not hits:
        return []
    link, folder = hits[0]
    return [ctx.make("url.cms_path", {"links": [link_evidence(l, folder=f) for l, f in hits]},
                     host=link.host, folder=folder, path=link.path[:80])]


CHECKS = (cms_path,)
