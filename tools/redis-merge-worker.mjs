// Merges Yjs updates on a worker thread, for Redis compaction (tools/redis-rooms.mjs).
// Merging a room that holds megabytes of pictures takes 100–200 ms; on the main thread every
// room of the instance would wait that long (measured: the bench's p99 tripled).

import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import * as Y from 'yjs';

if (!isMainThread) {
  parentPort.on('message', ({ id, updates }) => {
    try {
      const merged = Y.mergeUpdates(updates);
      parentPort.postMessage({ id, merged }, [merged.buffer]);
    } catch (err) {
      parentPort.postMessage({ id, error: err.message });
    }
  });
}

/** One worker, started on first use: {merge(updates) -> Promise<Uint8Array>, close()}. */
export function createMerger() {
  let worker = null;
  let next = 0;
  const waiting = new Map(); // id -> {resolve, reject}

  function start() {
    worker = new Worker(new URL(import.meta.url));
    worker.unref(); // an idle merger does not keep the process alive
    worker.on('message', ({ id, merged, error }) => {
      const { resolve, reject } = waiting.get(id);
      waiting.delete(id);
      if (error) reject(new Error(error));
      else resolve(merged);
    });
    worker.on('error', (err) => {
      for (const { reject } of waiting.values()) reject(err);
      waiting.clear();
      worker = null;
    });
  }

  return {
    merge(updates) {
      if (!worker) start();
      const id = next++;
      // Own copies, transferred: the updates may be views into one large reply buffer.
      const copies = updates.map((u) => Uint8Array.from(u));
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, updates: copies }, copies.map((c) => c.buffer));
      });
    },
    close() {
      worker?.terminate();
      worker = null;
    },
  };
}
