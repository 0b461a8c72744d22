import test from "node:test";
import assert from "node:assert/strict";
import { defangUrl, defangHost, revealInvisible } from "../../extension/modules/defang.js";
import { defangMarkdown } from "../../extension/modules/report.js";

test("URLs lose their scheme and dots so nothing can auto-link them", () => {
  assert.equal(defangUrl("http://sgogoj.com/kagoya/activemail.kagoya?login=info@example-office.jp"),
    "hxxp://sgogoj[.]com/kagoya/activemail.kagoya?login=info@example-office.jp");
  assert.equal(defangUrl("HTTPS://user@evil.example.com:8443/x"), "hxxps://user[@]evil[.]example[.]com:8443/x");
  assert.equal(defangUrl("javascript:alert(1)"), "javascript:alert(1)", "no host part: shown as is, never a link anyway");
  assert.equal(defangUrl("hxxp://a[.]b"), "hxxp://a[.]b", "defanging twice changes nothing");
  assert.equal(defangHost("74.226.196.215"), "74[.]226[.]196[.]215");
});

test("bidi overrides and zero-width characters are shown, not obeyed", () => {
  assert.equal(revealInvisible("invoice\u202Efdp.exe"), "invoice<U+202E>fdp.exe");
  assert.equal(revealInvisible("pay\u200Bpal"), "pay<U+200B>pal");
  assert.equal(revealInvisible("普通の文字"), "普通の文字");
});

test("a pasted report never carries a live URL", () => {
  const md = defangMarkdown("see http://sgogoj.com/a and <https://x.y/z> and [t](ftp://f.g/h)");
  assert.doesNotMatch(md, /\b(?:https?|ftp):\/\//);
  assert.match(md, /hxxp:\/\/sgogoj\[\.\]com\/a/);
});

test("web addresses inside other schemes are defanged too", () => {
  assert.equal(defangUrl("javascript:fetch('http://127.0.0.1:8080/x')"), "javascript:fetch('hxxp://127[.]0[.]0[.]1:8080/x')");
  assert.equal(defangUrl("http://a.example/redirect?to=https://b.example/"), "hxxp://a[.]example/redirect?to=hxxps://b[.]example/");
});
