// The stylize band worker under Node (worker_threads), for tests/node/stylize-bands.test.mjs
// and the bench: the same makeBand() as the browser's web/src/workers/stylize-band-worker.js,
// with the CommonJS core build. createNodeBandWorker() gives it the browser Worker's shape.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

import { loadHuabuCore } from '../wasm/huabu-core.js';
import { makeBand } from '../web/src/workers/stylize-bands.js';

const here = fileURLToPath(import.meta.url);

export function createNodeBandWorker() {
  const worker = new Worker(here);
  const shaped = {
    onmessage: null,
    onerror: null,
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    terminate: () => { worker.terminate(); },
  };
  worker.on('message', (data) => shaped.onmessage?.({ data }));
  worker.on('error', (err) => shaped.onerror?.({ message: err.message }));
  return shaped;
}

if (!isMainThread) {
  const require = createRequire(import.meta.url);
  const core = await loadHuabuCore(require(path.join(path.dirname(here), '../build/wasm/wasm/huabu_core.cjs')));
  parentPort.on('message', (request) => makeBand(core, request, (message, transfer) => parentPort.postMessage(message, transfer)));
}
