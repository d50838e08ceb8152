// Huabu's own super-resolution models (models/huabu-sr-x2, models/huabu-sr-x4), trained by
// models/sr/ (see its README). Torch-free checks that CI can run:
// - the manifest is up to date (sha256 and size of model.onnx) and well-formed for the app;
// - the ONNX file loads in onnxruntime-web (wasm EP, what the browser runs without WebGPU),
//   has the declared input/output names, dynamic H/W and the right output size;
// - a quick held-out check (sr-eval --quick protocol: centre 128x128 crops of two held-out
//   skimage photos, box downscale) reproduces the numbers recorded in metrics.json within
//   their tolerance AND beats bicubic on every crop, with a mean gain no smaller than the
//   recorded one minus the tolerance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrt, createSession, runSR } from '../../models/eval/ort.mjs';
import { evalModel, DATA_DIR } from '../../models/eval/sr-eval.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const IDS = ['huabu-sr-x2', 'huabu-sr-x4'];
const sha256 = (b) => createHash('sha256').update(b).digest('hex');
const haveSkimage = existsSync(path.join(DATA_DIR, 'astronaut.png'));

let webCtx;
const web = async () => (webCtx ??= await loadOrt('web'));

for (const id of IDS) {
  const dir = path.join(root, 'models', id);
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
  const metrics = JSON.parse(await readFile(path.join(dir, 'metrics.json'), 'utf8'));

  test(`${id}: manifest matches the files and describes an SR model`, async () => {
    assert.equal(manifest.id, id);
    assert.equal(manifest.task, 'super-resolution');
    assert.ok([2, 4].includes(manifest.scale));
    assert.equal(manifest.files.length, 1);
    const f = manifest.files[0];
    const bytes = await readFile(path.join(dir, f.path));
    assert.equal(bytes.length, f.bytes);
    assert.equal(sha256(bytes), f.sha256);
    assert.ok(bytes.length <= 1.1e6, `model is ${bytes.length} bytes, budget ~1 MB`);
    for (const p of manifest.provenance.files) {
      assert.equal(sha256(await readFile(path.join(root, p.path))), p.sha256, `${p.path} changed since the manifest was written`);
    }
    assert.deepEqual(manifest.inputs.map((t) => t.name), ['input']);
    assert.deepEqual(manifest.outputs.map((t) => t.name), ['output']);
    assert.equal(metrics.model_sha256, f.sha256, 'metrics.json measured another model.onnx');
  });

  test(`${id}: loads in onnxruntime-web (wasm) and upscales any size by ${manifest.scale}`, async () => {
    const ctx = await web();
    const s = manifest.scale;
    const session = await createSession(ctx, path.join(dir, 'model.onnx'));
    assert.deepEqual(session.inputNames, ['input']);
    assert.deepEqual(session.outputNames, ['output']);
    for (const [h, w] of [[17, 23], [32, 32]]) {
      const data = new Float32Array(3 * h * w).map((_, i) => (i * 37) % 256);
      const out = await runSR(ctx, session, data, h, w);
      assert.deepEqual(out.dims, [1, 3, h * s, w * s]);
      // a flat grey image stays flat grey (the bicubic branch is exact, the residual small)
      const grey = await runSR(ctx, session, new Float32Array(3 * h * w).fill(128), h, w);
      const inner = [];
      for (let c = 0; c < 3; c++) for (let y = 2 * s; y < (h - 2) * s; y++) for (let x = 2 * s; x < (w - 2) * s; x++) inner.push(grey.data[(c * h * s + y) * w * s + x]);
      assert.ok(inner.every((v) => Math.abs(v - 128) < 2), `flat input drifts: ${Math.min(...inner)}..${Math.max(...inner)}`);
    }
    await session.release?.();
  });

  test(`${id}: beats bicubic on held-out crops (quick protocol), as recorded`, { skip: !haveSkimage && 'python3-skimage not installed' }, async () => {
    const ctx = await web();
    const res = await evalModel(ctx, id, { quick: true });
    const rec = metrics.quick;
    const tol = rec.tolerance_db;
    for (const r of res.images) {
      const ref = rec.images.find((x) => x.image === r.image);
      assert.ok(ref, `${r.image} not recorded`);
      for (const k of ['sr', 'bicubic']) for (const m of ['psnr_rgb', 'psnr_y']) {
        assert.ok(Math.abs(r[k][m] - ref[k][m]) <= tol, `${r.image} ${k} ${m}: ${r[k][m]} vs recorded ${ref[k][m]}`);
      }
      assert.ok(r.gain_db_rgb > 0 && r.gain_db_y > 0, `${r.image}: SR does not beat bicubic (${r.gain_db_rgb} dB RGB, ${r.gain_db_y} dB Y)`);
      assert.ok(r.sr.ssim_y > r.bicubic.ssim_y, `${r.image}: SSIM ${r.sr.ssim_y} <= bicubic ${r.bicubic.ssim_y}`);
    }
    assert.ok(res.mean.gain_db_rgb >= rec.mean.gain_db_rgb - tol, `mean gain ${res.mean.gain_db_rgb} < recorded ${rec.mean.gain_db_rgb}`);
  });
}
