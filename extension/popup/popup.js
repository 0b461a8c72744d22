// The Analyze popup: asks the background (which outlives the popup) to
// analyse the displayed message, then renders the verdict panel.

import { renderPanel } from "../modules/render.js";
import { reportMarkdown } from "../modules/report.js";
import { hostProblem } from "../modules/guidance.js";
import { el } from "../modules/dom.js";
import { loadTranslator } from "../modules/i18n.js";
import { normalize, resolveLanguage } from "../modules/settings.js";

const $ = id => /** @type {HTMLElement} */ (document.getElementById(id));

async function context() {
  const { settings } = await messenger.storage.local.get("settings");
  const lang = resolveLanguage(normalize(settings).language, messenger.i18n.getUILanguage());
  return { lang, t: await loadTranslator(lang, p => messenger.runtime.getURL(p)) };
}

/** The popup opened from the banner's fallback window names its mail tab. */
async function targetTabId() {
  const fromUrl = new URLSearchParams(location.search).get("tab");
  if (fromUrl) return Number(fromUrl);
  const [tab] = await messenger.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

function showProgress(t) {
  document.body.dataset.state = "loading";
  $("state").replaceChildren(el(document, "div", { className: "progress" },
    el(document, "span", { className: "spinner", "aria-hidden": "true" }), t("progress")));
}

function showError(error, t) {
  document.body.dataset.state = "error";
  document.body.dataset.error = error.code;
  if (error.code === "no_message") {
    $("state").replaceChildren(el(document, "p", { className: "hint" }, error.message));
    return;
  }
  // Retrying is the next step after installing the host.
  $("tools").hidden = false;
  $("copy").hidden = true;
  const p = hostProblem(error.code, t);
  $("state").replaceChildren(el(document, "div", { className: "problem", id: "problem" },
    el(document, "h1", null, p.title),
    el(document, "p", null, p.text),
    p.command ? el(document, "pre", { className: "command", id: "install-command" }, p.command) : null,
    el(document, "p", { className: "detail" }, `${error.code}: ${error.message}`)));
}

let runs = 0;

async function run(force) {
  document.body.dataset.runs = String(++runs);
  document.body.dataset.state = "loading";
  const { lang, t } = await context();
  document.documentElement.lang = lang;
  $("copy").textContent = t("copyReport");
  $("again").textContent = t("reanalyze");
  showProgress(t);
  $("tools").hidden = true;
  $("panel-root").replaceChildren();
  delete document.body.dataset.error;
  const reply = await messenger.runtime.sendMessage({ type: "analyzeDisplayed", tabId: await targetTabId(), force });
  if (!reply?.ok) return showError(reply?.error ?? { code: "analysis_failed", message: "no reply" }, t);
  $("state").replaceChildren();
  $("panel-root").replaceChildren(renderPanel(document, { result: reply.result, level: reply.level, lang, t, cached: reply.cached }));
  $("tools").hidden = false;
  $("copy").hidden = false;
  $("copy").onclick = async () => {
    await navigator.clipboard.writeText(reportMarkdown(reply.result, { lang, t, level: reply.level }));
    $("copied").textContent = t("copied");
  };
  document.body.dataset.state = "done";
  document.body.dataset.level = reply.level;
}

$("again").addEventListener("click", () => run(true));
run(false).catch(e => showError({ code: "analysis_failed", message: String(e?.message ?? e) }, s => s));
