"""A hostile message in real Thunderbird: nothing from it executes or is
fetched, and the add-on shows its strings literally."""

import time

from hostile_mail import hostile_mail, RLO

MID = "hostile@e2e.test"


def test_hostile_message_shows_literally_and_executes_nothing(addon):
    addon.set_options({"language": "en", "scanOnArrival": True})
    addon.dovecot.deliver(hostile_mail(addon.trap.port, MID))
    level = addon.wait_scanned(MID)
    addon.open_message(MID)
    banner = addon.banner(timeout=5 if level == "safe" else 15)

    state = addon.click_analyze()
    assert state["body"]["state"] == "done", state
    # No markup from the mail became an element in the panel.
    assert addon.popup_count("#panel-root img, #panel-root script, #panel-root iframe, #panel-root a, "
                             "#panel-root [onerror], #panel-root [onload]") == 0
    display = addon.popup(".sender .display")[0]["text"]
    assert display.startswith('<img src=x onerror="fetch(')
    assert "<script>" in display
    assert display.endswith("<U+202E>gnp.exe"), "the RTL override is shown, not obeyed"
    assert RLO not in display
    rows = addon.popup("#links tbody tr")
    shown = [r["text"] for r in addon.popup("#links td.shown")]
    dests = [r["text"] for r in addon.popup("#links td.dest")]
    assert any(s == "https://www.kagoya.jp/login" for s in shown), shown
    assert any(d.startswith("javascript:") for d in dests), "a javascript: link is shown as text"
    assert any("invoice<U+202E>fdp.exe" == s for s in shown), shown
    assert all("http://" not in d and "https://" not in d for d in dests), "destinations are defanged"
    assert len(rows) >= 3
    everything = addon.popup("#panel-root")[0]["text"]
    assert RLO not in everything, "no bidi override reaches the panel, not even inside the host's sentences"
    assert addon.tb.js("return actor(popupBrowser()).sendQuery('global', {name: 'pwned'});") is False
    addon.screenshot_popup("popup-hostile.png")
    assert banner is not None and level in ("suspicious", "phishing"), level
    assert banner["tags"] == ["button", "div", "span", "style"], "the banner holds only its own elements"
    assert RLO not in banner["text"]
    addon.screenshot_message("banner-hostile.png")
    addon.close_popup()

    # Reading, analysing and rendering fetched nothing.
    time.sleep(1.0)
    assert addon.trap.hits == [], addon.trap.hits
