"""What a user does with the add-on in Thunderbird, as test steps: set
options on the options page, deliver mail, open a message, click Analyze,
read the panel and the banner, take screenshots."""

import base64
import json
import os
import re
import time

from util import wait_for

ADDON_ID = "tsuribari@tsuribari.dev"
BUTTON_ID = "tsuribari_tsuribari_dev-messageDisplayAction-toolbarbutton"


def with_message_id(raw: bytes, mid: str) -> bytes:
    """The same mail delivered again needs its own Message-ID (verdicts are keyed by it)."""
    return re.sub(rb"(?im)^Message-ID:[^\r\n]*(\r?\n[ \t][^\r\n]*)*", f"Message-ID: <{mid}>".encode(), raw, count=1)


class AddonSession:
    def __init__(self, tb, dovecot, trap, artifacts, home):
        self.tb, self.dovecot, self.trap, self.artifacts, self.home = tb, dovecot, trap, artifacts, home

    # ---------------------------------------------------------------- options
    def set_options(self, values: dict) -> None:
        """Opens the add-on's options page in a tab and changes controls like a user."""
        self.tb.js("""
const url = WebExtensionPolicy.getByID(args[0]).getURL("options/options.html");
const tabmail = win().document.getElementById("tabmail");
const tab = tabmail.openTab("contentTab", {url, background: false});
const browser = tab.browser;
await until(async () => browser.currentURI.spec === url && (await actor(browser).sendQuery("info").catch(() => ({}))).body?.ready === "1");
const saves = async () => Number((await actor(browser).sendQuery("info")).body.saves || 0);
for (const [id, value] of Object.entries(args[1])) {
  const before = await saves();
  if (!await actor(browser).sendQuery("set", {selector: `[id="${id}"]`, value})) throw new Error("no control " + id);
  await until(async () => await saves() > before);
}
tabmail.closeTab(tab);
""", ADDON_ID, values)

    # ------------------------------------------------------------------ mail
    def folder_headers(self, name: str = "INBOX") -> dict:
        return self.tb.js("""
const f = imapFolder(args[0]);
if (!f) return {};
await urlDone(l => MailServices.imap.selectFolder(f, l, null)).catch(() => {});
return headers(f);""", name)

    def scanned(self) -> dict:
        """Message-ID -> level, from the line the add-on logs per message scanned on arrival."""
        out = {}
        with open(os.path.join(self.artifacts, "thunderbird.log"), encoding="utf-8", errors="replace") as fh:
            for line in fh:
                m = re.search(r'"\[tsuribari\] scanned" "([^"]*)" "([^"]*)"', line)
                if m:
                    out[m.group(1)] = m.group(2)
        return out

    def wait_scanned(self, mid: str, timeout: float = 60) -> str:
        return wait_for(lambda: self.scanned().get(mid), timeout, what=f"scan of {mid}")

    def open_message(self, mid: str, folder: str = "INBOX") -> None:
        self.tb.js("""
const folder = imapFolder(args[1]);
await urlDone(l => MailServices.imap.selectFolder(folder, l, null)).catch(() => {});
const hdr = await until(() => [...folder.messages].find(h => h.messageId === args[0]));
const w = win();
w.document.getElementById("tabmail").switchToTab(0);
const a3 = about3Pane();
if (a3.gFolder !== folder) a3.displayFolder(folder);
await until(() => a3.gDBView);
const index = await until(() => { const i = a3.gDBView.findIndexOfMsgHdr(hdr, true); return i >= 0 ? i + 1 : 0; }) - 1;
a3.threadTree.selectedIndex = index;
// The pane's URL ends with the IMAP UID (= message key) of what it shows.
await until(() => a3.gDBView.hdrForFirstSelectedMessage?.messageId === args[0]
  && messagePane()?.currentURI?.spec.endsWith("%3E" + hdr.messageKey));
await until(() => messagePane().contentDocument?.readyState === "complete");
""", mid, folder)

    # ----------------------------------------------------------------- popup
    def click_analyze(self, selector: str | None = None, timeout_ms: int = 30000) -> dict:
        """Clicks the Analyze button (or `selector` inside an open popup) and
        waits until the popup shows a verdict or an error. Returns the page
        state and the milliseconds from click to rendered panel."""
        return self.tb.js("""
const [buttonId, selector, timeout] = args;
let runsBefore = 0;
if (selector) {
  runsBefore = Number((await actor(popupBrowser()).sendQuery("info")).body.runs);
  await actor(popupBrowser()).sendQuery("click", {selector});
} else {
  closePopups();
  aboutMessage().document.getElementById(buttonId).click();
}
const t0 = performance.now();
let info;
await until(async () => {
  const b = popupBrowser();
  if (!b || !b.currentURI.spec.endsWith("popup.html")) return false;
  info = await actor(b).sendQuery("info").catch(() => null);
  return info && Number(info.body?.runs) > runsBefore && (info.body?.state === "done" || info.body?.state === "error");
}, timeout, 5);
return {ms: performance.now() - t0, ...info};
""".replace("closePopups();", "for (const p of popupPanels()) p.hidePopup();"), BUTTON_ID, selector, timeout_ms)

    def popup(self, selector: str) -> list:
        return self.tb.js("return actor(popupBrowser()).sendQuery('query', {selector: args[0]});", selector)

    def popup_count(self, selector: str) -> int:
        return self.tb.js("return actor(popupBrowser()).sendQuery('count', {selector: args[0]});", selector)

    def close_popup(self) -> None:
        self.tb.js("for (const p of popupPanels()) p.hidePopup(); await until(() => !popupBrowser());")

    def badge(self) -> str | None:
        return self.tb.js("return aboutMessage().document.getElementById(args[0])?.getAttribute('badge');", BUTTON_ID)

    # ---------------------------------------------------------------- banner
    def banner(self, timeout: float = 15) -> dict | None:
        """Text of the banner in the message pane (inside its closed shadow root)."""
        try:
            return self.tb.js("""
const host = await until(() => messagePane().contentDocument.querySelector("tsuribari-banner"), args[0]);
const root = host.openOrClosedShadowRoot;
return {text: root.querySelector(".text").textContent, button: root.querySelector("button").textContent,
        lang: root.querySelector(".bar").getAttribute("lang"), open: host.shadowRoot === null,
        tags: [...new Set([...root.querySelectorAll("*")].map(n => n.localName))].sort(),
        count: messagePane().contentDocument.querySelectorAll("tsuribari-banner").length};
""", int(timeout * 1000))
        except RuntimeError as e:
            if "timed out" in str(e):
                return None
            raise

    def click_banner_button(self) -> None:
        self.tb.js("""
for (const p of popupPanels()) p.hidePopup();
const host = messagePane().contentDocument.querySelector("tsuribari-banner");
host.openOrClosedShadowRoot.querySelector("button").click();
""")

    # ------------------------------------------------------------ screenshots
    def screenshot_popup(self, name: str) -> str:
        """The whole popup document (it may be taller than the visible popup)."""
        return self._save(name, self.tb.js("""
const b = popupBrowser();
const m = await actor(b).sendQuery("metrics");
return snapshot(b, m.width, m.height);"""))

    def screenshot_message(self, name: str) -> str:
        """The message pane as the user sees it: header, banner, body."""
        return self._save(name, self.tb.js("""
const b = about3Pane().messageBrowser;
const r = b.getBoundingClientRect();
return snapshot(b, Math.ceil(r.width), Math.min(Math.ceil(r.height), 700));"""))

    def _save(self, name: str, data_url: str) -> str:
        path = os.path.join(self.artifacts, name)
        with open(path, "wb") as fh:
            fh.write(base64.b64decode(data_url.split(",", 1)[1]))
        return path

    # ----------------------------------------------------------------- addon
    def reload_addon(self) -> None:
        """Restarts the add-on's background (and with it, its host connection)."""
        self.tb.js("""
const { AddonManager } = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
const a = await AddonManager.getAddonByID(args[0]);
await a.reload();
await until(async () => (await AddonManager.getAddonByID(args[0]))?.isActive);
await sleep(500);
""", ADDON_ID)

    def write_timings(self, data: dict) -> str:
        path = os.path.join(self.artifacts, "timings.json")
        old = {}
        if os.path.exists(path):
            with open(path) as fh:
                old = json.load(fh)
        old.update(data)
        old["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with open(path, "w") as fh:
            json.dump(old, fh, indent=2)
        return path
