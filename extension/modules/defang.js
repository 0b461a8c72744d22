// Defanging: a URL from a mail must never become clickable or auto-linked
// when pasted into a chat, ticket or another mail client.

/**
 * @param {string} url
 * @returns {string} e.g. "hxxp://sgogoj[.]com/kagoya"
 */
export function defangUrl(url) {
  const s = String(url ?? "");
  const m = /^(https?|ftp):(\/\/)?([^/?#]*)(.*)$/is.exec(s);
  // Other schemes (javascript:, data:, mailto:) are shown as they are, but
  // any web address inside them is defanged too.
  if (!m) return /^[a-z][a-z0-9+.-]*:/i.test(s) ? defangText(s) : defangHost(s);
  const scheme = m[1].toLowerCase().replace(/^http/, "hxxp").replace(/^ftp/, "fxp");
  return `${scheme}:${m[2] ?? ""}${defangHost(m[3])}${defangText(m[4])}`;
}

const LIVE_URL = /\b(?:https?|ftp):\/\/[^\s)>\]"'`]+/gi;

/**
 * Defangs every web address found anywhere in a text.
 * @param {string} text
 * @returns {string}
 */
export function defangText(text) {
  return String(text ?? "").replace(LIVE_URL, u => defangUrl(u));
}

/**
 * Dots in the host part become "[.]"; "@" in user-info becomes "[@]".
 * @param {string} host
 * @returns {string}
 */
export function defangHost(host) {
  return String(host ?? "").replace(/\[\.\]/g, ".").replace(/\./g, "[.]").replace(/@/g, "[@]");
}

/**
 * Bidirectional-control and other invisible characters can make a shown
 * string read differently from what it is; make them visible instead.
 * @param {string} text
 * @returns {string}
 */
export function revealInvisible(text) {
  return String(text ?? "").replace(
    /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g,
    ch => `<U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}>`
  );
}
