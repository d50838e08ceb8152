// Runs a row-local style operation (core.styleOps()[i].rowLocal) on several cores at once: the
// image goes to up to `size` band workers, each with its own wasm instance (no
// SharedArrayBuffer, so no cross-origin isolation needed), and each makes one band of rows
// (core.stylize(..., {first, count})). Stitched, the bands are byte-identical to the
// single-threaded result, which the core's tests and tests/node/stylize-bands.test.mjs check.
//
// Protocol: the pool posts {image, op, params, rows}; a worker answers {progress} messages,
// then {result: {width, height, data}} or {error: {code, message}}.

import { InferenceError } from '../ml/inference-error.js';

/**
 * A band worker's side: makes `rows` of the request with `core` (the wrapped core API) and
 * posts progress, then the result or the error. Shared by stylize-band-worker.js and the
 * Node worker of the tests and the bench (tools/stylize-band-node-worker.mjs).
 */
export function makeBand(core, { image, op, params, rows }, post) {
  try {
    const result = core.stylize(image, op, params, (fraction) => {
      post({ progress: fraction });
      return true;
    }, rows);
    const data = result.data.slice().buffer;
    post({ result: { width: result.width, height: result.height, data } }, [data]);
  } catch (err) {
    post({ error: { code: err?.code ?? 'internal', message: String(err?.message ?? err) } });
  }
}

/** `height` rows in `parts` bands as even as possible, top to bottom; no empty band. */
export function splitRows(height, parts) {
  const n = Math.max(1, Math.min(parts, height));
  const bands = [];
  for (let i = 0, first = 0; i < n; i++) {
    const count = Math.floor((height * (i + 1)) / n) - first;
    bands.push({ first, count });
    first += count;
  }
  return bands;
}

export class StylizeBands {
  #createWorker;
  #size;
  #idleMs;
  #workers = [];
  #idleTimer = null;
  #tail = Promise.resolve(); // runs share the workers, so they go one after another

  /**
   * @param {object} args
   * @param {() => Worker} args.createWorker  a band worker (stylize-band-worker.js); Node's
   *   worker_threads wrapped to the same onmessage/postMessage/terminate shape also works
   * @param {number} args.size  bands per image (worker count)
   * @param {number} [args.idleMs]  workers are ended after this long unused (their wasm heaps
   *   keep the size of the largest image they made)
   */
  constructor({ createWorker, size, idleMs = 30000 }) {
    this.#createWorker = createWorker;
    this.#size = size;
    this.#idleMs = idleMs;
  }

  get size() { return this.#size; }

  /**
   * The whole styled image. onProgress(fraction of all rows); an aborted `signal` ends the
   * workers (they cannot be interrupted otherwise) and rejects with code 'cancelled'. Runs
   * queue: one image at a time owns the workers.
   */
  run(image, op, params, options = {}) {
    const job = this.#tail.then(() => this.#runNow(image, op, params, options));
    this.#tail = job.catch(() => {});
    return job;
  }

  async #runNow(image, op, params, { onProgress, signal }) {
    if (signal?.aborted) throw new InferenceError('cancelled', `${op} was cancelled`);
    clearTimeout(this.#idleTimer);
    const bands = splitRows(image.height, this.#size);
    while (this.#workers.length < bands.length) this.#workers.push(this.#createWorker());
    const done = new Array(bands.length).fill(0);
    const report = () => onProgress?.(bands.reduce((sum, band, i) => sum + done[i] * band.count, 0) / image.height);
    let onAbort;
    const aborted = new Promise((_, reject) => {
      onAbort = () => {
        this.terminate();
        reject(new InferenceError('cancelled', `${op} was cancelled`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    const parts = bands.map((rows, i) => new Promise((resolve, reject) => {
      const worker = this.#workers[i];
      worker.onmessage = ({ data }) => {
        if (data.progress !== undefined) {
          done[i] = data.progress;
          report();
        } else if (data.result) {
          resolve(data.result);
        } else {
          reject(new InferenceError(data.error?.code ?? 'internal', data.error?.message ?? 'a band worker failed'));
        }
      };
      worker.onerror = (event) => {
        event.preventDefault?.();
        reject(new InferenceError('internal', `A stylize band worker failed: ${event.message || 'its script or the image core did not load'}`));
      };
      worker.postMessage({ image: { width: image.width, height: image.height, data: image.data }, op, params, rows });
    }));
    try {
      const results = await Promise.race([Promise.all(parts), aborted]);
      const data = new Uint8Array(image.width * image.height * 4);
      results.forEach((part, i) => data.set(new Uint8Array(part.data), bands[i].first * image.width * 4));
      return { width: image.width, height: image.height, data };
    } catch (err) {
      this.terminate(); // a failed band leaves the others running: stop them all
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.#idleTimer = setTimeout(() => this.terminate(), this.#idleMs);
      this.#idleTimer.unref?.(); // Node: an idle pool does not keep the process alive
    }
  }

  /** Ends every worker now; the next run starts new ones. */
  terminate() {
    clearTimeout(this.#idleTimer);
    for (const worker of this.#workers) worker.terminate();
    this.#workers = [];
  }
}
