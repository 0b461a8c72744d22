// Options page: every control maps to one key of the normalised settings;
// each change is saved at once (no Save button to forget).

import { DEFAULTS, SERVICES, normalize, normalizeDomains, resolveLanguage } from "../modules/settings.js";
import { loadTranslator } from "../modules/i18n.js";
import { hostProblem } from "../modules/guidance.js";
import { el } from "../modules/dom.js";

const $ = id => /** @type {any} */ (document.getElementById(id));
let settings = normalize({});
let t = k => k;
let saves = 0;

const get = (obj, path) => path.split(".").reduce((o, k) => o?.[k], obj);
function set(obj, path, value) {
  const keys = path.split(".");
  const last = keys.pop();
  keys.reduce((o, k) => o[k], obj)[last] = value;
}

/** ids of simple controls → settings path (actions.* live under settings.actions) */
function controls() {
  const paths = ["language", "scanOnArrival", "network", "moveFolder",
    "keys.safebrowsing", "keys.urlhaus", "keys.spamhaus_dqs", "thresholds.suspicious", "thresholds.phishing"];
  for (const lvl of ["suspicious", "phishing"]) for (const k of ["tag", "junk", "notify", "move"]) paths.push(`${lvl}.${k}`);
  for (const s of SERVICES) paths.push(`services.${s.id}`);
  return paths.map(p => ({ id: p, path: /^(suspicious|phishing)\./.test(p) ? "actions." + p : p }));
}

async function translate() {
  const lang = resolveLanguage(settings.language, messenger.i18n.getUILanguage());
  document.documentElement.lang = lang;
  t = await loadTranslator(lang, p => messenger.runtime.getURL(p));
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  document.title = t("optTitle");
}

function buildServices() {
  $("services").replaceChildren(...SERVICES.map(s => el(document, "li", null,
    el(document, "label", null,
      el(document, "input", { type: "checkbox", id: `services.${s.id}` }),
      el(document, "span", { "data-i18n": `svc_${s.id}` })))));
}

async function buildFolders() {
  const select = $("moveFolder");
  const walk = (folders, depth) => {
    for (const f of folders || []) {
      select.append(el(document, "option", { value: f.id }, `${"  ".repeat(depth)}${f.name}`));
      walk(f.subFolders, depth + 1);
    }
  };
  for (const acc of await messenger.accounts.list(true)) {
    select.append(el(document, "option", { disabled: "disabled" }, acc.name));
    walk(acc.rootFolder?.subFolders, 1);
  }
}

function fill() {
  for (const c of controls()) {
    const node = $(c.id);
    const v = get(settings, c.path);
    if (node.type === "checkbox") node.checked = !!v;
    else node.value = String(v ?? "");
  }
  $("trustedDomains").value = settings.trustedDomains.join("\n");
  for (const s of SERVICES) $(`services.${s.id}`).disabled = !settings.network;
}

async function save() {
  const next = structuredClone(settings);
  for (const c of controls()) {
    const node = $(c.id);
    const def = get(DEFAULTS, c.path);
    set(next, c.path, node.type === "checkbox" ? node.checked : typeof def === "number" ? Number(node.value) : node.value);
  }
  next.trustedDomains = normalizeDomains($("trustedDomains").value);
  const langChanged = next.language !== settings.language;
  settings = normalize(next);
  await messenger.storage.local.set({ settings });
  if (langChanged) await translate();
  fill();
  $("saved").textContent = t("optSaved");
  document.body.dataset.saves = String(++saves);
}

async function testHost() {
  const out = $("test-result");
  out.className = "";
  out.textContent = "…";
  const reply = await messenger.runtime.sendMessage({ type: "ping" });
  if (!reply?.ok) {
    const p = hostProblem(reply?.error?.code, t);
    out.className = "bad";
    out.textContent = [p.title, p.text, p.command, reply?.error?.message].filter(Boolean).join("\n");
    return;
  }
  const r = reply.result || {};
  const dbs = Object.entries(r.databases || {}).map(([k, v]) => `  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
  out.textContent = [t("optTestOk", String(r.version ?? "?")), t("optTestConfig", String(r.config_path ?? "")),
    t("optTestDatabases"), ...dbs].join("\n");
}

async function main() {
  buildServices();
  const { settings: stored } = await messenger.storage.local.get("settings");
  settings = normalize(stored);
  await translate();
  await buildFolders().catch(() => {});
  fill();
  $("form").addEventListener("change", e => { if (e.target.id !== "import") save(); });
  $("test").addEventListener("click", testHost);
  $("import").addEventListener("change", async e => {
    const file = e.target.files?.[0];
    if (!file) return;
    const merged = normalizeDomains([...settings.trustedDomains, ...normalizeDomains(await file.text())]);
    $("trustedDomains").value = merged.join("\n");
    e.target.value = "";
    await save();
  });
  $("export").addEventListener("click", () => {
    const blob = new Blob([settings.trustedDomains.join("\n") + "\n"], { type: "text/plain" });
    const a = el(document, "a", { href: URL.createObjectURL(blob), download: "tsuribari-trusted-domains.txt" });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  });
  document.body.dataset.ready = "1";
}
main();
