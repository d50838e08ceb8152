// Shared loader for the node:test files: the CommonJS build of the core (wasm embedded), and
// the ES module build given its .wasm bytes (the way a test can run the browser artefact).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const buildDir = path.join(root, 'build/wasm/wasm');

function requireBuilt(file) {
  const full = path.join(buildDir, file);
  if (!fs.existsSync(full)) {
    throw new Error(`${full} is missing: build it with cmake --preset wasm && cmake --build --preset wasm`);
  }
  return full;
}

export function loadCjsFactory() {
  return createRequire(import.meta.url)(requireBuilt('huabu_core.cjs'));
}

export async function loadEsmModule() {
  const { default: factory } = await import(requireBuilt('huabu_core.mjs'));
  return factory({ wasmBinary: fs.readFileSync(requireBuilt('huabu_core.wasm')) });
}
