// Checks over the shipped add-on files: no HTML parsing of strings, nothing
// remote, a strict CSP, every referenced file present.
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const EXT = fileURLToPath(new URL("../../extension/", import.meta.url));
const files = dir => readdirSync(dir).flatMap(n => statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]);
const all = files(EXT);
const manifest = JSON.parse(readFileSync(join(EXT, "manifest.json"), "utf8"));

test("no script parses strings as HTML or code", () => {
  for (const f of all.filter(f => /\.(m?js|html)$/.test(f))) {
    const src = readFileSync(f, "utf8").replace(/\/\/.*$/gm, "");
    assert.doesNotMatch(src, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setTimeout\(\s*["'`]/, relative(EXT, f));
    assert.doesNotMatch(src, /\son[a-z]+\s*=\s*["']/i, `${relative(EXT, f)}: inline event handler`);
  }
});

test("nothing remote is referenced by the add-on's pages and styles", () => {
  for (const f of all.filter(f => /\.(html|css|svg)$/.test(f))) {
    const src = readFileSync(f, "utf8").replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, "");
    assert.doesNotMatch(src, /(?:src|href)\s*=\s*["']?(?:https?:)?\/\/|url\(\s*["']?(?:https?:)?\/\/|@import/i, relative(EXT, f));
  }
});

test("the manifest: MV3, Thunderbird 128+, our id, a strict CSP", () => {
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.browser_specific_settings.gecko.id, "tsuribari@tsuribari.dev");
  assert.equal(manifest.browser_specific_settings.gecko.strict_min_version, "128.0");
  const csp = manifest.content_security_policy.extension_pages;
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-|https?:|\*/);
  for (const p of ["messagesRead", "messagesUpdate", "messagesTags", "messagesTagsList", "messagesMove", "scripting", "nativeMessaging"]) {
    assert.ok(manifest.permissions.includes(p), p);
  }
});

test("every file the manifest and pages name exists", () => {
  const named = [manifest.background.page, manifest.message_display_action.default_popup, manifest.options_ui.page,
    manifest.message_display_action.default_icon, ...Object.values(manifest.icons),
    ...manifest.message_display_action.theme_icons.flatMap(i => [i.light, i.dark]), "banner/banner.js"];
  for (const f of all.filter(f => f.endsWith(".html"))) {
    for (const m of readFileSync(f, "utf8").matchAll(/(?:src|href)="([^"]+)"/g)) named.push(relative(EXT, join(f, "..", m[1])));
  }
  for (const n of named) assert.ok(existsSync(join(EXT, n)), n);
});
