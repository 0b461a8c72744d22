// Background event page: wires Thunderbird's events to the analyzer. Every
// listener is added synchronously at top level so Thunderbird can wake the
// page for it after it was suspended.

import { analyzeMessage, uiContext, hostRequest, prefetch, store, topReason } from "./analyzer.js";
import { onNewMail } from "./arrival.js";
import { ensureTags } from "../modules/actions.js";
import { LEVELS } from "../modules/levels.js";
import { HostError } from "../modules/native.js";

const BANNER_ID = "tsuribari-banner";

async function registerBanner() {
  // Filtering by an unknown id throws, so list them all.
  const have = await messenger.scripting.messageDisplay.getRegisteredScripts();
  if (have.some(s => s.id === BANNER_ID)) return;
  await messenger.scripting.messageDisplay.registerScripts([
    { id: BANNER_ID, js: ["/banner/banner.js"], runAt: "document_end" },
  ]);
}

/** @param {number} tabId @returns {Promise<any|null>} the one displayed message */
async function displayedMessage(tabId) {
  const res = await messenger.messageDisplay.getDisplayedMessages(tabId);
  const list = Array.isArray(res) ? res : res?.messages || [];
  return list.length === 1 ? list[0] : null;
}

async function setBadge(tabId, level, t) {
  const lv = LEVELS[level];
  await messenger.messageDisplayAction.setBadgeText({ tabId, text: lv ? lv.badge : "" });
  if (lv) await messenger.messageDisplayAction.setBadgeBackgroundColor({ tabId, color: lv.color });
  await messenger.messageDisplayAction.setTitle({ tabId, title: lv ? `${t("analyzeButton")}: ${t("level_" + level)}` : t("analyzeButton") });
}

function errorReply(e) {
  const code = e instanceof HostError ? e.code : "analysis_failed";
  return { ok: false, error: { code, message: String(e?.message ?? e) } };
}

async function onAnalyzeRequest(msg) {
  const { t } = await uiContext();
  const header = await displayedMessage(msg.tabId);
  if (!header) return { ok: false, error: { code: "no_message", message: t("noMessage") } };
  try {
    const r = await analyzeMessage(header.id, { force: !!msg.force });
    await setBadge(msg.tabId, r.level, t);
    return { ok: true, ...r };
  } catch (e) {
    return errorReply(e);
  }
}

/** What the in-message banner shows; analysed on demand if not yet known. */
async function onBannerRequest(sender) {
  const tabId = sender.tab?.id;
  if (tabId == null) return null;
  const { settings, t, lang } = await uiContext();
  const header = await displayedMessage(tabId);
  if (!header) return null;
  let entry = await store.get(header.headerMessageId);
  if (!entry && settings.scanOnArrival) {
    try {
      await analyzeMessage(header.id);
      entry = await store.get(header.headerMessageId);
    } catch (e) {
      return null; // the popup explains host problems; the banner stays quiet
    }
  }
  if (!entry) return null;
  await setBadge(tabId, entry.level, t);
  if (entry.level === "safe") return null;
  return {
    level: entry.level,
    lang,
    color: LEVELS[entry.level].color,
    text: t("bannerText", t("level_" + entry.level), topReason(entry, lang)),
    button: t("bannerOpen"),
  };
}

async function openPanel(sender) {
  const windowId = sender.tab?.windowId;
  try {
    if (await messenger.messageDisplayAction.openPopup(windowId != null ? { windowId } : {})) return true;
  } catch (e) {
    console.warn("[tsuribari] openPopup:", String(e));
  }
  // The button may be hidden from the toolbar: show the same panel in a small window.
  await messenger.windows.create({
    type: "popup", width: 720, height: 640,
    url: messenger.runtime.getURL(`popup/popup.html?tab=${sender.tab?.id ?? ""}`),
  });
  return true;
}

messenger.runtime.onMessage.addListener((msg, sender) => {
  switch (msg?.type) {
    case "analyzeDisplayed": return onAnalyzeRequest(msg);
    case "bannerVerdict": return onBannerRequest(sender);
    case "openPanel": return openPanel(sender);
    case "ping": return hostRequest({ type: "ping" }).then(result => ({ ok: true, result }), errorReply);
    default: return false;
  }
});

messenger.messages.onNewMailReceived.addListener((folder, page) => {
  onNewMail(folder, page).catch(e => console.warn("[tsuribari] onNewMail", String(e)));
});

messenger.messageDisplay.onMessagesDisplayed.addListener(async (tab, list) => {
  const msgs = Array.isArray(list) ? list : list?.messages || [];
  const { t } = await uiContext();
  const entry = msgs.length === 1 ? await store.get(msgs[0].headerMessageId) : null;
  if (msgs.length === 1 && !entry) prefetch(msgs[0].id);
  await setBadge(tab.id, entry?.level ?? "", t);
});

// Tag labels follow the chosen language.
messenger.storage.onChanged.addListener(async (changes, area) => {
  if (area !== "local" || !changes.settings) return;
  const { t } = await uiContext();
  await ensureTags(messenger, t).catch(() => {});
});

async function setup() {
  const { t } = await uiContext();
  await ensureTags(messenger, t).catch(e => console.warn("[tsuribari] tags", String(e)));
}
messenger.runtime.onInstalled.addListener(setup);
messenger.runtime.onStartup.addListener(setup);
registerBanner().catch(e => console.warn("[tsuribari] banner", String(e)));
