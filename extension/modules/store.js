// Verdicts are remembered by Message-ID (stable across folders, moves and
// IMAP re-syncs, unlike Thunderbird's numeric ids) so reopening a message
// shows its verdict instantly. The map is bounded: oldest entries go first.

export const STORE_KEY = "verdicts";
export const DEFAULT_LIMIT = 2000;

/**
 * @typedef {{level: string, score: number, verdict: string, at: number,
 *   summary?: {ja?: string, en?: string}, top?: {ja?: string, en?: string}|null,
 *   result?: any}} StoredVerdict
 */

/**
 * @param {{get(k: any): Promise<any>, set(o: any): Promise<void>}} area storage.local-like
 * @param {{limit?: number, keepFullResults?: number}} [opts]
 */
export function createVerdictStore(area, { limit = DEFAULT_LIMIT, keepFullResults = 100 } = {}) {
  // Writes are serialised: two analyses finishing together must not drop
  // each other's entry in a read-modify-write race.
  let chain = Promise.resolve();

  async function load() {
    const got = await area.get(STORE_KEY);
    const v = got?.[STORE_KEY];
    return v && typeof v === "object" ? v : {};
  }

  return {
    /** @param {string} messageId @returns {Promise<StoredVerdict|null>} */
    async get(messageId) {
      if (!messageId) return null;
      // A read waits for the writes already queued, so it sees the verdict just stored.
      await chain.catch(() => {});
      const all = await load();
      return Object.hasOwn(all, messageId) ? all[messageId] : null;
    },
    /** @param {string} messageId @param {StoredVerdict} entry */
    put(messageId, entry) {
      if (!messageId) return Promise.resolve();
      chain = chain.then(async () => {
        const all = await load();
        delete all[messageId];
        all[messageId] = entry;
        const ids = Object.keys(all).sort((a, b) => (all[a].at || 0) - (all[b].at || 0));
        for (const id of ids.slice(0, Math.max(0, ids.length - limit))) delete all[id];
        // The full host result is large (routes, links, markdown); keep it only
        // for the most recent messages, the level and summary for all.
        const recent = ids.slice(-keepFullResults);
        for (const id of Object.keys(all)) if (!recent.includes(id)) delete all[id].result;
        await area.set({ [STORE_KEY]: all });
      });
      return chain;
    },
    /** @param {string} messageId */
    forget(messageId) {
      chain = chain.then(async () => {
        const all = await load();
        delete all[messageId];
        await area.set({ [STORE_KEY]: all });
      });
      return chain;
    },
    async count() {
      return Object.keys(await load()).length;
    },
  };
}
