#!/usr/bin/env node
// Bundles the app's two entry points (the page and the inference worker) with esbuild into
// build/web/, served at /app/. Bundling lets app modules import npm packages (yjs,
// perfect-freehand, ...) by name, exactly as Node tests import them, without an import map
// (an inline import map would need a CSP exception). Takes ~0.1 s; `startServer` runs it on
// start so a served app is never older than its sources.
//
//   node tools/build-web.mjs

import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildWeb({ root = repoRoot, outdir = path.join(root, 'build/web') } = {}) {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: {
      main: 'web/src/main.js',
      'inference-worker': 'web/src/workers/inference-worker.js',
      // Row-local style operations on big images, one band of rows per worker (stylize-bands.js).
      'stylize-band-worker': 'web/src/workers/stylize-band-worker.js',
      // The host page's SDK for the embed API (docs/embedding.md); hosts serve a copy.
      'huabu-embed': 'web/src/embed/huabu-embed.js',
      // Loaded only when Huabu is opened as a Matrix widget (web/src/collab/matrix-params.js).
      'matrix-widget': 'web/src/embed/matrix-widget.js',
    },
    outdir,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    sourcemap: 'linked',
    logLevel: 'warning',
    // ORT and the core are loaded at run time from /ort/ and /core/ by URL.
    external: ['/ort/*', '/core/*', '/core-js/*', '/app/*'],
  });
  // The SDK's types travel with it.
  await copyFile(path.join(root, 'web/src/embed/huabu-embed.d.ts'), path.join(outdir, 'huabu-embed.d.ts'));
  return outdir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(`web bundle: ${path.relative(repoRoot, await buildWeb())}`);
}
