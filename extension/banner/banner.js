// Runs inside the displayed message. Shows one line for suspicious and
// phishing mail. The mail's own CSS cannot reach it (closed shadow root,
// inline !important on the host element), and the mail's scripts cannot
// read or fake it (closed root, no page-visible state).
"use strict";

(async () => {
  const v = await messenger.runtime.sendMessage({ type: "bannerVerdict" });
  if (!v || (v.level !== "suspicious" && v.level !== "phishing")) return;

  const host = document.createElement("tsuribari-banner");
  host.setAttribute("style", "all: initial !important; display: block !important; position: relative !important; z-index: 2147483647 !important;");
  const root = host.attachShadow({ mode: "closed" });

  const style = document.createElement("style");
  style.textContent = `
    .bar { display: flex; align-items: center; gap: 12px; padding: 8px 12px;
      font: 14px/1.4 system-ui, sans-serif; color: #fff; background: var(--c); }
    .icon { font-weight: 700; border: 2px solid #fff; border-radius: 4px; padding: 0 6px; }
    .text { flex: 1; overflow-wrap: anywhere; }
    button { font: inherit; font-weight: 600; color: #111; background: #fff;
      border: 0; border-radius: 4px; padding: 4px 12px; cursor: pointer; }
    button:focus-visible { outline: 3px solid #111; outline-offset: 1px; }`;
  const bar = document.createElement("div");
  bar.className = "bar";
  bar.setAttribute("role", "alert");
  bar.setAttribute("lang", v.lang);
  bar.style.setProperty("--c", v.color);
  const icon = document.createElement("span");
  icon.className = "icon";
  icon.textContent = v.level === "phishing" ? "!!" : "?!";
  const text = document.createElement("span");
  text.className = "text";
  text.textContent = v.text;
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = v.button;
  button.addEventListener("click", () => messenger.runtime.sendMessage({ type: "openPanel" }));
  bar.append(icon, text, button);
  root.append(style, bar);
  (document.body || document.documentElement).prepend(host);
})().catch(e => console.warn("[tsuribari] banner", String(e)));
