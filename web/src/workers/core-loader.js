// Loads the C++ core (wasm) inside a worker: the inference worker and the stylize band workers
// use the same files and report a failure the same way.

import { InferenceError } from '../ml/inference-error.js';

export async function importOrFail(url, what) {
  try {
    return await import(url);
  } catch (err) {
    throw new InferenceError('internal', `Could not load ${what} from ${url}: ${err.message}`);
  }
}

/** The wrapped core API (wasm/huabu-core.js) of a fresh module instance. */
export async function loadCore() {
  const [{ default: factory }, { loadHuabuCore }] = await Promise.all([
    importOrFail('/core/huabu_core.mjs', 'the image core'),
    importOrFail('/core-js/huabu-core.js', 'the image core wrapper'),
  ]);
  try {
    return await loadHuabuCore(factory);
  } catch (err) {
    // Embind generates code with new Function() unless linked with -sDYNAMIC_EXECUTION=0;
    // the CSP (no 'unsafe-eval') rightly refuses that.
    if (err instanceof EvalError) {
      throw new InferenceError('internal', `The image core cannot start under this page's Content-Security-Policy (it evaluates strings as code; link it with -sDYNAMIC_EXECUTION=0): ${err.message}`);
    }
    throw err;
  }
}
