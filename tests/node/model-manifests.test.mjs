// Every shipped model: manifest.json is well-formed, its files match their sha256 and size,
// and the ONNX file loads in ONNX Runtime with the declared inputs and outputs. Also checks
// that the app's verify function (web/src/ml/manifest.js) rejects a corrupted copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as appManifest from '../../web/src/ml/manifest.js';
import { loadOrt, createSession } from '../../models/eval/ort.mjs';
import { appModelIds } from '../../web/src/ml/model-registry.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const modelsDir = path.join(root, 'models');
const dirs = (await readdir(modelsDir, { withFileTypes: true }))
  .filter((d) => d.isDirectory() && existsSync(path.join(modelsDir, d.name, 'manifest.json')))
  .map((d) => path.join(modelsDir, d.name));

// The app's own checks (web/src/ml/manifest.js, owned by the web app). Its verify function
// either returns {ok, code, message} or throws an error with a `code`; normalise both.
async function verify(file, bytes) {
  try {
    return (await appManifest.verifyModelBytes(file, bytes)) ?? { ok: true };
  } catch (err) {
    return { ok: false, code: err.code, message: err.message };
  }
}
function appValidate(m) {
  if (appManifest.parseManifest) {
    try { appManifest.parseManifest(m, 'manifest.json'); return []; } catch (err) { return [err.message]; }
  }
  return appManifest.validateManifest(m);
}

// The fields docs/model-format.md requires, checked independently of the app's parser.
function formatProblems(m) {
  const p = [];
  const req = (cond, msg) => cond || p.push(msg);
  for (const k of ['id', 'task', 'version', 'licence']) req(typeof m[k] === 'string' && m[k], `${k}: string`);
  if (m.task === 'super-resolution') req(Number.isInteger(m.scale) && m.scale >= 1, 'scale: integer >= 1');
  for (const k of ['package', 'version', 'converter_command']) req(typeof m.provenance?.[k] === 'string', `provenance.${k}`);
  req(Array.isArray(m.provenance?.files) && m.provenance.files.every((f) => f.path && /^[0-9a-f]{64}$/.test(f.sha256)), 'provenance.files: {path, sha256}');
  req(Array.isArray(m.files) && m.files.length > 0, 'files: non-empty');
  req(m.eval_files === undefined || Array.isArray(m.eval_files), 'eval_files: an array when present');
  for (const f of [...(m.files ?? []), ...(m.eval_files ?? [])]) {
    req(typeof f.name === 'string' && f.name, 'files[].name');
    req(typeof f.path === 'string' && !f.path.startsWith('/') && !f.path.split('/').includes('..'), `files[].path ${f.path}: relative, inside the model dir`);
    req(/^[0-9a-f]{64}$/.test(f.sha256), `files[].sha256 ${f.sha256}: 64 lower-case hex digits`);
    req(Number.isInteger(f.bytes) && f.bytes > 0, 'files[].bytes: positive integer');
  }
  for (const k of ['inputs', 'outputs']) {
    req(Array.isArray(m[k]) && m[k].length > 0, `${k}: non-empty`);
    for (const t of m[k] ?? []) {
      req(typeof t.name === 'string' && t.layout && t.dtype, `${k}[].name/layout/dtype`);
      req(Array.isArray(t.shape) && t.shape.every((d) => Number.isInteger(d) || typeof d === 'string'), `${k}[].shape`);
      req(Array.isArray(t.range) && t.range.length === 2, `${k}[].range: [min, max]`);
    }
  }
  if (m.task === 'super-resolution') req(Number.isInteger(m.tile?.size) && Number.isInteger(m.tile?.overlap) && 2 * m.tile.overlap < m.tile.size, 'tile: {size, overlap}, 2*overlap < size');
  return p;
}

test('at least one model manifest exists', () => assert.ok(dirs.length > 0));

// A symbolic dim like "H*2" evaluated for concrete H/W; plain integers pass through.
const evalDim = (d, env) => {
  if (Number.isInteger(d)) return d;
  const m = /^([A-Za-z_]\w*)(?:\*(\d+))?$/.exec(d);
  assert.ok(m && m[1] in env, `cannot evaluate dim ${d}`);
  return env[m[1]] * Number(m[2] ?? 1);
};

for (const dir of dirs) {
  const id = path.basename(dir);
  test(`${id}: manifest is valid and files match`, async (t) => {
    const m = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    assert.deepEqual(formatProblems(m), []);
    assert.deepEqual(appValidate(m), [], 'the app accepts the manifest');
    assert.equal(m.id, id, 'id must equal the directory name');
    for (const f of [...m.files, ...(m.eval_files ?? [])]) {
      const bytes = await readFile(path.join(dir, f.path));
      assert.deepEqual(await verify(f, bytes), { ok: true }, f.path);
    }
    const onnx = m.files.filter((f) => f.path.endsWith('.onnx'));
    assert.ok(onnx.length >= 1, 'an .onnx file is listed');
    const ctx = await loadOrt();
    const session = await createSession(ctx, path.join(dir, onnx[0].path));
    assert.deepEqual(session.inputNames, m.inputs.map((i) => i.name));
    assert.deepEqual(session.outputNames, m.outputs.map((o) => o.name));
    // One tiny run: the output shape must follow the declared symbolic shape.
    const env = { H: 9, W: 7, B: 1 }; // B: batch of multi-graph models (text-to-image)
    const feeds = {};
    for (const i of m.inputs) {
      const shape = i.shape.map((d) => evalDim(d, env));
      feeds[i.name] = new ctx.ort.Tensor(i.dtype, new Float32Array(shape.reduce((a, b) => a * b)).fill(128), shape);
    }
    const out = await session.run(feeds);
    for (const o of m.outputs) assert.deepEqual(out[o.name].dims.map(Number), o.shape.map((d) => evalDim(d, env)));
    t.diagnostic(`${id}: ${m.files.map((f) => `${f.path} ${f.bytes} B`).join(', ')}`);
  });
}

// Issue 3: all the app's models together fit in 20 MB (a model growing past it fails here).
test('the models the app loads total at most 20 MB', async (t) => {
  let total = 0;
  for (const id of appModelIds) {
    const m = JSON.parse(await readFile(path.join(modelsDir, id, 'manifest.json'), 'utf8'));
    total += m.files.reduce((sum, f) => sum + f.bytes, 0);
  }
  t.diagnostic(`${appModelIds.join(', ')}: ${total} bytes`);
  assert.equal(appModelIds.length, 6);
  assert.ok(total <= 20e6, `${total} bytes > 20 MB`);
});

test('a corrupted model file is reported as corrupt_data', async () => {
  const dir = dirs[0];
  const m = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
  const f = m.files[0];
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'huabu-manifest-'));
  try {
    const bytes = new Uint8Array(await readFile(path.join(dir, f.path)));
    bytes[bytes.length >> 1] ^= 0x01; // flip one bit in the middle of a temp copy
    await writeFile(path.join(tmp, f.path), bytes);
    const res = await verify(f, await readFile(path.join(tmp, f.path)));
    assert.equal(res.ok, false);
    assert.equal(res.code, 'corrupt_data');
    assert.match(res.message, /sha256 mismatch/);
    const short = await verify(f, bytes.slice(0, bytes.length - 1)); // truncated download
    assert.equal(short.ok, false);
    assert.equal(short.code, 'corrupt_data');
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});
