// Load onnxruntime in Node: the native onnxruntime-node when its bundled CPU
// library loads, otherwise onnxruntime-web on the wasm EP (same results, slower).
// Set HUABU_ORT=web to force the wasm path (used to time what the browser runs).
export async function loadOrt(prefer = process.env.HUABU_ORT || 'node') {
  if (prefer !== 'web') {
    try {
      const mod = await import('onnxruntime-node');
      return { ort: mod.default ?? mod, backend: 'onnxruntime-node', providers: ['cpu'] };
    } catch (err) {
      console.warn(`onnxruntime-node failed to load (${err.message}); using onnxruntime-web wasm`);
    }
  }
  const mod = await import('onnxruntime-web');
  const ort = mod.default ?? mod;
  ort.env.wasm.numThreads = 1; // no worker threads needed for tests; matches a non-isolated page
  return { ort, backend: 'onnxruntime-web/wasm', providers: ['wasm'] };
}

// Create a session from a file path (node) or bytes (web needs bytes in Node).
export async function createSession({ ort, providers }, modelPath) {
  const { readFile } = await import('node:fs/promises');
  const bytes = new Uint8Array(await readFile(modelPath));
  return ort.InferenceSession.create(bytes, { executionProviders: providers });
}

// Run an SR model on a planar float32 NCHW image [1,3,h,w] in 0..255.
export async function runSR({ ort }, session, data, h, w) {
  const input = new ort.Tensor('float32', data, [1, 3, h, w]);
  const out = await session.run({ [session.inputNames[0]]: input });
  const t = out[session.outputNames[0]];
  return { data: t.data, dims: t.dims };
}
