import test from "node:test";
import assert from "node:assert/strict";
import { createVerdictStore, STORE_KEY } from "../../extension/modules/store.js";

/** storage.local's contract: get(key) → {key: value}, set(obj) merges; values are copies. */
function memoryArea() {
  const data = {};
  return {
    data,
    async get(k) { return k in data ? { [k]: structuredClone(data[k]) } : {}; },
    async set(o) { for (const [k, v] of Object.entries(o)) data[k] = structuredClone(v); },
  };
}

test("a stored verdict is found again by Message-ID", async () => {
  const s = createVerdictStore(memoryArea());
  await s.put("<a@x>", { level: "phishing", score: 90, verdict: "phishing", at: 1, result: { score: 90 } });
  const got = await s.get("<a@x>");
  assert.equal(got.level, "phishing");
  assert.equal(got.result.score, 90);
  assert.equal(await s.get("<b@x>"), null);
  assert.equal(await s.get("constructor"), null, "no prototype keys leak through");
});

test("the store is bounded: the oldest entries go, full results only for recent ones", async () => {
  const area = memoryArea();
  const s = createVerdictStore(area, { limit: 100, keepFullResults: 10 });
  for (let i = 0; i < 250; i++) s.put(`<m${i}@x>`, { level: "safe", score: 0, verdict: "safe", at: i, result: { big: "x".repeat(100) } });
  await s.put("<last@x>", { level: "suspicious", score: 40, verdict: "suspicious", at: 1000, result: {} });
  const all = area.data[STORE_KEY];
  assert.equal(Object.keys(all).length, 100);
  assert.equal(await s.get("<m0@x>"), null);
  assert.ok(await s.get("<m249@x>"));
  assert.equal(Object.values(all).filter(e => e.result).length, 10);
  assert.ok((await s.get("<last@x>")).result, "the newest keeps its full result");
  assert.ok(!(await s.get("<m160@x>")).result, "older ones keep only level and summary");
  assert.equal((await s.get("<m160@x>")).level, "safe");
});

test("verdicts finishing at the same time are all kept", async () => {
  const s = createVerdictStore(memoryArea());
  await Promise.all(Array.from({ length: 30 }, (_, i) =>
    s.put(`<p${i}@x>`, { level: "safe", score: 0, verdict: "safe", at: i })));
  assert.equal(await s.count(), 30);
  await s.forget("<p3@x>");
  assert.equal(await s.get("<p3@x>"), null);
});

test("a read right after an un-awaited write sees the new verdict", async () => {
  const s = createVerdictStore(memoryArea());
  s.put("<m@x>", { level: "phishing", at: 1 });   // the panel does not wait for this write
  const got = await s.get("<m@x>");
  assert.equal(got?.level, "phishing");
});
