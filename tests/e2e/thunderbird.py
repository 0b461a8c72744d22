"""Real Thunderbird, headless, in a throwaway HOME and profile, driven over
Marionette. Privileged (chrome) JavaScript is used only to play the user
(select a message, click a button) and to read back what Thunderbird shows."""

import json
import os
import subprocess
import time

from marionette_driver.marionette import Marionette

from util import free_port, wait_port

ACTOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "actor")
TB_BIN = os.environ.get("TB_BIN", "/usr/lib/thunderbird/thunderbird")

# Chrome-scope helpers prepended to every script.
JS_PRELUDE = r"""
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const { setTimeout: later } = ChromeUtils.importESModule("resource://gre/modules/Timer.sys.mjs");
const sleep = ms => new Promise(r => later(r, ms));
const win = () => Services.wm.getMostRecentWindow("mail:3pane");
const about3Pane = () => win().document.getElementById("tabmail").currentAbout3Pane;
const imapServer = () => MailServices.accounts.getIncomingServer("server2");
const imapFolder = name => name === "INBOX"
  ? imapServer().rootFolder.getFolderWithFlags(Ci.nsMsgFolderFlags.Inbox)
  : imapServer().rootFolder.getChildNamed(name);
function urlDone(start) {
  return new Promise((ok, fail) => start({
    OnStartRunningUrl() {},
    OnStopRunningUrl(url, status) { status ? fail(new Error("url status " + status)) : ok(); },
  }));
}
function headers(folder) {
  const out = {};
  if (!folder) return out;
  for (const h of folder.messages) out[h.messageId] = {keywords: h.getStringProperty("keywords"), junkscore: h.getStringProperty("junkscore"), key: h.messageKey};
  return out;
}
// A page that never answers must fail the test, not hang it.
function actor(browser) {
  const a = browser.browsingContext.currentWindowGlobal.getActor("TsuribariE2E");
  return {sendQuery: (name, data) => Promise.race([a.sendQuery(name, data),
    sleep(5000).then(() => { throw new Error("actor query timed out: " + name); })])};
}
function aboutMessage() { return about3Pane().messageBrowser.contentWindow; }
function messagePane() { return aboutMessage().getMessagePaneBrowser(); }
function popupPanels() {
  return [...win().document.querySelectorAll("panel"), ...aboutMessage().document.querySelectorAll("panel")]
    .filter(p => p.state == "open" && p.querySelector("browser.webextension-popup-browser"));
}
function popupBrowser() {
  return popupPanels()[0]?.querySelector("browser.webextension-popup-browser");
}
async function snapshot(browser, w, h) {
  const bitmap = await browser.browsingContext.currentWindowGlobal.drawSnapshot(new (win().DOMRect)(0, 0, w, h), 1, "white");
  const canvas = win().document.createElementNS("http://www.w3.org/1999/xhtml", "canvas");
  canvas.width = w; canvas.height = h;
  canvas.getContext("2d").drawImage(bitmap, 0, 0);
  return canvas.toDataURL("image/png");
}
async function until(pred, ms = 20000, step = 50) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out: " + pred);
    await sleep(step);
  }
}
"""


class Thunderbird:
    def __init__(self, work: str, home: str, artifacts: str, imap_port: int):
        self.work, self.home, self.artifacts, self.imap_port = work, home, artifacts, imap_port
        self.profile = os.path.join(work, "profile")
        self.mn_port = free_port()
        self.proc = None
        self.m = None

    def write_prefs(self) -> None:
        os.makedirs(self.profile, exist_ok=True)
        prefs = {
            "marionette.port": self.mn_port,
            "mail.provider.enabled": False,
            "mail.provider.suppress_dialog_on_startup": True,
            "mailnews.start_page.enabled": False,
            "mail.shell.checkDefaultClient": False,
            "mail.rights.override": True,
            "app.update.enabled": False,
            "datareporting.policy.dataSubmissionEnabled": False,
            "toolkit.telemetry.reportingpolicy.firstRun": False,
            "mail.biff.show_alert": False,
            "mail.spam.manualMark": False,
            "xpinstall.signatures.required": False,
            "devtools.console.stdout.chrome": True,
            "devtools.console.stdout.content": True,
            # Remote content stays blocked as for any user: the trap server
            # must see nothing from the hostile mail.
            "mailnews.message_display.disable_remote_image": True,
            # The content sandbox may read the test-only actor's modules (actor/).
            "security.sandbox.content.read_path_whitelist": ACTOR_DIR + "/",
            "mail.accountmanager.accounts": "account1,account2",
            "mail.accountmanager.defaultaccount": "account2",
            "mail.accountmanager.localfoldersserver": "server1",
            "mail.account.account1.server": "server1",
            "mail.server.server1.type": "none",
            "mail.server.server1.hostname": "Local Folders",
            "mail.server.server1.userName": "nobody",
            "mail.server.server1.name": "Local Folders",
            "mail.server.server1.directory-rel": "[ProfD]Mail/Local Folders",
            "mail.account.account2.server": "server2",
            "mail.account.account2.identities": "id1",
            "mail.identity.id1.useremail": "info@example-office.jp",
            "mail.identity.id1.fullName": "Ichiro Suzuki",
            "mail.identity.id1.valid": True,
            "mail.server.server2.type": "imap",
            "mail.server.server2.hostname": "127.0.0.1",
            "mail.server.server2.port": self.imap_port,
            "mail.server.server2.userName": "tester",
            "mail.server.server2.name": "E2E IMAP",
            "mail.server.server2.socketType": 0,
            "mail.server.server2.authMethod": 3,
            "mail.server.server2.use_idle": True,
            "mail.server.server2.offline_download": False,
            "mail.server.default.autosync_offline_stores": False,
            "mail.server.server2.directory-rel": "[ProfD]ImapMail/127.0.0.1",
            # The password is set in memory after start; no prompt before that.
            "mail.server.server2.login_at_startup": False,
            "mail.server.server2.check_new_mail": True,
            "mail.server.server2.check_time": 1,
        }
        os.makedirs(os.path.join(self.profile, "Mail", "Local Folders"), exist_ok=True)
        with open(os.path.join(self.profile, "user.js"), "w") as fh:
            for k, v in prefs.items():
                fh.write(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n")

    def start(self) -> float:
        self.write_prefs()
        env = dict(os.environ, HOME=self.home, MOZ_CRASHREPORTER_DISABLE="1", TZ="UTC", LANG="C.UTF-8")
        env.pop("DISPLAY", None)
        t = time.monotonic()
        self.proc = subprocess.Popen(
            [TB_BIN, "--headless", "--no-remote", "-profile", self.profile, "--marionette", "--remote-allow-system-access"],
            env=env, stdout=open(os.path.join(self.artifacts, "thunderbird.log"), "w"),
            stderr=subprocess.STDOUT, start_new_session=True)
        wait_port(self.mn_port, 60, self.proc)
        self.m = Marionette(host="127.0.0.1", port=self.mn_port)
        self.m.start_session()
        self.m.set_context(self.m.CONTEXT_CHROME)
        self.m.timeout.script = 90
        return time.monotonic() - t

    def js(self, body: str, *args):
        """Runs an async function body in chrome scope; `args` is its argument list."""
        script = (
            "const resolve = arguments[arguments.length - 1];\n"
            "const args = Array.from(arguments).slice(0, -1);\n" + JS_PRELUDE +
            "(async () => {\n" + body + "\n})().then(v => resolve({ok: v === undefined ? null : v}),"
            " e => resolve({err: String(e) + '\\n' + (e && e.stack)}));"
        )
        res = self.m.execute_async_script(script, script_args=list(args))
        if "err" in res:
            raise RuntimeError(res["err"])
        return res["ok"]

    def register_actor(self) -> None:
        """Test-only window actor (actor/) to read the add-on's remote pages."""
        self.js("""
const { FileUtils } = ChromeUtils.importESModule("resource://gre/modules/FileUtils.sys.mjs");
const rph = Services.io.getProtocolHandler("resource").QueryInterface(Ci.nsIResProtocolHandler);
rph.setSubstitution("tsuribari-e2e", Services.io.newFileURI(new FileUtils.File(args[0])));
ChromeUtils.registerWindowActor("TsuribariE2E", {
  parent: {esModuleURI: "resource://tsuribari-e2e/TsuribariE2EParent.sys.mjs"},
  child: {esModuleURI: "resource://tsuribari-e2e/TsuribariE2EChild.sys.mjs"},
  allFrames: true,
});""", ACTOR_DIR + "/")

    def install_addon(self, path: str) -> str:
        """Installs the .xpi for good, as Add-ons Manager > Install Add-on From File
        does (unsigned add-ons are allowed by Thunderbird's defaults)."""
        return self.js("""
const { AddonManager } = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
const { FileUtils } = ChromeUtils.importESModule("resource://gre/modules/FileUtils.sys.mjs");
const install = await AddonManager.getInstallForFile(new FileUtils.File(args[0]));
if (install.error) throw new Error("install error " + install.error);
const addon = await install.install();
await until(async () => (await AddonManager.getAddonByID(addon.id))?.isActive);
const a = await AddonManager.getAddonByID(addon.id);
if (a.temporarilyInstalled) throw new Error("expected a permanent install");
return a.id;""", path)

    def quit(self) -> None:
        if self.m is not None:
            try:
                self.m._request_in_app_shutdown()
            except Exception:
                pass
            try:
                self.m.delete_session(send_request=False)
            except Exception:
                pass
        if self.proc is not None:
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                try:
                    self.proc.wait(15)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
        self.m = self.proc = None
