// What the app needs to work offline, in three groups the service worker (web/sw.js) treats
// differently. tests/node/offline-files.test.mjs checks every file exists and that the ORT
// bundles really load the .wasm/.mjs named here (they change with ORT versions).

/** The page itself: cached when the service worker installs. */
export const shellFiles = [
  '/', '/styles.css', '/favicon.svg', '/app-manifest.json', '/icons/icon-192.png', '/icons/icon-512.png',
  '/app/main.js', '/app/inference-worker.js', '/app/stylize-band-worker.js',
  '/core/huabu_core.mjs', '/core/huabu_core.wasm', '/core-js/huabu-core.js',
];

/** ONNX Runtime for each backend (inference-worker.js picks the bundle; it loads the rest). */
export const ortFiles = {
  wasm: ['/ort/ort.wasm.min.mjs', '/ort/ort-wasm-simd-threaded.mjs', '/ort/ort-wasm-simd-threaded.wasm'],
  webgpu: ['/ort/ort.webgpu.min.mjs', '/ort/ort-wasm-simd-threaded.asyncify.mjs', '/ort/ort-wasm-simd-threaded.asyncify.wasm'],
};

/** Models the app runs: their manifests name the files, with sha256 and size. */
export const offlineModelIds = ['huabu-tiny', 'huabu-sketch', 'huabu-sr-x2', 'huabu-sr-x4'];
