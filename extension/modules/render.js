// The verdict panel, built from the host's result. Used by the popup (and
// by node tests with jsdom). Every value from the mail goes in as text, and
// the host's own sentences too: they quote the mail, so a bidi override in a
// display name would otherwise reverse the rest of the paragraph.

import { el } from "./dom.js";
import { LEVELS } from "./levels.js";
import { defangUrl, defangHost, revealInvisible } from "./defang.js";
import { pick } from "./i18n.js";

/**
 * @param {Document} doc
 * @param {{result: any, level: "safe"|"suspicious"|"phishing", lang: "ja"|"en", t: Function, cached?: boolean}} v
 * @returns {HTMLElement}
 */
export function renderPanel(doc, { result, level, lang, t, cached = false }) {
  const r = result || {};
  const facts = r.facts || {};
  const root = el(doc, "div", { className: "panel", dataset: { level } });
  root.append(
    renderHeader(doc, level, r.score, t),
    el(doc, "p", { className: "summary", id: "summary" }, revealInvisible(pick(r.summary, lang))),
    renderSender(doc, facts.sender, t),
    section(doc, "findings", t("findingsHeading"), renderFindings(doc, r.findings || [], lang, t)),
    section(doc, "route", t("routeHeading"), renderRoute(doc, facts, t)),
    section(doc, "links", t("linksHeading"), renderLinks(doc, facts.links || [], r.findings || [], lang, t)),
    section(doc, "auth", t("authHeading"), renderAuth(doc, facts.auth || [], t)),
    section(doc, "lookups", t("lookupsHeading"), renderLookups(doc, r.lookups || [], t)),
    el(doc, "p", { className: "meta" },
      t(cached ? "metaCached" : "metaElapsed", String(Math.round(Number(r.elapsed_ms) || 0))))
  );
  return root;
}

function renderHeader(doc, level, score, t) {
  const word = t("level_" + level);
  return el(doc, "div", { className: "verdict", id: "verdict", dataset: { level }, role: "status" },
    el(doc, "span", { className: "badge", "aria-hidden": "true" }, LEVELS[level].badge),
    el(doc, "span", { className: "level" }, word),
    el(doc, "span", { className: "score" }, t("scoreLabel", String(Math.round(Number(score) || 0)))));
}

function renderSender(doc, sender, t) {
  const from = sender?.from;
  if (!from) return null;
  return el(doc, "p", { className: "sender" },
    el(doc, "span", { className: "label" }, t("fromLabel")), " ",
    el(doc, "span", { className: "display" }, revealInvisible(from.display || "")), " ",
    el(doc, "span", { className: "addr" }, "<" + revealInvisible(from.address || "") + ">"));
}

function section(doc, id, title, body) {
  return el(doc, "section", { id, className: "sec" }, el(doc, "h2", null, title), body);
}

function renderFindings(doc, findings, lang, t) {
  if (!findings.length) return el(doc, "p", { className: "empty" }, t("noFindings"));
  const list = el(doc, "ol", { className: "findings" });
  for (const f of findings) {
    const det = el(doc, "details", { className: "finding", dataset: { id: String(f.id ?? "") } },
      el(doc, "summary", null,
        el(doc, "span", { className: "weight" }, "+" + formatWeight(f.weight)), " ",
        el(doc, "span", { className: "title" }, revealInvisible(pick(f.title, lang)))),
      el(doc, "p", { className: "explanation" }, revealInvisible(pick(f.explanation, lang))),
      renderEvidence(doc, f.evidence, t),
      el(doc, "p", { className: "fid" }, String(f.id ?? "")));
    list.append(el(doc, "li", null, det));
  }
  return list;
}

/** One decimal is enough to compare findings; the host may send more. */
export function formatWeight(w) {
  const n = Math.round((Number(w) || 0) * 10) / 10;
  return String(n);
}

function renderEvidence(doc, evidence, t) {
  if (!evidence || typeof evidence !== "object" || !Object.keys(evidence).length) return null;
  const dl = el(doc, "dl", { className: "evidence", "aria-label": t("evidenceLabel") });
  for (const [k, v] of Object.entries(evidence)) {
    dl.append(el(doc, "dt", null, k), el(doc, "dd", null, evidenceText(v)));
  }
  return dl;
}

/** Evidence may quote URLs from the mail: those are defanged like the links table. */
export function evidenceText(v) {
  if (v == null) return "";
  if (typeof v === "string") return revealInvisible(/^[a-z][a-z0-9+.-]*:/i.test(v) ? defangUrl(v) : v);
  if (Array.isArray(v)) return v.map(evidenceText).join(", ");
  if (typeof v === "object") return Object.entries(v).map(([k, x]) => `${k}: ${evidenceText(x)}`).join("; ");
  return String(v);
}

function table(doc, cls, headers, rows) {
  return el(doc, "table", { className: cls },
    el(doc, "thead", null, el(doc, "tr", null, ...headers.map(h => el(doc, "th", { scope: "col" }, h)))),
    el(doc, "tbody", null, ...rows));
}

function renderRoute(doc, facts, t) {
  const hops = facts.hops || [];
  if (!hops.length) return el(doc, "p", { className: "empty" }, t("noHops"));
  const rows = hops.map(h => {
    const origin = h.index === facts.origin_index;
    const name = [h.rdns, h.helo && h.helo !== h.rdns ? `(HELO ${h.helo})` : ""].filter(Boolean).join(" ");
    const org = [h.org, h.asn ? `AS${String(h.asn).replace(/^AS/i, "")}` : "", h.hosting ? `[${h.hosting}]` : ""]
      .filter(Boolean).join(" ");
    const place = [h.country, h.city].filter(Boolean).join(" / ");
    return el(doc, "tr", { className: origin ? "origin" : h.internal ? "internal" : "", dataset: { index: String(h.index) } },
      el(doc, "td", null, String(h.index ?? ""), origin ? el(doc, "strong", { className: "origin-mark" }, " " + t("originMark")) : null),
      el(doc, "td", { className: "ip" }, String(h.ip ?? "")),
      el(doc, "td", null, revealInvisible(name)),
      el(doc, "td", null, revealInvisible(org)),
      el(doc, "td", null, place),
      el(doc, "td", null, h.delay_s == null ? "" : `${h.delay_s}s`));
  });
  return table(doc, "route", [t("colHop"), t("colIp"), t("colName"), t("colOrg"), t("colCountry"), t("colDelay")], rows);
}

/**
 * What the analysis found about a link's domain: the reasons whose evidence
 * names it (the host reports age, hosting and listings as findings), plus
 * any such fields on the link itself.
 */
export function knownAboutLink(link, findings, lang, t) {
  const domain = String(link.registrable || link.host || "").toLowerCase();
  const facts = [link.age_days != null ? t("ageDays", String(link.age_days)) : "", link.hosting || "",
    ...(Array.isArray(link.listings) ? link.listings.map(String) : [])];
  const reasons = domain
    ? findings.filter(f => JSON.stringify(f.evidence ?? {}).toLowerCase().includes(domain)).map(f => pick(f.title, lang))
    : [];
  return [...facts, ...reasons].filter(Boolean).map(revealInvisible);
}

function renderLinks(doc, links, findings, lang, t) {
  if (!links.length) return el(doc, "p", { className: "empty" }, t("noLinks"));
  const rows = links.map(l => {
    const known = knownAboutLink(l, findings, lang, t);
    const mismatch = l.text && l.host && !String(l.text).toLowerCase().includes(String(l.host).toLowerCase());
    return el(doc, "tr", { dataset: { registrable: String(l.registrable ?? "") } },
      el(doc, "td", { className: mismatch ? "shown mismatch" : "shown" },
        l.text ? revealInvisible(l.text) : el(doc, "span", { className: "plain" }, t("linkPlainText"))),
      el(doc, "td", { className: "dest" }, el(doc, "code", null, revealInvisible(defangUrl(l.url || "")))),
      el(doc, "td", { className: "registrable" }, defangHost(l.registrable || l.host || "")),
      el(doc, "td", { className: "known" }, known.length ? el(doc, "ul", null, ...known.map(k => el(doc, "li", null, k))) : ""));
  });
  return table(doc, "links", [t("colShown"), t("colDest"), t("colDomain"), t("colKnown")], rows);
}

function renderAuth(doc, auth, t) {
  if (!auth.length) return el(doc, "p", { className: "empty" }, t("noAuth"));
  const list = el(doc, "ul", { className: "auth" });
  for (const a of auth) {
    list.append(el(doc, "li", { dataset: { result: String(a.result ?? "") } },
      el(doc, "strong", null, String(a.method ?? "").toUpperCase()), " ",
      String(a.result ?? ""), a.domain ? ` (${a.domain})` : "",
      " — ", t(a.trusted ? "authTrusted" : "authUntrusted", String(a.source ?? ""))));
  }
  return list;
}

function renderLookups(doc, lookups, t) {
  if (!lookups.length) return el(doc, "p", { className: "empty" }, t("noLookups"));
  const rows = lookups.map(l => el(doc, "tr", { dataset: { status: String(l.status ?? "") } },
    el(doc, "td", null, String(l.kind ?? "")),
    el(doc, "td", null, revealInvisible(defangHost(String(l.target ?? "")))),
    el(doc, "td", null, String(l.status ?? "")),
    el(doc, "td", null, l.ms == null ? "" : `${Math.round(l.ms)} ms`)));
  return table(doc, "lookups", [t("colKind"), t("colTarget"), t("colStatus"), t("colTime")], rows);
}
