// The add-on's native host client against real processes (framed stdio).
import test from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { createHostClient, HostError, classifyDisconnect } from "../../extension/modules/native.js";
import { stdioPort } from "./helpers/stdio-port.mjs";

const ECHO = fileURLToPath(new URL("./helpers/echo_host.py", import.meta.url));
const echoClient = (opts = {}) => {
  const ports = [];
  const client = createHostClient({ connect: () => { const p = stdioPort("python3", [ECHO]); ports.push(p); return p; }, ...opts });
  return { client, ports };
};

test("replies are matched to requests by id, even out of order", async () => {
  const { client, ports } = echoClient();
  try {
    const slow = client.request({ type: "sleep", s: 0.4, tag: "slow" });
    const fast = client.request({ type: "echo", tag: "fast" });
    const order = [];
    await Promise.all([slow.then(r => order.push(r.echo.tag)), fast.then(r => order.push(r.echo.tag))]);
    assert.deepEqual(order, ["fast", "slow"]);
    assert.equal(ports.length, 1, "both requests went over one connection");
  } finally { client.close(); }
});

test("a host error reply becomes a HostError with the host's code", async () => {
  const { client } = echoClient();
  try {
    await assert.rejects(client.request({ type: "fail" }), e => e instanceof HostError && e.code === "bad_request");
  } finally { client.close(); }
});

test("a host that died is replaced by a fresh one on the next request", async () => {
  const { client, ports } = echoClient();
  try {
    const first = await client.request({ type: "echo" });
    // crash is retried once on a new host, which crashes too: then it is reported
    await assert.rejects(client.request({ type: "crash" }), e => e.code === "host_crashed");
    const after = await client.request({ type: "echo" });
    assert.notEqual(after.pid, first.pid);
    assert.equal(ports.length, 3);
    assert.equal(client.connections, 3);
  } finally { client.close(); }
});

test("requests pending when the host is killed are retried once on a fresh host", async () => {
  const { client, ports } = echoClient();
  try {
    const waiting = [1, 2, 3].map(i => client.request({ type: "sleep", s: 0.5, n: i }));
    setTimeout(() => ports[0].child.kill("SIGKILL"), 100);
    const results = await Promise.all(waiting);
    assert.deepEqual(results.map(r => r.echo.n), [1, 2, 3]);
    assert.ok(results.every(r => r.pid === ports[1].pid), "answered by the second host");
  } finally { client.close(); }
});

test("a missing host is reported as host_missing and not retried", async () => {
  let attempts = 0;
  const client = createHostClient({ connect: () => { attempts++; return stdioPort("/nonexistent/tsuribari-host"); } });
  await assert.rejects(client.request({ type: "ping" }), e => e.code === "host_missing");
  assert.equal(attempts, 1);
});

test("a host that stops answering times out and is restarted", async () => {
  // Long enough for a Python start-up on a loaded machine, short for a test.
  const { client, ports } = echoClient({ timeoutMs: 1500 });
  try {
    await assert.rejects(client.request({ type: "sleep", s: 10 }), e => e.code === "timeout");
    const r = await client.request({ type: "echo" });
    assert.equal(r.echo.type, "echo");
    assert.equal(ports.length, 2);
  } finally { client.close(); }
});

test("an idle connection is closed, so the host exits, and the next request reconnects", async () => {
  const { client, ports } = echoClient({ idleMs: 200 });
  try {
    await client.request({ type: "echo" });
    const exited = new Promise(resolve => ports[0].child.on("exit", resolve));
    await client.request({ type: "sleep", s: 0.3 }); // busy time does not count as idle
    assert.equal(client.connected, true);
    await exited;
    assert.equal(client.connected, false);
    const r = await client.request({ type: "echo" });
    assert.equal(r.pid, ports[1].pid);
  } finally { client.close(); }
});

test("Thunderbird's disconnect messages map to codes the panel explains", () => {
  assert.equal(classifyDisconnect("No such native application tsuribari"), "host_missing");
  assert.equal(classifyDisconnect("This extension does not have permission to use native application tsuribari"), "host_not_allowed");
  assert.equal(classifyDisconnect("File at path /x does not exist, or is not executable"), "host_not_executable");
  assert.equal(classifyDisconnect("Native application tried to send a message of 1048598 bytes, which exceeds the limit of 1048576 bytes."), "reply_too_large");
  assert.equal(classifyDisconnect("An unexpected error occurred"), "host_crashed");
});
