// huabu-tiny (text -> 32x32 image): CI-safe checks, no torch and no dataset.
// - manifest.json: every listed file matches its sha256 and size
// - both ONNX graphs load in ONNX Runtime with the declared input/output names and shapes
// - one fixed-seed sample (Philox noise, Euler + CFG in JS) is deterministic and matches the
//   reference recorded at export time (models/huabu-tiny/reference-sample.json, from torch)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrt, createSession } from '../../models/eval/ort.mjs';
import { Tokenizer } from '../../models/data/vocab/tokenizer.mjs';
import { philox4x32_10, philoxU32, sampleTiny, seedNoise } from '../../models/tiny/sampler.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.join(root, 'models/huabu-tiny');
const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
const ref = JSON.parse(readFileSync(path.join(dir, 'reference-sample.json'), 'utf8'));
const graph = (name) => manifest.graphs[name];

test('huabu-tiny: manifest files match sha256 and size', () => {
  assert.equal(manifest.id, 'huabu-tiny');
  assert.equal(manifest.task, 'text-to-image');
  for (const f of manifest.files) {
    const bytes = readFileSync(path.join(dir, f.path));
    assert.equal(bytes.length, f.bytes, f.path);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), f.sha256, f.path);
  }
  for (const f of manifest.provenance.files ?? []) {
    const p = path.join(root, f.path);
    if (!existsSync(p)) continue; // e.g. a checkpoint path in a sparse checkout
    assert.equal(createHash('sha256').update(readFileSync(p)).digest('hex'), f.sha256, f.path);
  }
});

test('philox matches Random123 known answers (the same vectors as tests/core/rng_test.cpp)', () => {
  const kats = [
    [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
    [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
    [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
  ];
  for (const [ctr, key, out] of kats) assert.deepEqual(philox4x32_10(ctr, key), out);
  // a generator's first words = block 0 of its (seed, stream)
  assert.deepEqual([...philoxU32(0n, 0n, 4)], kats[0][2]);
});

let ctx, text, unet;
test('huabu-tiny: both graphs load with the declared inputs/outputs and shapes', async () => {
  ctx = await loadOrt();
  text = await createSession(ctx, path.join(dir, graph('text_encoder').path));
  unet = await createSession(ctx, path.join(dir, graph('unet').path));
  assert.deepEqual(text.inputNames, graph('text_encoder').inputs.map((i) => i.name));
  assert.deepEqual(text.outputNames, graph('text_encoder').outputs.map((o) => o.name));
  assert.deepEqual(unet.inputNames, graph('unet').inputs.map((i) => i.name));
  assert.deepEqual(unet.outputNames, graph('unet').outputs.map((o) => o.name));
  const { ort } = ctx;
  const B = 3, L = manifest.text.max_tokens, D = manifest.text.cond_dim;
  const { cond } = await text.run({
    input_ids: new ort.Tensor('int64', new BigInt64Array(B * L).fill(5n), [B, L]),
    style_id: new ort.Tensor('int64', BigInt64Array.from([0n, 3n, 6n]), [B]),
  });
  assert.deepEqual(cond.dims.map(Number), [B, D]);
  const { velocity } = await unet.run({
    sample: new ort.Tensor('float32', seedNoise(1, B), [B, 3, 32, 32]),
    timestep: new ort.Tensor('float32', new Float32Array(B).fill(0.5), [B]),
    cond,
  });
  assert.deepEqual(velocity.dims.map(Number), [B, 3, 32, 32]);
  assert.ok(velocity.data.every(Number.isFinite));
});

test('huabu-tiny: a fixed-seed sample is deterministic and matches the torch reference', async () => {
  const tok = new Tokenizer(JSON.parse(readFileSync(path.join(dir, 'tokenizer/vocab.json'), 'utf8')).words,
    JSON.parse(readFileSync(path.join(dir, 'tokenizer/zh.json'), 'utf8')));
  const ids = tok.encode(ref.prompt, manifest.text.max_tokens);
  assert.deepEqual(ids, ref.ids, 'JS tokenizer = Python tokenizer for the reference prompt');
  const noise = seedNoise(ref.seed, 1);
  let maxNoise = 0;
  for (let i = 0; i < 16; i++) maxNoise = Math.max(maxNoise, Math.abs(noise[i] - ref.noise_head[i]));
  assert.ok(maxNoise < 1e-6, `Philox noise head differs by ${maxNoise}`);
  const run = () => sampleTiny(ctx.ort, { text, unet }, BigInt64Array.from(ids.map(BigInt)), BigInt64Array.from([BigInt(ref.style)]),
    noise, { steps: ref.steps, guidance: ref.guidance, guidanceAbove: ref.guidance_above ?? 0 });
  const a = await run(), b = await run();
  assert.deepEqual(a, b, 'same seed, same image');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - ref.image[i]));
  assert.ok(m <= 2e-3, `ORT sample differs from the torch reference by ${m}`);
});

// The app draws its noise from the C++ core (wasm): the JS/Python sampler must draw the same.
const coreCjs = path.join(root, 'build/wasm/wasm/node/huabu_core.cjs');
test('huabu-tiny: sampler noise equals the core\'s philoxNormal (wasm build)', { skip: !existsSync(coreCjs) && 'wasm core not built' }, async () => {
  const { createRequire } = await import('node:module');
  const { loadHuabuCore } = await import('../../wasm/huabu-core.js');
  const core = await loadHuabuCore(createRequire(import.meta.url)(coreCjs));
  for (const [seed, stream] of [[42, 0], [42, 3], [0x12345678, 1]]) {
    const c = core.philoxNormal(0, seed, stream, 3072);
    assert.deepEqual(Array.from(c), Array.from(seedNoise(seed, 1, stream)), `seed ${seed} stream ${stream}`);
  }
});
