// Cancellation helpers: jobs check their AbortSignal between steps and stop with a clean
// 'cancelled' InferenceError.

import { cancelledError } from './inference-error.js';

/**
 * Lets the worker's event loop run, so a 'cancel' message posted meanwhile is handled.
 * Needed between tiles: ONNX Runtime's wasm inference resolves through microtasks only, so a
 * loop of awaits would otherwise never see the message before the whole job is done.
 */
export function yieldToEventLoop() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export function throwIfCancelled(signal) {
  if (signal?.aborted) throw cancelledError();
}

/**
 * Waits for `promise` unless `signal` aborts first. The underlying work goes on (a model
 * download finishing in the background is still cached for the next request).
 */
export function abortable(promise, signal) {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(cancelledError());
    const onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
