// A stylize band worker: makes rows [first, first + count) of a row-local style operation with
// its own core instance (protocol in stylize-bands.js).

import { loadCore } from './core-loader.js';
import { makeBand } from './stylize-bands.js';

let corePromise;

self.onmessage = async ({ data }) => {
  const post = (message, transfer) => self.postMessage(message, transfer ?? []);
  try {
    corePromise ??= loadCore();
    makeBand(await corePromise, data, post);
  } catch (err) { // the core did not load: the next request tries again
    corePromise = undefined;
    post({ error: { code: err?.code ?? 'internal', message: String(err?.message ?? err) } });
  }
};
