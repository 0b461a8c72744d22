// Scan on arrival: every new message goes through one queue (two at a time)
// so a burst of hundreds neither freezes Thunderbird nor floods the host.

import { createQueue } from "../modules/queue.js";
import { planActions, runActions, ensureTags } from "../modules/actions.js";
import { analyzeMessage, uiContext, topReason, store } from "./analyzer.js";

const queue = createQueue({
  concurrency: 2,
  key: m => String(m.id),
  worker: scanOne,
  onError: (m, e) => console.warn("[tsuribari] scan failed", m.id, e?.code || "", String(e?.message ?? e)),
});

/** @param {{id: number, headerMessageId?: string, author?: string, subject?: string}} header */
async function scanOne(header) {
  const { settings, t, lang } = await uiContext();
  if (!settings.scanOnArrival) return;
  const { level } = await analyzeMessage(header.id);
  const domain = String(header.author || "").match(/@([^>\s]+)>?\s*$/)?.[1]?.toLowerCase() ?? "";
  const trusted = settings.trustedDomains.some(d => domain === d || domain.endsWith("." + d));
  const steps = planActions(/** @type {any} */ (level), settings, { trusted });
  if (steps.some(s => s.kind === "tag")) await ensureTags(messenger, t);
  const done = await runActions(messenger, header.id, steps, {
    notify: async () => {
      const entry = await store.get(header.headerMessageId || "");
      await messenger.notifications.create(`tsuribari-${header.id}`, {
        type: "basic",
        iconUrl: messenger.runtime.getURL("icons/tsuribari.svg"),
        title: t("notifyTitle", t("level_" + level)),
        message: t("notifyText", header.subject || "", entry ? topReason(entry, lang) : ""),
      });
    },
  });
  console.info("[tsuribari] scanned", header.headerMessageId, level, done.join(","));
}

/**
 * @param {any} folder
 * @param {{id: string|null, messages: any[]}} page
 */
export async function onNewMail(folder, page) {
  for (;;) {
    for (const m of page.messages) queue.push(m);
    if (!page.id) break;
    page = await messenger.messages.continueList(page.id);
  }
}

export const scanQueue = queue;
