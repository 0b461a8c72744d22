"""Analyze: the verdict panel and the in-message banner for the seed, in
English and Japanese, with screenshots, and the click-to-panel time."""

import statistics

from conftest import read_mail
from session import with_message_id

SEED = read_mail("kagoya-active-mail.eml")


def _deliver_and_open(addon, mid):
    addon.dovecot.deliver(with_message_id(SEED, mid))
    addon.wait_scanned(mid)
    addon.open_message(mid)


def test_analyze_shows_the_seed_verdict_panel_and_banner_in_english(addon):
    addon.set_options({"language": "en", "scanOnArrival": True})
    _deliver_and_open(addon, "panel-en@e2e.test")

    banner = addon.banner()
    assert banner is not None, "the banner appears for phishing"
    assert banner["text"].startswith("Tsuribari: Phishing — ")
    assert banner["button"] == "Show details"
    assert banner["open"], "the banner's shadow root is closed to the page"
    assert banner["count"] == 1
    addon.screenshot_message("banner-en.png")

    state = addon.click_analyze()
    assert state["body"]["state"] == "done", state
    verdict = addon.popup("#verdict")[0]
    assert verdict["attrs"]["data-level"] == "phishing"
    assert "Phishing" in verdict["text"] and "/100" in verdict["text"], "level in words and score, not colour alone"
    assert addon.popup("#route tr.origin .ip")[0]["text"] == "74.226.196.215"
    assert "origin" in addon.popup("#route tr.origin")[0]["text"]
    links = addon.popup("#links tbody tr")
    assert [row["attrs"]["data-registrable"] for row in links] == ["sgogoj.com"]
    assert addon.popup("#links td.dest")[0]["text"].startswith("hxxp://sgogoj[.]com/")
    assert addon.popup_count("#panel-root a") == 0, "nothing in the panel is clickable"
    assert addon.popup_count("#links td.known li") >= 1, "the link row says what was found about its domain"
    findings = addon.popup("details.finding")
    kagoya = [f for f in findings if f["attrs"]["data-id"].startswith("brand.") and "KAGOYA" in f["text"].upper()]
    assert kagoya, [f["attrs"]["data-id"] for f in findings]
    top_title = addon.popup("details.finding .title")[0]["text"]
    assert banner["text"] == f"Tsuribari: Phishing — {top_title}", "the banner gives the panel's top reason"
    ids = {f["attrs"]["data-id"].split(".")[0] for f in findings}
    assert {"brand", "route", "link", "wording"} <= ids
    assert addon.popup("#summary")[0]["text"].strip()
    assert addon.badge() == "!!"
    # A finding expands to show its evidence.
    addon.tb.js("await actor(popupBrowser()).sendQuery('click', {selector: 'details.finding summary'});")
    first = addon.popup("details.finding")[0]
    assert first["open"] is True
    assert addon.popup_count("details.finding[open] dl.evidence dt") >= 1
    addon.screenshot_popup("popup-en.png")

    # Copy report puts the host's Markdown on the clipboard, defanged.
    addon.tb.js("await actor(popupBrowser()).sendQuery('click', {selector: '#copy'});")
    report = addon.tb.js("""
await until(async () => (await actor(popupBrowser()).sendQuery("query", {selector: "#copied"}))[0].text);
const trans = Cc["@mozilla.org/widget/transferable;1"].createInstance(Ci.nsITransferable);
trans.init(null);
trans.addDataFlavor("text/plain");
Services.clipboard.getData(trans, Ci.nsIClipboard.kGlobalClipboard, win().browsingContext.currentWindowContext);
const data = {};
trans.getTransferData("text/plain", data);
return data.value.QueryInterface(Ci.nsISupportsString).data;""")
    assert "PHISHING" in report.upper() and "sgogoj[.]com" in report
    assert "http://" not in report and "https://" not in report

    # The banner's button opens the same panel.
    addon.close_popup()
    addon.click_banner_button()
    state = addon.tb.js("""
await until(async () => { const b = popupBrowser(); if (!b || !b.currentURI.spec.endsWith("popup.html")) return false;
  const i = await actor(b).sendQuery("info").catch(() => null); return i?.body?.state === "done"; }, 20000);
return (await actor(popupBrowser()).sendQuery("query", {selector: "#verdict"}))[0].attrs["data-level"];""")
    assert state == "phishing"
    addon.close_popup()


def test_panel_and_banner_in_japanese(addon):
    addon.set_options({"language": "ja"})
    try:
        _deliver_and_open(addon, "panel-ja@e2e.test")
        banner = addon.banner()
        assert banner["text"].startswith("釣り針: フィッシング — ")
        assert banner["lang"] == "ja"
        addon.screenshot_message("banner-ja.png")
        state = addon.click_analyze()
        assert state["body"]["state"] == "done" and state["lang"] == "ja"
        assert "フィッシング" in addon.popup("#verdict")[0]["text"]
        assert "送信元" in addon.popup("#route tr.origin")[0]["text"]
        assert any("カゴヤ" in f["text"] for f in addon.popup("details.finding"))
        addon.screenshot_popup("popup-ja.png")
        addon.close_popup()
    finally:
        addon.set_options({"language": "en"})


def test_click_to_panel_time(addon):
    """First analysis of a message (nothing stored yet), offline, from click
    to rendered panel; then the same message again (stored verdict)."""
    addon.set_options({"scanOnArrival": False})
    try:
        fresh, stored = [], []
        for i in range(10):
            mid = f"timing-{i}@e2e.test"
            addon.dovecot.deliver(with_message_id(SEED, mid))
            addon.tb.js("await urlDone(l => MailServices.imap.selectFolder(imapFolder('INBOX'), l, null));")
            addon.open_message(mid)
            first = addon.click_analyze()
            assert first["body"]["state"] == "done" and first["body"]["level"] == "phishing"
            assert addon.popup(".meta")[0]["text"].startswith("Analysed in"), "a fresh analysis, not a stored one"
            fresh.append(first["ms"])
            again = addon.click_analyze()
            assert addon.popup(".meta")[0]["text"].startswith("Stored verdict")
            stored.append(again["ms"])
            addon.close_popup()
    finally:
        addon.set_options({"scanOnArrival": True})
    result = {
        "click_to_panel_ms_median": round(statistics.median(fresh), 1),
        "click_to_panel_ms_all": [round(x, 1) for x in fresh],
        "click_to_panel_stored_ms_median": round(statistics.median(stored), 1),
        "click_to_panel_note": "headless Thunderbird 153, offline, seed sample, real host; "
                               "first = no stored verdict, stored = reopened",
    }
    path = addon.write_timings(result)
    print(f"\nclick->panel median {result['click_to_panel_ms_median']} ms (fresh), "
          f"{result['click_to_panel_stored_ms_median']} ms (stored verdict); written to {path}")
    assert result["click_to_panel_ms_median"] < 5000


def test_dark_theme_panel_and_button(addon):
    """Dark mode: the panel switches palette, the verdict stays readable, the button icon has its light variant."""
    addon.tb.js("Services.prefs.setIntPref('ui.systemUsesDarkTheme', 1);")
    try:
        _deliver_and_open(addon, "dark@e2e.test")
        state = addon.click_analyze()
        assert state["body"]["state"] == "done"
        bg = addon.tb.js("return actor(popupBrowser()).sendQuery('style', {selector: 'body', property: 'background-color'});")
        assert bg == "rgb(28, 27, 34)", bg
        icon = addon.tb.js("""
const btn = aboutMessage().document.getElementById(args[0]);
return btn.getAttribute("style") + " " + btn.getAttribute("image");""",
                           "tsuribari_tsuribari_dev-messageDisplayAction-toolbarbutton")
        assert "hook-light.svg" in icon, icon
        addon.screenshot_popup("popup-dark.png")
        addon.screenshot_message("banner-dark.png")
        addon.close_popup()
    finally:
        addon.tb.js("Services.prefs.clearUserPref('ui.systemUsesDarkTheme');")
