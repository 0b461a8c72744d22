"""Manifest V3 background pages are suspended when idle; new mail and the
Analyze button must wake the add-on, as they do after a coffee break."""

from conftest import read_mail
from session import ADDON_ID, with_message_id
from util import wait_for

SEED = read_mail("kagoya-active-mail.eml")


def _suspended(addon):
    """Restart the add-on (no host connection open), then wait until Thunderbird suspends its background."""
    addon.reload_addon()
    wait_for(lambda: addon.tb.js("return WebExtensionPolicy.getByID(args[0]).extension.backgroundState;", ADDON_ID)
             == "stopped", 40, step=0.5, what="background suspended")


def test_suspended_add_on_wakes_for_new_mail_and_for_analyze(addon):
    addon.tb.js("Services.prefs.setIntPref('extensions.background.idle.timeout', 1500);")
    try:
        _suspended(addon)
        addon.dovecot.deliver(with_message_id(SEED, "wake@e2e.test"))
        assert addon.wait_scanned("wake@e2e.test") == "phishing"

        _suspended(addon)
        addon.open_message("wake@e2e.test")
        result = addon.click_analyze()
        assert result["body"]["state"] == "done" and result["body"]["level"] == "phishing"
        addon.close_popup()
    finally:
        addon.tb.js("Services.prefs.clearUserPref('extensions.background.idle.timeout');")
