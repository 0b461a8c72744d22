"""One real Thunderbird for the whole e2e session: throwaway HOME and
profile, the real `tsuribari host` registered by manifest/install_host.py,
a private dovecot on 127.0.0.1, the add-on (dist/*.xpi) installed from
the file like a user does, and a trap HTTP server that must never be contacted."""

import os
import shutil
import subprocess
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from dovecot import Dovecot  # noqa: E402
from session import AddonSession  # noqa: E402
from thunderbird import Thunderbird  # noqa: E402
from trap import Trap  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
ARTIFACTS = os.path.join(REPO, "artifacts", "e2e")
MAIL = os.path.join(REPO, "tests", "fixtures", "mail")


def read_mail(name: str) -> bytes:
    with open(os.path.join(MAIL, name), "rb") as fh:
        return fh.read()


def install_host(home: str, action: str = "install") -> None:
    subprocess.run([sys.executable, os.path.join(REPO, "manifest", "install_host.py"), action, "--home", home],
                   check=True, capture_output=True)


@pytest.fixture(scope="session")
def addon():
    if not os.access(os.path.join(REPO, ".venv", "bin", "tsuribari"), os.X_OK):
        pytest.fail("the native host is not built: run 'make venv' (make e2e does)")
    subprocess.run(["make", "-s", "xpi"], cwd=REPO, check=True)
    xpi = max((os.path.join(REPO, "dist", f) for f in os.listdir(os.path.join(REPO, "dist")) if f.endswith(".xpi")),
              key=os.path.getmtime)
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    os.makedirs(ARTIFACTS)
    work = tempfile.mkdtemp(prefix="tsuribari-e2e-")
    home = os.path.join(work, "home")
    os.makedirs(home)
    install_host(home)
    trap = Trap().start()
    dove = Dovecot(os.path.join(work, "dovecot"), ARTIFACTS)
    tb = Thunderbird(work, home, ARTIFACTS, dove.port)
    try:
        dove.start()
        tb.start()
        tb.register_actor()
        # The IMAP password lives in memory only; then the account syncs like a user's.
        tb.js("""
const s = imapServer();
s.password = "secret";
await urlDone(l => MailServices.imap.discoverAllFolders(s.rootFolder, l, null));
await until(() => imapFolder("INBOX") && imapFolder("Junk"));
await urlDone(l => MailServices.imap.selectFolder(imapFolder("INBOX"), l, null));
win().resizeTo(1280, 900);
""")
        assert tb.install_addon(xpi) == "tsuribari@tsuribari.dev"
        s = AddonSession(tb, dove, trap, ARTIFACTS, home)
        # Tests run offline: the host must not touch the network.
        s.set_options({"network": False, "language": "en", "scanOnArrival": True, "phishing.move": "none"})
        yield s
    finally:
        tb.quit()
        dove.stop()
        trap.stop()
        shutil.rmtree(work, ignore_errors=True)


def pytest_terminal_summary(terminalreporter):
    """Show the measured timings next to the test results (the bench reads the file)."""
    import json

    path = os.path.join(ARTIFACTS, "timings.json")
    if os.path.exists(path):
        with open(path) as fh:
            t = json.load(fh)
        terminalreporter.write_sep("-", "add-on timings (artifacts/e2e/timings.json)")
        for k, v in t.items():
            if not isinstance(v, list):
                terminalreporter.write_line(f"{k}: {v}")
