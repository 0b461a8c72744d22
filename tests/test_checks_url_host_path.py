"""Misspelt brands in host names, pages planted in CMS folders, serial-numbered domains."""
from __future__ import annotations

from checkkit import findings, mail

from tsuribari.checks.brand_host import _index, host_words, misspelt_brand
from tsuribari.checks.url_shape import random_label
from tsuribari.knowledge import default_knowledge

FROM = "From: Shop <info@shop.example>\nTo: me@example.jp\nSubject: s"


def _html(*urls: str) -> str:
    return "".join(f'<a href="{u}">here</a> ' for u in urls)


def _misspelt(word: str):
    return misspelt_brand(word, _index(default_knowledge()))


def test_near_misses_of_brand_names():
    assert _misspelt("amazom") == ("amazon", "one letter changed")
    assert _misspelt("rakoten") == ("rakuten", "one letter changed")
    assert _misspelt("sotfbnak") == ("softbank", "letters shuffled")
    assert _misspelt("amzaon") == ("amazon", "letters swapped")
    assert _misspelt("anazom") == ("amazon", "letters shuffled")
    assert _misspelt("amaz0n") == ("amazon", "look-alike characters")
    assert _misspelt("rakutenlll") == ("rakuten", "brand name plus other letters")


def test_words_that_are_not_brand_misspellings():
    for word in ("amazon", "rakuten",            # spelt right: brand.link_outside_domain / lookalike
                 "server", "mobile",              # 'xserver', 'ymobile' minus their first letter
                 "lindows", "window", "offices",  # near ordinary-word keys ('windows', 'office')
                 "globalscape", "digitalriver",   # ordinary words glued ('global.jcb', 'digital.go.jp')
                 "pineapple", "shop", "example"):
        assert _misspelt(word) is None, word


def test_host_words_split_hyphens_and_digits():
    words = host_words("www-sblsec-jp.example.com", "example.com")
    assert "sblsec" in words and "wwwsblsec" in words and "example" in words
    assert "rekutan" in host_words("rekutan11.co.example.cn", "example.cn")
    assert "amazonaws" not in host_words("bucket.s3.amazonaws.com", "amazonaws.com", shared_tenant=True)


def test_misspelt_brand_in_a_host_is_reported_with_the_brand():
    got = findings(mail(FROM, _html("https://amazom.co.jp.qwerty.shop/login"), "text/html"))
    f = got["brand.misspelt_in_host"]
    assert f.evidence["brand"] == "amazon"
    assert f.evidence["links"][0]["word"] == "amazom"
    assert f.weight > 0


def test_brand_own_and_sender_own_hosts_are_not_judged():
    body = _html("https://www.amazon.co.jp/gp/css/order-history", "https://amazom.shop.example/")
    assert "brand.misspelt_in_host" not in findings(mail(FROM, body, "text/html"))


def test_pages_planted_in_cms_folders():
    body = _html("https://hacked.example/wp-content/plugins/x/signin/")
    f = findings(mail(FROM, body, "text/html"))["url.cms_path"]
    assert f.evidence["links"][0]["folder"] == "wp-content"
    body = _html("http://old.example/images/acc/update.php")
    assert findings(mail(FROM, body, "text/html"))["url.cms_path"].evidence["links"][0]["folder"] == "images"
    body = _html("https://blog.example/.well-known/acme-challenge/redirect.php")
    assert "url.cms_path" in findings(mail(FROM, body, "text/html"))


def test_media_files_in_cms_folders_are_not_pages():
    body = _html("https://blog.example/wp-content/uploads/2024/01/flyer.pdf",
                 "https://blog.example/wp-content/uploads/2024/01/photo.jpg", "https://news.example/images/logo.png")
    assert "url.cms_path" not in findings(mail(FROM, body, "text/html"))


def test_serial_numbered_domains():
    for name in ("knh261", "xjly766", "yfj6154"):
        assert random_label(name), name
    for name in ("email911", "web2000", "tech24"):
        assert not random_label(name), name
