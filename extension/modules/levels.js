// One place that knows what each verdict level looks like: colour is never
// the only signal, so every level also has a word and a badge symbol.

/** @typedef {"safe"|"suspicious"|"phishing"} Level */

/** @type {Record<Level, {color: string, badge: string, rank: number}>} */
export const LEVELS = {
  safe: { color: "#1a7f37", badge: "OK", rank: 0 },
  suspicious: { color: "#b35900", badge: "?!", rank: 1 },
  phishing: { color: "#c50f1f", badge: "!!", rank: 2 },
};

/**
 * @param {unknown} verdict
 * @returns {Level}
 */
export function levelOf(verdict) {
  return Object.hasOwn(LEVELS, String(verdict)) ? /** @type {Level} */ (verdict) : "suspicious";
}

/**
 * The host decides the verdict with its own thresholds; the user's
 * thresholds (options page) can only make it stricter, never hide a
 * phishing verdict, so a mistyped setting cannot silence the tool.
 * @param {{verdict: string, score: number}} result
 * @param {{suspicious: number, phishing: number}} thresholds
 * @returns {Level}
 */
export function effectiveLevel(result, thresholds) {
  const host = levelOf(result.verdict);
  const score = Number(result.score) || 0;
  let mine = "safe";
  if (score >= thresholds.phishing) mine = "phishing";
  else if (score >= thresholds.suspicious) mine = "suspicious";
  return LEVELS[mine].rank > LEVELS[host].rank ? /** @type {Level} */ (mine) : host;
}
