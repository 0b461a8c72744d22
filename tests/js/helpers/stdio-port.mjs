// A runtime.Port over a real child process, framed like Thunderbird's native
// messaging (4-byte native-endian length + UTF-8 JSON), so the add-on's host
// client can be tested in node against real host processes.
import { spawn } from "node:child_process";
import { endianness } from "node:os";

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {{name?: string}} [opts]
 */
export function stdioPort(cmd, args = [], { name = "tsuribari" } = {}) {
  const msgListeners = [];
  const discListeners = [];
  const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "inherit"] });
  const le = endianness() === "LE";
  let buf = Buffer.alloc(0);
  let closed = false;
  const port = {
    name,
    error: null,
    pid: child.pid,
    child,
    onMessage: { addListener: fn => msgListeners.push(fn) },
    onDisconnect: { addListener: fn => discListeners.push(fn) },
    postMessage(msg) {
      if (closed) throw new Error("Attempt to postMessage on disconnected port");
      const body = Buffer.from(JSON.stringify(msg), "utf8");
      const head = Buffer.alloc(4);
      le ? head.writeUInt32LE(body.length) : head.writeUInt32BE(body.length);
      child.stdin.write(Buffer.concat([head, body]));
    },
    disconnect() {
      closed = true;
      child.stdin.end();
      setTimeout(() => child.kill("SIGTERM"), 3000).unref();
    },
  };
  child.stdin.on("error", () => {});
  child.stdout.on("data", chunk => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 4) {
      const len = le ? buf.readUInt32LE(0) : buf.readUInt32BE(0);
      if (buf.length < 4 + len) break;
      const msg = JSON.parse(buf.subarray(4, 4 + len).toString("utf8"));
      buf = buf.subarray(4 + len);
      msgListeners.forEach(fn => fn(msg));
    }
  });
  const finish = message => {
    if (closed && port.error === null && message === undefined) return;
    closed = true;
    port.error = message ? { message } : null;
    discListeners.forEach(fn => fn(port));
    discListeners.length = 0;
  };
  // Thunderbird's wording for a host it cannot start, which the client classifies.
  child.on("error", e => finish(e.code === "ENOENT" ? `No such native application ${name}` : String(e)));
  child.on("exit", () => finish(closed ? undefined : "An unexpected error occurred"));
  return port;
}
