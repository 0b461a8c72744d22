// One long-lived connection to the native host, shared by the Analyze button
// and scan on arrival. Requests carry ids so replies can come back in any
// order; if the host dies, pending requests fail with a clear code and the
// next request starts a fresh host.

/**
 * @typedef {{postMessage(msg: any): void, disconnect(): void,
 *   onMessage: {addListener(fn: (msg: any) => void): void},
 *   onDisconnect: {addListener(fn: (port: any) => void): void},
 *   error?: {message: string} | null}} PortLike
 */

export class HostError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = "HostError";
    this.code = code;
  }
}

/**
 * Thunderbird only reports why a native port closed as an English sentence;
 * map it to codes the panel can explain.
 * @param {string} message
 * @returns {string}
 */
export function classifyDisconnect(message) {
  const m = String(message || "");
  if (/No such native application/i.test(m)) return "host_missing";
  if (/does not have permission/i.test(m)) return "host_not_allowed";
  if (/does not exist, or is not executable/i.test(m)) return "host_not_executable";
  if (/exceeds the limit/i.test(m)) return "reply_too_large";
  return "host_crashed";
}

/**
 * idleMs: an open native port keeps Thunderbird's event page (and the host
 * process with its databases) alive; after this long without requests the
 * port is closed so both can go to sleep. The next request reconnects.
 * @param {{connect: () => PortLike, timeoutMs?: number, idleMs?: number, log?: (...a: any[]) => void}} opts
 */
export function createHostClient({ connect, timeoutMs = 60000, idleMs = 60000, log = () => {} }) {
  /** @type {PortLike|null} */
  let port = null;
  let nextId = 1;
  let connections = 0;
  let idleTimer = null;

  function armIdle() {
    clearTimeout(idleTimer);
    if (pending.size || !port) return;
    idleTimer = setTimeout(() => {
      if (pending.size || !port) return;
      const p = port;
      port = null;
      log("closing idle host connection");
      try { p.disconnect(); } catch {}
    }, idleMs);
  }
  /** @type {Map<number, {resolve: Function, reject: Function, timer: any}>} */
  const pending = new Map();

  function failAll(err) {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.reject(err);
    }
  }

  function ensurePort() {
    if (port) return port;
    const p = connect();
    connections++;
    p.onMessage.addListener(msg => {
      const entry = pending.get(msg?.id);
      if (!entry) return log("reply for unknown id", msg?.id);
      pending.delete(msg.id);
      clearTimeout(entry.timer);
      if (msg.ok) entry.resolve(msg.result);
      else entry.reject(new HostError(msg.error?.code || "host_error", msg.error?.message || "host error"));
      armIdle();
    });
    p.onDisconnect.addListener(closed => {
      if (port === p) port = null;
      const why = closed?.error?.message || p.error?.message || "native host exited";
      log("host disconnected:", why);
      failAll(new HostError(classifyDisconnect(why), why));
    });
    port = p;
    return p;
  }

  /**
   * @param {Record<string, any>} body request without id
   * @returns {Promise<any>} the reply's `result`
   */
  function send(body) {
    const id = nextId++;
    clearTimeout(idleTimer);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new HostError("timeout", `no reply from the host in ${timeoutMs} ms`));
        // A host that stopped answering is restarted on the next request.
        const stuck = port;
        port = null;
        try { stuck?.disconnect(); } catch {}
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
      try {
        ensurePort().postMessage({ ...body, id });
      } catch (e) {
        pending.delete(id);
        clearTimeout(timer);
        port = null;
        reject(new HostError(classifyDisconnect(String(e?.message ?? e)), String(e?.message ?? e)));
      }
    });
  }

  return {
    /**
     * A crash mid-request is retried once on a fresh host; a missing or
     * refused host is not, since retrying cannot fix the installation.
     * @param {Record<string, any>} body
     */
    async request(body) {
      try {
        return await send(body);
      } catch (e) {
        if (e instanceof HostError && e.code === "host_crashed") return send(body);
        throw e;
      }
    },
    close() {
      clearTimeout(idleTimer);
      const p = port;
      port = null;
      failAll(new HostError("closed", "client closed"));
      try { p?.disconnect(); } catch {}
    },
    get connections() {
      return connections;
    },
    get connected() {
      return port !== null;
    },
  };
}
