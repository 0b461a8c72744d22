"""Without the native host registered, the panel explains what is wrong in
plain words and gives the exact install command."""

from conftest import install_host, read_mail
from session import with_message_id

LEGIT = read_mail("legit-dinner-invitation.eml")


def test_panel_shows_install_guidance_when_the_host_is_not_installed(addon):
    addon.set_options({"language": "en", "scanOnArrival": False})
    install_host(addon.home, "uninstall")
    try:
        # A restarted add-on has to start the host anew, and finds none.
        addon.reload_addon()
        mid = "no-host@e2e.test"
        addon.dovecot.deliver(with_message_id(LEGIT, mid))
        addon.open_message(mid)
        state = addon.click_analyze()
        assert state["body"]["state"] == "error"
        assert state["body"]["error"] == "host_missing"
        problem = addon.popup("#problem")[0]["text"]
        assert "The Tsuribari analysis program is not installed" in problem
        assert addon.popup("#install-command")[0]["text"] == "make install"
        assert addon.popup("#copy")[0]["attrs"].get("hidden") is not None, "nothing to copy without a verdict"
        addon.screenshot_popup("popup-host-missing.png")
        install_host(addon.home, "install")
        # Installed: "Analyse again" in the same popup works, nothing restarted.
        state = addon.click_analyze(selector="#again")
        assert state["body"]["state"] == "done", state
        addon.close_popup()
    finally:
        install_host(addon.home, "install")
        addon.set_options({"scanOnArrival": True})
