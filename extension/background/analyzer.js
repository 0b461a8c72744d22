// Analysis of one message: stored verdict if we have one, else raw bytes to
// the native host. Shared by the Analyze popup, the banner and scan on arrival.

import { createHostClient } from "../modules/native.js";
import { createVerdictStore } from "../modules/store.js";
import { bytesToBase64 } from "../modules/b64.js";
import { effectiveLevel } from "../modules/levels.js";
import { hostOptions, normalize, resolveLanguage } from "../modules/settings.js";
import { loadTranslator, pick } from "../modules/i18n.js";
import { revealInvisible } from "../modules/defang.js";

export const HOST_NAME = "tsuribari";

const host = createHostClient({
  connect: () => messenger.runtime.connectNative(HOST_NAME),
  // Network lookups have their own budget in the host; this only catches a hung host.
  timeoutMs: 60000,
  log: (...a) => console.warn("[tsuribari]", ...a),
});
export const store = createVerdictStore(messenger.storage.local);

export async function loadSettings() {
  const { settings } = await messenger.storage.local.get("settings");
  return normalize(settings);
}

export async function uiContext() {
  const settings = await loadSettings();
  const lang = resolveLanguage(settings.language, messenger.i18n.getUILanguage());
  const t = await loadTranslator(lang, p => messenger.runtime.getURL(p));
  return { settings, lang, t };
}

/** @param {Record<string, any>} body */
export const hostRequest = body => host.request(body);

/** @type {{id: number, bytes: Promise<ArrayBuffer>} | null} */
let prefetched = null;

/**
 * A displayed message without a verdict is likely to be analysed next: read its raw
 * bytes and wake the host now, so the click only waits for the analysis itself.
 * Nothing leaves the machine: the host is only pinged.
 * @param {number} messageId
 */
export function prefetch(messageId) {
  const bytes = messenger.messages.getRaw(messageId).then(file => file.arrayBuffer());
  bytes.catch(() => {});
  prefetched = { id: messageId, bytes };
  host.request({ type: "ping" }).catch(() => {});
}

/** @param {number} messageId */
async function rawBytes(messageId) {
  const hit = prefetched && prefetched.id === messageId ? prefetched.bytes : null;
  prefetched = null;
  if (hit) {
    try { return await hit; } catch { /* read it again below */ }
  }
  const file = await messenger.messages.getRaw(messageId);
  return file.arrayBuffer();
}

/**
 * @param {number} messageId Thunderbird's id
 * @param {{force?: boolean}} [opts] force: ignore the stored verdict
 * @returns {Promise<{result: any, level: string, cached: boolean, headerMessageId: string}>}
 */
export async function analyzeMessage(messageId, { force = false } = {}) {
  const header = await messenger.messages.get(messageId);
  const key = header.headerMessageId || `tb-${messageId}`;
  if (!force) {
    const stored = await store.get(key);
    if (stored?.result) return { result: stored.result, level: stored.level, cached: true, headerMessageId: key };
  }
  const { settings, lang } = await uiContext();
  const raw_b64 = bytesToBase64(new Uint8Array(await rawBytes(messageId)));
  const result = await host.request({ type: "analyze", raw_b64, options: hostOptions(settings, lang) });
  const level = effectiveLevel(result, settings.thresholds);
  const top = result.findings?.[0]?.title ?? null;
  // The panel need not wait for the write; a failed write only costs a re-analysis later.
  store.put(key, { level, score: result.score, verdict: result.verdict, at: Date.now(), summary: result.summary, top, result })
    .catch(e => console.warn("[tsuribari] store", String(e)));
  return { result, level, cached: false, headerMessageId: key };
}

/** The one-line reason for banners and notifications. */
export function topReason(entry, lang) {
  return revealInvisible(pick(entry.top ?? entry.result?.findings?.[0]?.title ?? entry.summary, lang));
}
