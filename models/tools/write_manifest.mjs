#!/usr/bin/env node
// (Re)computes sha256 and bytes in models/<id>/manifest.json from the files on disk:
// `files[]` and `eval_files[]` (paths relative to the manifest's directory) and `provenance.files[]` (paths
// relative to the repository root, e.g. the npm package the model was converted from).
// Everything else in the manifest is kept as written by hand.
//
//   node models/tools/write_manifest.mjs models/esrgan-slim-x2 [more dirs...]
//   node models/tools/write_manifest.mjs --check models/*/   # exit 1 if anything is stale
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function describe(file) {
  const bytes = await readFile(file);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

// 2-space JSON, but arrays of plain values (shapes, ranges) stay on one line. Only
// whitespace around newlines is touched: JSON strings cannot hold a raw newline.
const format = (m) =>
  JSON.stringify(m, null, 2).replace(/\[([^[\]{}]*)\]/g, (_, body) => `[${body.replace(/\s*\n\s*/g, ' ').trim()}]`) + '\n';

async function update(dir, check) {
  const manifestPath = path.join(dir, 'manifest.json');
  const text = await readFile(manifestPath, 'utf8');
  const m = JSON.parse(text);
  const entries = [
    ...[...m.files, ...(m.eval_files ?? [])].map((f) => [f, path.join(dir, f.path)]),
    ...(m.provenance?.files ?? []).map((f) => [f, path.join(root, f.path)]),
  ];
  for (const [entry, file] of entries) Object.assign(entry, await describe(file));
  const out = format(m);
  if (out === text) return true;
  if (check) {
    console.error(`${manifestPath}: stale (run node models/tools/write_manifest.mjs ${dir})`);
    return false;
  }
  await writeFile(manifestPath, out);
  console.log(`${manifestPath}: updated`);
  return true;
}

const args = process.argv.slice(2);
const check = args.includes('--check');
const dirs = args.filter((a) => a !== '--check');
if (!dirs.length) {
  console.error('usage: write_manifest.mjs [--check] <model dir>...');
  process.exit(2);
}
let ok = true;
for (const d of dirs) ok = (await update(path.resolve(d), check)) && ok;
process.exit(ok ? 0 : 1);
