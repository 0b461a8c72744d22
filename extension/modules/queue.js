// A small work queue: scan on arrival may get hundreds of messages at once,
// and each one costs a host round trip; running them one or two at a time
// keeps Thunderbird responsive and the host's memory flat.

/**
 * @template T
 * @param {{concurrency?: number, worker: (item: T) => Promise<unknown>, key?: (item: T) => string, onError?: (item: T, err: unknown) => void}} opts
 */
export function createQueue({ concurrency = 2, worker, key = String, onError = () => {} }) {
  /** @type {T[]} */
  const waiting = [];
  /** keys queued or running, so one message arriving twice is analysed once */
  const known = new Set();
  let running = 0;
  /** @type {Array<() => void>} */
  let idleWaiters = [];

  function pump() {
    while (running < concurrency && waiting.length) {
      const item = /** @type {T} */ (waiting.shift());
      running++;
      Promise.resolve()
        .then(() => worker(item))
        .catch(err => onError(item, err))
        .finally(() => {
          running--;
          known.delete(key(item));
          pump();
        });
    }
    if (!running && !waiting.length) {
      const w = idleWaiters;
      idleWaiters = [];
      w.forEach(fn => fn());
    }
  }

  return {
    /** @param {T} item @returns {boolean} false when already queued */
    push(item) {
      const k = key(item);
      if (known.has(k)) return false;
      known.add(k);
      waiting.push(item);
      queueMicrotask(pump);
      return true;
    },
    /** @returns {Promise<void>} resolves when nothing is queued or running */
    idle() {
      if (!running && !waiting.length) return Promise.resolve();
      return new Promise(resolve => idleWaiters.push(resolve));
    },
    get size() {
      return waiting.length + running;
    },
    get running() {
      return running;
    },
  };
}
