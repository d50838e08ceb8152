// The worker's mapping of a chat 'generate' request onto the core's request and the recipe
// that travels with the images (web/src/ml/generate-request.js). Range checks are the core's
// and are tested with it (tests/node/text-to-image.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { normalizeGenerateRequest } from '../../web/src/ml/generate-request.js';
import { root } from './wasm-module.mjs';

const manifest = JSON.parse(readFileSync(path.join(root, 'models/huabu-tiny/manifest.json'), 'utf8'));

test('style names map to ids, the recipe keeps the name; defaults come from the manifest', () => {
  const { request, recipe } = normalizeGenerateRequest({ prompt: 'a red fox', style: 'twemoji', seed: '0042' }, manifest);
  assert.deepEqual(request, { prompt: 'a red fox', style: 1, seed: '42', count: 1, steps: 12, guidance: 4, guidanceAbove: 0.3,
    sampler: 'euler', previewEvery: 4 });
  assert.deepEqual(recipe, { prompt: 'a red fox', style: 'twemoji', seed: '42', count: 1, steps: 12, guidance: 4, guidanceAbove: 0.3,
    sampler: 'euler', model: 'huabu-tiny', modelVersion: manifest.version });
  // A manifest from before the guidance interval guides every step.
  const older = { ...manifest, sampler: { ...manifest.sampler, guidance_above: undefined } };
  assert.equal(normalizeGenerateRequest({ prompt: 'x' }, older).request.guidanceAbove, 0);
  assert.equal(normalizeGenerateRequest({ prompt: 'x', guidanceAbove: 0.5 }, manifest).request.guidanceAbove, 0.5);
  assert.equal(normalizeGenerateRequest({ prompt: 'x', style: 5 }, manifest).recipe.style, 'openmoji-outline');
  assert.equal(normalizeGenerateRequest({ prompt: 'x' }, manifest).request.style, 6);
  assert.equal(normalizeGenerateRequest({ prompt: 'x', steps: 1 }, manifest).request.previewEvery, 0);
});

test('seeds: decimal u64 strings, BigInt-like and safe numbers; random when absent', () => {
  assert.equal(normalizeGenerateRequest({ prompt: 'x', seed: '18446744073709551615' }, manifest).recipe.seed, '18446744073709551615');
  assert.equal(normalizeGenerateRequest({ prompt: 'x', seed: 7 }, manifest).recipe.seed, '7');
  const a = normalizeGenerateRequest({ prompt: 'x' }, manifest).recipe.seed;
  const b = normalizeGenerateRequest({ prompt: 'x' }, manifest).recipe.seed;
  assert.match(a, /^\d+$/);
  assert.notEqual(a, b);
  for (const seed of ['18446744073709551616', '-1', '1e3', '', 'abc', 1.5]) {
    assert.throws(() => normalizeGenerateRequest({ prompt: 'x', seed }, manifest), { code: 'invalid_argument', message: /seed/ }, String(seed));
  }
});

test('bad requests: no prompt, unknown style', () => {
  for (const content of [null, {}, { prompt: 42 }]) {
    assert.throws(() => normalizeGenerateRequest(content, manifest), { code: 'invalid_argument', message: /prompt/ });
  }
  assert.throws(() => normalizeGenerateRequest({ prompt: 'x', style: 'watercolor' }, manifest), { code: 'invalid_argument', message: /watercolor/ });
  assert.throws(() => normalizeGenerateRequest({ prompt: 'x', style: 9 }, manifest), { code: 'invalid_argument', message: /style 9/ });
});
