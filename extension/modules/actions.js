// What to do with a message once its level is known (scan on arrival), as a
// plan of plain steps, then carried out through the messenger API. Keeping
// the choice pure lets it be tested without Thunderbird.

export const TAGS = {
  suspicious: { key: "tsuribari_suspicious", color: "#E07000" },
  phishing: { key: "tsuribari_phishing", color: "#C50F1F" },
};

/**
 * @typedef {{kind: "tag", key: string} | {kind: "junk"} |
 *   {kind: "move", target: "junk"} | {kind: "move", target: "folder", folderId: string} |
 *   {kind: "notify"}} Step
 */

/**
 * @param {"safe"|"suspicious"|"phishing"} level
 * @param {{actions: any, moveFolder: string}} settings
 * @param {{trusted?: boolean}} [ctx] trusted: From's domain is on the allowlist
 * @returns {Step[]}
 */
export function planActions(level, settings, { trusted = false } = {}) {
  if (level === "safe" || trusted) return [];
  const a = settings.actions[level];
  if (!a) return [];
  /** @type {Step[]} */
  const steps = [];
  if (a.tag) steps.push({ kind: "tag", key: TAGS[level].key });
  if (a.junk) steps.push({ kind: "junk" });
  if (a.notify) steps.push({ kind: "notify" });
  // Moving goes last: after a move the message id may refer to a new copy.
  if (a.move === "junk") steps.push({ kind: "move", target: "junk" });
  else if (a.move === "folder" && settings.moveFolder) {
    steps.push({ kind: "move", target: "folder", folderId: settings.moveFolder });
  }
  return steps;
}

/**
 * Creates our two tags if missing, labelled in the user's language.
 * @param {any} messenger
 * @param {(key: string) => string} t
 */
export async function ensureTags(messenger, t) {
  const existing = await messenger.messages.tags.list();
  for (const [level, def] of Object.entries(TAGS)) {
    const label = t(level === "phishing" ? "tagPhishing" : "tagSuspicious");
    const have = existing.find(x => x.key === def.key);
    if (!have) await messenger.messages.tags.create(def.key, label, def.color);
    else if (have.tag !== label) await messenger.messages.tags.update(def.key, { tag: label });
  }
}

/**
 * @param {any} messenger
 * @param {number} messageId
 * @param {Step[]} steps
 * @param {{notify: (id: number) => Promise<void>}} hooks
 * @returns {Promise<string[]>} what was done, for the log
 */
export async function runActions(messenger, messageId, steps, hooks) {
  const done = [];
  for (const step of steps) {
    const name = step.kind + ("key" in step ? ":" + step.key : "") + ("target" in step ? ":" + step.target : "");
    // One failing step (say, notifications unavailable) must not stop the
    // others: a phishing mail should still be tagged and moved.
    try {
      done.push(name + (await runStep(messenger, messageId, step, hooks)));
    } catch (e) {
      done.push(`${name}:failed(${String(e?.message ?? e)})`);
    }
  }
  return done;
}

async function runStep(messenger, messageId, step, hooks) {
  if (step.kind === "tag") {
    const msg = await messenger.messages.get(messageId);
    // update() replaces the tag list, so keep the user's own tags.
    await messenger.messages.update(messageId, { tags: [...new Set([...(msg.tags || []), step.key])] });
  } else if (step.kind === "junk") {
    await messenger.messages.update(messageId, { junk: true });
  } else if (step.kind === "notify") {
    await hooks.notify(messageId);
  } else if (step.kind === "move") {
    const target = step.target === "junk" ? await junkFolderFor(messenger, messageId) : step.folderId;
    if (!target) return ":skipped(no junk folder)";
    await messenger.messages.move([messageId], target);
  }
  return "";
}

/** @returns {Promise<string|null>} the MailFolderId of the account's Junk folder */
async function junkFolderFor(messenger, messageId) {
  const msg = await messenger.messages.get(messageId);
  const accountId = msg.folder?.accountId;
  const [junk] = await messenger.folders.query({ accountId, specialUse: ["junk"] });
  if (junk) return junk.id;
  const [named] = await messenger.folders.query({ accountId, name: "Junk" });
  return named ? named.id : null;
}
