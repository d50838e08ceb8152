// The service worker's list of what offline use needs (web/src/storage/offline-files.js)
// must name files that exist where tools/serve.mjs serves them from, and the ONNX Runtime
// files each backend's bundle really loads (file names change between ORT versions).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

import { resolveRequestPath } from '../../tools/serve.mjs';
import { offlineModelIds, ortFiles, shellFiles } from '../../web/src/storage/offline-files.js';

const root = new URL('../..', import.meta.url).pathname;
const builtLater = (file) => /\/build\/web\//.test(file); // the app bundle is built when the server starts

test('every offline file is served from an existing file', () => {
  for (const url of [...shellFiles, ...ortFiles.wasm, ...ortFiles.webgpu]) {
    const { file, status } = resolveRequestPath(url, root);
    assert.ok(file, `${url} -> HTTP ${status}`);
    assert.ok(builtLater(file) || existsSync(file), `${url} -> ${file} is missing`);
  }
});

test('each ORT bundle loads the .mjs and .wasm listed for its backend', () => {
  // A chain: the bundle names the Emscripten glue (.mjs), the glue names the .wasm.
  for (const [backend, files] of Object.entries(ortFiles)) {
    for (let i = 1; i < files.length; i++) {
      const source = readFileSync(resolveRequestPath(files[i - 1], root).file, 'utf8');
      assert.ok(source.includes(`"${files[i].split('/').pop()}"`), `${files[i - 1]} (${backend}) never names ${files[i]}`);
    }
  }
  const worker = readFileSync(new URL('../../web/src/workers/inference-worker.js', import.meta.url), 'utf8');
  for (const [, [bundle]] of Object.entries(ortFiles)) assert.ok(worker.includes(`'${bundle}'`), `the worker does not load ${bundle}`);
});

test('the offline models have manifests', () => {
  for (const id of offlineModelIds) {
    const manifest = JSON.parse(readFileSync(new URL(`../../models/${id}/manifest.json`, import.meta.url)));
    assert.ok(manifest.files.length > 0, id);
  }
});
