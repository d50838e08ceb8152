// /upscale end to end on WebGPU: Chromium with --enable-unsafe-webgpu, which here means
// SwiftShader's software adapter (correct results, meaningless speed: a 64x64 tile takes
// seconds, so the picture is kept to one tile).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { appSession, runUpscaleScenario } from './helpers.mjs';

const session = appSession({ webgpu: true });

test('/upscale 2 on WebGPU doubles the canvas image and beats bicubic', () => session.withApp(async ({ context, page, problems }) => {
  const status = await page.getByRole('status', { name: 'Inference backend' }).textContent();
  assert.match(status, /^Backend: WebGPU \(SwiftShader fallback adapter\)/);

  const r = await runUpscaleScenario(page, { timeout: 300_000 });
  console.log(`webgpu: SR ${r.psnrExact.toFixed(2)} dB (as WebP ${r.psnrShownWebp.toFixed(2)} dB), bicubic ${r.psnrBicubic.toFixed(2)} dB`);
  assert.deepEqual(r.shownSize, [128, 128]);
  assert.deepEqual(r.exactSize, [128, 128]);
  assert.match(r.status, /^Backend: WebGPU \(SwiftShader fallback adapter\)/);
  assert.match(await page.getByText(/^Done: 128×128 in/).textContent(), /on WebGPU \(SwiftShader fallback adapter\)\.$/);
  assert.ok(r.psnrExact > r.psnrBicubic, `SR ${r.psnrExact.toFixed(2)} dB must beat bicubic ${r.psnrBicubic.toFixed(2)} dB`);
  assert.deepEqual(problems, []);
}));
