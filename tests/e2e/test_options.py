"""The options page against the real host: "test connection" shows the
host's version and where its configuration and databases are."""


def test_test_connection_shows_host_version_and_paths(addon):
    text = addon.tb.js("""
const url = WebExtensionPolicy.getByID(args[0]).getURL("options/options.html");
const tabmail = win().document.getElementById("tabmail");
const tab = tabmail.openTab("contentTab", {url, background: false});
const b = tab.browser;
await until(async () => b.currentURI.spec === url && (await actor(b).sendQuery("info").catch(() => ({}))).body?.ready === "1");
await actor(b).sendQuery("click", {selector: "#test"});
const out = await until(async () => { const t = (await actor(b).sendQuery("query", {selector: "#test-result"}))[0].text; return t.length > 3 && t; });
const services = (await actor(b).sendQuery("query", {selector: "#services li"})).map(n => n.text);
tabmail.closeTab(tab);
return {out, services};
""", "tsuribari@tsuribari.dev")
    assert text["out"].startswith("Connected: Tsuribari host 0.1.0"), text["out"]
    assert "Configuration file: " in text["out"] and "config.toml" in text["out"]
    assert "Databases:" in text["out"]
    # Every network service says in plain words what it sends and to whom.
    assert len(text["services"]) == 7
    assert any("Google" in s and "URL" in s for s in text["services"])
