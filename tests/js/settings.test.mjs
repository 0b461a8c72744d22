import test from "node:test";
import assert from "node:assert/strict";
import { normalize, normalizeDomains, hostOptions, resolveLanguage, DEFAULTS } from "../../extension/modules/settings.js";
import { effectiveLevel } from "../../extension/modules/levels.js";

test("garbage in storage falls back to defaults, never throws", () => {
  const s = normalize({ language: "fr", scanOnArrival: "yes", thresholds: { suspicious: -5, phishing: 500 },
    actions: { phishing: { move: "trash" } }, keys: "nope", extra: 1 });
  assert.equal(s.language, "auto");
  assert.equal(s.scanOnArrival, true);
  assert.deepEqual(s.thresholds, { suspicious: 0, phishing: 100 });
  assert.equal(s.actions.phishing.move, "none");
  assert.deepEqual(s.keys, DEFAULTS.keys);
  assert.ok(!("extra" in s));
  assert.deepEqual(normalize(undefined), normalize({}));
});

test("trusted domains: one a line or comma separated, lower-cased, deduplicated, junk dropped", () => {
  assert.deepEqual(normalizeDomains("Example.co.jp\n@partner.com, example.co.jp\nnot a domain\n<script>\nxn--wgv71a.jp."),
    ["example.co.jp", "partner.com", "xn--wgv71a.jp"]);
});

test("offline turns every service off in the request; keys are sent only when set", () => {
  const on = hostOptions(normalize({ services: { safebrowsing: true }, keys: { safebrowsing: "K" } }), "ja");
  assert.equal(on.offline, false);
  assert.equal(on.network.safebrowsing, true);
  assert.equal(on.network.urlhaus, false);
  assert.deepEqual(on.keys, { safebrowsing: "K" });
  assert.equal(on.lang, "ja");
  assert.equal(on.markdown, true);
  const off = hostOptions(normalize({ network: false, services: { safebrowsing: true } }), "en");
  assert.equal(off.offline, true);
  assert.ok(Object.values(off.network).every(v => v === false));
});

test("language follows Thunderbird unless overridden", () => {
  assert.equal(resolveLanguage("auto", "ja"), "ja");
  assert.equal(resolveLanguage("auto", "en-US"), "en");
  assert.equal(resolveLanguage("en", "ja"), "en");
  assert.equal(resolveLanguage("ja", "de"), "ja");
});

test("user thresholds can raise the host's level but never lower it", () => {
  const th = { suspicious: 30, phishing: 70 };
  assert.equal(effectiveLevel({ verdict: "safe", score: 40 }, th), "suspicious");
  assert.equal(effectiveLevel({ verdict: "phishing", score: 10 }, th), "phishing");
  assert.equal(effectiveLevel({ verdict: "safe", score: 10 }, th), "safe");
  assert.equal(effectiveLevel({ verdict: "weird", score: 0 }, th), "suspicious", "unknown verdicts are not shown as safe");
});
