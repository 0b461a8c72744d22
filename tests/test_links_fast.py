"""The string-method paths of links.py give what the general path (urlsplit, one CSS query per
kind of element) gives."""
from __future__ import annotations

import random
from urllib.parse import unquote, urlsplit

from tsuribari.model import Link
from tsuribari.parse.domains import normalise_host
from tsuribari.parse.links import _PLAIN_URL, _host_facts, html_text_and_links, make_link


def _by_urlsplit(url: str) -> Link:
    """make_link's general path."""
    parts = urlsplit(url)
    host = normalise_host(unquote(parts.hostname or ""))
    link = Link(url=url, source="text", scheme=parts.scheme.lower()[:20], path=parts.path[:1000], query=parts.query[:2000])
    if host:
        link.is_ip, link.host, link.host_unicode, link.registrable = _host_facts(host)
    return link


def test_plain_urls_split_as_urlsplit_splits_them():
    rng = random.Random(11)
    pieces = list("hHtTpPsS:/?#.-_aZ09@[]%\t\n\r é") + ["http://", "HTTPS://", ":80", "@x", "[::1]", "?q=1", "#f"]
    seen = 0
    for _ in range(30000):
        url = rng.choice(["http://", "https://", "HtTpS://"]) + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        url = url.strip()
        link = make_link(url)
        if _PLAIN_URL.match(url) and "\t" not in url and "\n" not in url and "\r" not in url:
            seen += 1
            assert link == _by_urlsplit(url), url
    assert seen > 1000


def test_one_query_keeps_each_kind_in_document_order():
    html = ('<area href=1><a href=2><script>x</script></a><form action="http://f.example/"><input type=PassWord>'
            '<a href=3>three</a></form><noscript><script>y</script></noscript><style>css</style><input type="text">'
            '<svg><a href="http://svg.example/">s</a></svg><form action="http://g.example/"></form>visible')
    text, links, counts = html_text_and_links(html)
    assert [link.url for link in links] == ["1", "2", "3", "http://svg.example/", "http://f.example/", "http://g.example/"]
    assert counts == {"forms": 2, "scripts": 2, "password_inputs": 1, "cut": 0}
    assert "visible" in text and "x" not in text.split() and "css" not in text
    assert isinstance(links[0], Link)
