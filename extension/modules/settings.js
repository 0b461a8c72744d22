// User settings: defaults, normalisation, and the part of them the native
// host needs on every request (the host keeps no per-user state of its own
// for the add-on, so the options page is the single source of truth).

/** Network services the host can use, with what each one sends to whom. */
export const SERVICES = [
  { id: "dns", defaultOn: true, key: null },
  { id: "rdap", defaultOn: true, key: null },
  { id: "safebrowsing", defaultOn: false, key: "safebrowsing" },
  { id: "urlhaus", defaultOn: false, key: "urlhaus" },
  { id: "phishtank", defaultOn: false, key: null },
  { id: "openphish", defaultOn: false, key: null },
  { id: "dnsbl", defaultOn: false, key: "spamhaus_dqs" },
];

export const DEFAULTS = Object.freeze({
  language: "auto", // "auto" follows Thunderbird, or "ja" / "en"
  scanOnArrival: true,
  actions: {
    suspicious: { tag: true, junk: false, move: "none", notify: false },
    phishing: { tag: true, junk: true, move: "none", notify: true },
  },
  moveFolder: "", // MailFolderId used when move == "folder"
  network: true,
  services: Object.fromEntries(SERVICES.map(s => [s.id, s.defaultOn])),
  keys: { safebrowsing: "", urlhaus: "", spamhaus_dqs: "" },
  thresholds: { suspicious: 30, phishing: 70 },
  trustedDomains: [],
});

const isObj = v => v && typeof v === "object" && !Array.isArray(v);

/**
 * Deep-merges stored values over the defaults, dropping unknown keys and
 * wrong types, so old or hand-edited storage can never break the add-on.
 * @param {any} stored
 * @returns {typeof DEFAULTS}
 */
export function normalize(stored) {
  const merge = (def, val) => {
    if (isObj(def)) {
      const out = {};
      for (const k of Object.keys(def)) out[k] = merge(def[k], isObj(val) ? val[k] : undefined);
      return out;
    }
    if (Array.isArray(def)) return Array.isArray(val) ? val.slice() : def.slice();
    return typeof val === typeof def ? val : def;
  };
  const s = merge(DEFAULTS, stored);
  s.trustedDomains = normalizeDomains(s.trustedDomains);
  const t = s.thresholds;
  t.suspicious = clamp(t.suspicious, 0, 100);
  t.phishing = clamp(t.phishing, t.suspicious, 100);
  if (!["auto", "ja", "en"].includes(s.language)) s.language = "auto";
  for (const lvl of ["suspicious", "phishing"]) {
    if (!["none", "junk", "folder"].includes(s.actions[lvl].move)) s.actions[lvl].move = "none";
  }
  return s;
}

const clamp = (n, lo, hi) => Math.min(hi, Math.max(lo, Math.round(Number(n) || 0)));

/**
 * Accepts one domain a line (or comma separated), as pasted or imported.
 * @param {string[]|string} list
 * @returns {string[]}
 */
export function normalizeDomains(list) {
  const items = Array.isArray(list) ? list : String(list ?? "").split(/[\s,;]+/);
  const out = new Set();
  for (const raw of items) {
    const d = String(raw).trim().toLowerCase().replace(/^@/, "").replace(/\.$/, "");
    if (/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{2,63}$/.test(d) || /^xn--/.test(d)) out.add(d);
  }
  return [...out].sort();
}

/**
 * @param {"auto"|"ja"|"en"} setting
 * @param {string} uiLanguage Thunderbird's UI language, e.g. "ja" or "en-US"
 * @returns {"ja"|"en"}
 */
export function resolveLanguage(setting, uiLanguage) {
  if (setting === "ja" || setting === "en") return setting;
  return String(uiLanguage || "").toLowerCase().startsWith("ja") ? "ja" : "en";
}

/**
 * The `options` object of an analyze request. Keys beyond lang/offline/
 * markdown are listed in docs/addon.md so the host can honour them.
 * @param {ReturnType<typeof normalize>} s
 * @param {"ja"|"en"} lang
 */
export function hostOptions(s, lang) {
  const keys = Object.fromEntries(Object.entries(s.keys).filter(([, v]) => v));
  return {
    lang,
    offline: !s.network,
    markdown: true,
    network: Object.fromEntries(SERVICES.map(x => [x.id, s.network && !!s.services[x.id]])),
    keys,
    trusted_domains: s.trustedDomains,
    thresholds: { ...s.thresholds },
  };
}
