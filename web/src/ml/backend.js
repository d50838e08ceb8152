// Chooses the inference backend: WebGPU when the browser hands out an adapter, else
// WebAssembly, with the reason in words for the UI.

function adapterName(info) {
  const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  if (/swiftshader/i.test(text)) return 'SwiftShader';
  return info.description || info.vendor || 'unknown GPU';
}

/**
 * @param {GPU | undefined} gpu  navigator.gpu
 * @returns {Promise<{name: 'webgpu'|'wasm', label: string, reason: string}>}
 */
export async function detectBackend(gpu = globalThis.navigator?.gpu) {
  const wasm = (reason) => ({ name: 'wasm', label: `WebAssembly — ${reason}`, reason });
  if (!gpu) return wasm('no WebGPU in this browser (navigator.gpu is missing)');
  let adapter;
  try {
    adapter = await gpu.requestAdapter();
  } catch (err) {
    return wasm(`no WebGPU adapter: requestAdapter() failed (${err.message})`);
  }
  if (!adapter) return wasm('no WebGPU adapter: requestAdapter() returned null');

  const info = adapter.info ?? {};
  const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  const name = adapterName(info);
  return {
    name: 'webgpu',
    label: `WebGPU (${name}${fallback ? ' fallback adapter' : ''})`,
    reason: fallback ? `only a software fallback adapter (${name}) is available` : `adapter: ${name}`,
  };
}
