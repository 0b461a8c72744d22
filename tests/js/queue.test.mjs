import test from "node:test";
import assert from "node:assert/strict";
import { createQueue } from "../../extension/modules/queue.js";

const sleep = ms => new Promise(r => setTimeout(r, ms));

test("hundreds of messages at once: never more than two run, all are done", async () => {
  let running = 0, peak = 0;
  const done = [];
  const q = createQueue({
    concurrency: 2,
    key: m => String(m.id),
    worker: async m => { running++; peak = Math.max(peak, running); await sleep(1); done.push(m.id); running--; },
  });
  for (let i = 0; i < 500; i++) q.push({ id: i });
  await q.idle();
  assert.equal(peak, 2);
  assert.equal(done.length, 500);
  assert.deepEqual([...done].sort((a, b) => a - b), [...Array(500).keys()]);
});

test("a message reported twice while queued is analysed once", async () => {
  const seen = [];
  const q = createQueue({ worker: async m => { seen.push(m.id); await sleep(5); }, key: m => String(m.id) });
  assert.equal(q.push({ id: 7 }), true);
  assert.equal(q.push({ id: 7 }), false);
  await q.idle();
  assert.deepEqual(seen, [7]);
  assert.equal(q.push({ id: 7 }), true, "after it finished it may be queued again");
  await q.idle();
});

test("a failing message does not stop the queue", async () => {
  const errors = [], ok = [];
  const q = createQueue({
    concurrency: 1, key: m => String(m),
    worker: async m => { if (m % 3 === 0) throw new Error("boom " + m); ok.push(m); },
    onError: (m, e) => errors.push(e.message),
  });
  for (let i = 1; i <= 9; i++) q.push(i);
  await q.idle();
  assert.deepEqual(ok, [1, 2, 4, 5, 7, 8]);
  assert.deepEqual(errors, ["boom 3", "boom 6", "boom 9"]);
  assert.equal(q.size, 0);
});
