import test from "node:test";
import assert from "node:assert/strict";
import { planActions, runActions, ensureTags, TAGS } from "../../extension/modules/actions.js";
import { normalize } from "../../extension/modules/settings.js";

test("defaults: phishing is tagged, marked junk and notified; suspicious only tagged; safe untouched", () => {
  const s = normalize({});
  assert.deepEqual(planActions("phishing", s), [{ kind: "tag", key: "tsuribari_phishing" }, { kind: "junk" }, { kind: "notify" }]);
  assert.deepEqual(planActions("suspicious", s), [{ kind: "tag", key: "tsuribari_suspicious" }]);
  assert.deepEqual(planActions("safe", s), []);
});

test("move to Junk or a chosen folder comes last; a trusted sender gets nothing", () => {
  const s = normalize({ actions: { phishing: { tag: true, junk: false, move: "junk", notify: false },
    suspicious: { tag: false, junk: false, move: "folder", notify: false } }, moveFolder: "account1://Quarantine" });
  assert.deepEqual(planActions("phishing", s), [{ kind: "tag", key: "tsuribari_phishing" }, { kind: "move", target: "junk" }]);
  assert.deepEqual(planActions("suspicious", s), [{ kind: "move", target: "folder", folderId: "account1://Quarantine" }]);
  assert.deepEqual(planActions("phishing", s, { trusted: true }), []);
  const noFolder = normalize({ ...s, moveFolder: "" });
  assert.deepEqual(planActions("suspicious", noFolder), [], "move to folder without a folder does nothing");
});

/** Records what the add-on asks Thunderbird to do (Thunderbird itself runs in the e2e tests). */
function recorder({ tags = ["$label1"], folders = [{ id: "account2://Junk", specialUse: ["junk"] }] } = {}) {
  const calls = [];
  const tagList = [];
  return {
    calls, tagList,
    messages: {
      get: async id => ({ id, tags, folder: { accountId: "account2" } }),
      update: async (id, props) => calls.push(["update", id, props]),
      move: async (ids, folder) => calls.push(["move", ids, folder]),
      tags: {
        list: async () => tagList.slice(),
        create: async (key, tag, color) => { tagList.push({ key, tag, color }); calls.push(["create", key, tag]); },
        update: async (key, p) => { Object.assign(tagList.find(x => x.key === key), p); calls.push(["tagupdate", key, p.tag]); },
      },
    },
    folders: { query: async q => folders.filter(f => !q.specialUse || f.specialUse?.includes(q.specialUse[0])) },
  };
}

test("tagging keeps the user's own tags; moving finds the account's Junk folder", async () => {
  const m = recorder();
  let notified = 0;
  const steps = planActions("phishing", normalize({ actions: { phishing: { tag: true, junk: true, move: "junk", notify: true } } }));
  const done = await runActions(m, 42, steps, { notify: async () => { notified++; } });
  assert.deepEqual(m.calls, [
    ["update", 42, { tags: ["$label1", "tsuribari_phishing"] }],
    ["update", 42, { junk: true }],
    ["move", [42], "account2://Junk"],
  ]);
  assert.equal(notified, 1);
  assert.deepEqual(done, ["tag:tsuribari_phishing", "junk", "notify", "move:junk"]);
});

test("without a Junk folder the move is skipped, not an error", async () => {
  const m = recorder({ folders: [] });
  const done = await runActions(m, 1, [{ kind: "move", target: "junk" }], { notify: async () => {} });
  assert.deepEqual(m.calls, []);
  assert.deepEqual(done, ["move:junk:skipped(no junk folder)"]);
});

test("a failing step is reported and the following steps still run", async () => {
  const m = recorder();
  const done = await runActions(m, 5, [{ kind: "notify" }, { kind: "tag", key: "tsuribari_phishing" }],
    { notify: async () => { throw new Error("alerts service unavailable"); } });
  assert.deepEqual(done, ["notify:failed(alerts service unavailable)", "tag:tsuribari_phishing"]);
  assert.deepEqual(m.calls, [["update", 5, { tags: ["$label1", "tsuribari_phishing"] }]]);
});

test("tags are created once, labelled in the user's language, and relabelled when it changes", async () => {
  const m = recorder();
  const ja = { tagPhishing: "フィッシング (釣り針)", tagSuspicious: "要注意 (釣り針)" };
  const en = { tagPhishing: "Phishing (Tsuribari)", tagSuspicious: "Suspicious (Tsuribari)" };
  await ensureTags(m, k => ja[k]);
  await ensureTags(m, k => ja[k]);
  assert.equal(m.calls.filter(c => c[0] === "create").length, 2);
  assert.equal(m.tagList.find(t => t.key === TAGS.phishing.key).tag, "フィッシング (釣り針)");
  await ensureTags(m, k => en[k]);
  assert.equal(m.tagList.find(t => t.key === TAGS.phishing.key).tag, "Phishing (Tsuribari)");
});
