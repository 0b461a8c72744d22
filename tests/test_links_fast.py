"""The shortcuts of links.py give what the general path gives."""
from __future__ import annotations

from tsuribari.model import Link
from tsuribari.parse.links import html_text_and_links


def test_one_query_keeps_each_kind_in_document_order():
    html = ('<area href=1><a href=2><script>x</script></a><form action="http://f.example/"><input type=PassWord>'
            '<a href=3>three</a></form><noscript><script>y</script></noscript><style>css</style><input type="text">'
            '<svg><a href="http://svg.example/">s</a></svg><form action="http://g.example/"></form>visible')
    text, links, counts = html_text_and_links(html)
    assert [link.url for link in links] == ["1", "2", "3", "http://svg.example/", "http://f.example/", "http://g.example/"]
    assert counts == {"forms": 2, "scripts": 2, "password_inputs": 1, "cut": 0}
    assert "visible" in text and "x" not in text.split() and "css" not in text
    assert isinstance(links[0], Link)
