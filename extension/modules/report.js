// "Copy report": the host's Markdown when it sent one (it is written for
// analysts and already defanged); otherwise a short one built here, also
// defanged, so a pasted report never carries a live link.

import { defangUrl, defangHost, defangText, revealInvisible } from "./defang.js";
import { pick } from "./i18n.js";

/**
 * Last line of defence: whatever the source, no clickable URL survives.
 * @param {string} md
 */
export function defangMarkdown(md) {
  return defangText(md);
}

/**
 * @param {any} result host result
 * @param {{lang: "ja"|"en", t: Function, level: string}} ctx
 * @returns {string}
 */
export function reportMarkdown(result, { lang, t, level }) {
  if (typeof result?.markdown === "string" && result.markdown.trim()) return defangMarkdown(result.markdown);
  const r = result || {};
  const f = r.facts || {};
  const esc = s => revealInvisible(String(s ?? "")).replace(/([\\`*_[\]<>|])/g, "\\$1");
  const lines = [
    `# Tsuribari: ${t("level_" + level)} (${t("scoreLabel", String(r.score ?? 0))})`,
    "",
    esc(pick(r.summary, lang)),
    "",
  ];
  const from = f.sender?.from;
  if (from) lines.push(`- ${t("fromLabel")} ${esc(from.display)} \\<${esc(defangHost(from.address))}\\>`, "");
  lines.push(`## ${t("findingsHeading")}`, "");
  for (const x of r.findings || []) lines.push(`- **${esc(pick(x.title, lang))}** (+${Number(x.weight) || 0}, \`${esc(x.id)}\`): ${esc(pick(x.explanation, lang))}`);
  const origin = (f.hops || []).find(h => h.index === f.origin_index);
  if (origin) lines.push("", `## ${t("routeHeading")}`, "", `- ${t("originMark")}: ${esc(origin.ip)} ${esc(origin.rdns || origin.helo || "")}`);
  if ((f.links || []).length) {
    lines.push("", `## ${t("linksHeading")}`, "");
    for (const l of f.links) lines.push(`- \`${defangUrl(l.url)}\` (${esc(defangHost(l.registrable || l.host))})`);
  }
  return defangMarkdown(lines.join("\n") + "\n");
}
