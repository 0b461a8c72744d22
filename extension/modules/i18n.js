// Thunderbird's i18n API always follows the UI language; the options page
// lets the user pick ja/en regardless, so messages are looked up here from
// the same _locales files.

/**
 * @param {Record<string, {message: string}>} messages a _locales/xx/messages.json
 * @param {Record<string, {message: string}>} [fallback] the English file
 * @returns {(key: string, ...subs: Array<string|number>) => string}
 */
export function makeTranslator(messages, fallback = {}) {
  return (key, ...subs) => {
    const entry = messages[key] ?? fallback[key];
    if (!entry) return key;
    return entry.message.replace(/\$(\d)/g, (_, n) => String(subs[Number(n) - 1] ?? ""));
  };
}

/**
 * Loads the translator for a language inside the add-on.
 * @param {"ja"|"en"} lang
 * @param {(path: string) => string} getURL runtime.getURL
 */
export async function loadTranslator(lang, getURL) {
  const load = async l => (await fetch(getURL(`_locales/${l}/messages.json`))).json();
  const en = await load("en");
  return makeTranslator(lang === "en" ? en : await load(lang), en);
}

/**
 * Picks the user's language from a {ja, en} pair coming from the host.
 * @param {{ja?: string, en?: string}|string|undefined} pair
 * @param {"ja"|"en"} lang
 */
export function pick(pair, lang) {
  if (pair == null) return "";
  if (typeof pair === "string") return pair;
  return pair[lang] ?? pair.en ?? pair.ja ?? "";
}
