// Cancellation helpers: jobs check their AbortSignal between steps and stop with a clean
// 'cancelled' InferenceError.

import { cancelledError } from './inference-error.js';

let channel = null;

// One MessageChannel whose messages resolve the waiting yields in order.
function yieldChannel() {
  const { port1, port2 } = new MessageChannel();
  const waiting = [];
  port1.onmessage = () => waiting.shift()?.();
  return { post: (resolve) => { waiting.push(resolve); port2.postMessage(0); } };
}

/**
 * Lets the worker's event loop run, so a 'cancel' message posted meanwhile is handled.
 * Needed between steps and tiles: ONNX Runtime's wasm inference resolves through microtasks
 * only, so a loop of awaits would otherwise never see the message before the whole job is done.
 * Not setTimeout(0): browsers clamp nested timeouts to 4 ms after five levels (13 yields of a
 * 12-step request cost ~50 ms) and Node to 1 ms; a MessageChannel task (browsers, workers) or
 * setImmediate (Node) returns to the event loop without the wait.
 */
export function yieldToEventLoop() {
  if (typeof globalThis.setImmediate === 'function') return new Promise((resolve) => globalThis.setImmediate(resolve));
  if (typeof globalThis.MessageChannel === 'function') {
    channel ??= yieldChannel();
    return new Promise((resolve) => channel.post(resolve));
  }
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
