// The verdict panel as a user sees it (jsdom), including a hostile result.
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";
import { renderPanel, formatWeight } from "../../extension/modules/render.js";
import { reportMarkdown } from "../../extension/modules/report.js";
import { makeTranslator } from "../../extension/modules/i18n.js";
import { hostProblem } from "../../extension/modules/guidance.js";

const locale = l => JSON.parse(readFileSync(new URL(`../../extension/_locales/${l}/messages.json`, import.meta.url)));
const en = makeTranslator(locale("en"));
const ja = makeTranslator(locale("ja"), locale("en"));
const seed = () => JSON.parse(readFileSync(new URL("./fixtures/seed-result.json", import.meta.url)));

function render(result, lang = "en", level = result.verdict) {
  const { window } = new JSDOM("<!DOCTYPE html><body></body>", { runScripts: "outside-only" });
  const root = renderPanel(window.document, { result, level, lang, t: lang === "ja" ? ja : en });
  window.document.body.append(root);
  return { doc: window.document, window, root };
}

test("the seed's panel: level in words and score, findings by weight, origin hop marked, link defanged", () => {
  const { doc } = render(seed());
  const verdict = doc.getElementById("verdict");
  assert.equal(verdict.dataset.level, "phishing");
  assert.match(verdict.textContent, /Phishing/);
  assert.match(verdict.textContent, /92\/100/);
  const titles = [...doc.querySelectorAll(".finding .title")].map(n => n.textContent);
  assert.equal(titles[0], "Display name claims Kagoya, sending domain is unrelated");
  assert.equal(doc.querySelectorAll("details.finding").length, 4, "each finding expands to its evidence");
  const origin = doc.querySelector("#route tr.origin");
  assert.equal(origin.querySelector(".ip").textContent, "74.226.196.215");
  assert.match(origin.textContent, /origin/);
  assert.match(origin.textContent, /AS8075/);
  const dest = doc.querySelector("#links td.dest").textContent;
  assert.equal(dest, "hxxp://sgogoj[.]com/kagoya/activemail.kagoya?login=info@example-office.jp");
  assert.equal(doc.querySelectorAll("a").length, 0, "nothing in the panel is a link");
  assert.match(doc.querySelector("#links td.registrable").textContent, /sgogoj\[\.\]com/);
  assert.deepEqual([...doc.querySelectorAll("#links td.known li")].map(n => n.textContent),
    ["Login link goes to an unrelated domain"], "the reasons that name the link's domain");
});

test("weights show with at most one decimal", () => {
  assert.deepEqual([3.897, 2, 0.04, "x"].map(formatWeight), ["3.9", "2", "0", "0"]);
});

test("the panel in Japanese uses the host's Japanese texts", () => {
  const { doc } = render(seed(), "ja");
  assert.match(doc.getElementById("verdict").textContent, /フィッシング/);
  assert.equal(doc.getElementById("summary").textContent, "Kagoya を装ったフィッシングです。");
  assert.match(doc.querySelector("#route tr.origin").textContent, /送信元/);
});

test("hostile strings from the mail stay text: no element, no script, no handler", () => {
  const r = seed();
  const evil = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
  r.summary = { en: evil + " from \u202Egnp.exe, please", ja: evil };
  r.facts.sender.from.display = evil + "\u202Egnp.exe";
  r.findings[0].title.en = evil;
  r.findings[0].evidence = { display: evil, url: "javascript:window.pwned=3" };
  r.facts.links = [{ url: "javascript:window.pwned=4", text: evil, host: "", registrable: "" }];
  r.facts.hops[1].rdns = evil;
  const { doc, window } = render(r);
  assert.equal(doc.querySelectorAll("img, script, iframe, a, [onerror]").length, 0);
  assert.equal(window.pwned, undefined);
  assert.equal(doc.getElementById("summary").textContent, evil + " from <U+202E>gnp.exe, please");
  assert.doesNotMatch(doc.body.textContent, /[\u202A-\u202E\u2066-\u2069]/, "no bidi control reaches the page");
  assert.match(doc.querySelector(".sender .display").textContent, /<U\+202E>gnp\.exe$/);
  assert.equal(doc.querySelector("#links td.shown").textContent, evil);
});

test("Copy report: the host's Markdown, with any live URL defanged; a fallback without it", () => {
  const r = seed();
  r.markdown += "\nraw: http://sgogoj.com/x\n";
  const md = reportMarkdown(r, { lang: "en", t: en, level: "phishing" });
  assert.match(md, /^# Tsuribari: phishing/);
  assert.doesNotMatch(md, /https?:\/\//);
  delete r.markdown;
  const fallback = reportMarkdown(r, { lang: "ja", t: ja, level: "phishing" });
  assert.match(fallback, /フィッシング/);
  assert.match(fallback, /74\.226\.196\.215/);
  assert.match(fallback, /hxxp:\/\/sgogoj\[\.\]com/);
  assert.doesNotMatch(fallback, /https?:\/\//);
});

test("a missing host is explained with the exact install command, in both languages", () => {
  for (const t of [en, ja]) {
    const p = hostProblem("host_missing", t);
    assert.equal(p.command, "make install");
    assert.ok(p.title.length > 10 && !p.title.startsWith("host"));
  }
  assert.match(hostProblem("host_missing", en).title, /not installed/);
  assert.match(hostProblem("host_missing", ja).title, /インストールされていません/);
});

test("every message key exists in both languages", () => {
  assert.deepEqual(Object.keys(locale("ja")).sort(), Object.keys(locale("en")).sort());
});
