#!/usr/bin/env node
// Writes tests/data/safety-trigger.png: abstract skin-coloured ellipses on a flat background
// that nsfw-mobilenet-v2 nevertheless scores as explicit (Porn + Hentai >= 0.8). It shows
// nobody anything explicit; it exists so the tests can drive the app's "flagged picture"
// path (share/safety-gate.js), and it documents that the classifier misreads abstract shapes.
// Deterministic: a seeded search over shapes, keeping the first that scores high enough.
//
//   node tests/data/make-safety-trigger.mjs
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PNG } from 'pngjs';

import { safetyVerdict } from '../../web/src/ml/image-safety.js';
import { prepare, SIZE } from '../../web/src/ml/safety-input.js';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const session = await ort.InferenceSession.create(new URL('../../models/nsfw-mobilenet-v2/model.onnx', import.meta.url).pathname);

let state = 7;
const random = () => { // mulberry32
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

function candidate() {
  const skin = [224, 172, 140].map((c) => c * (0.7 + 0.4 * random()));
  const bg = [random() * 255, random() * 255, random() * 255];
  const blobs = [0, 1].map(() => ({ x: random() * SIZE, y: random() * SIZE, rx: 30 + random() * 80, ry: 30 + random() * 80 }));
  const data = new Uint8Array(SIZE * SIZE * 4);
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) {
    const d = Math.min(...blobs.map((b) => (x - b.x) ** 2 / b.rx ** 2 + (y - b.y) ** 2 / b.ry ** 2));
    const rgb = d < 1 ? skin.map((c) => c * (1 - 0.3 * d)) : bg;
    data.set([...rgb.map(Math.round), 255], (y * SIZE + x) * 4);
  }
  return data;
}

for (let tries = 1; tries <= 2000; tries++) {
  const data = candidate();
  const out = await session.run({ input: new ort.Tensor('float32', prepare(data, SIZE, SIZE), [1, 3, SIZE, SIZE]) });
  const verdict = safetyVerdict(Array.from(out.probabilities.data));
  if (verdict.explicit >= 0.8) {
    const png = new PNG({ width: SIZE, height: SIZE });
    png.data = Buffer.from(data);
    writeFileSync(new URL('./safety-trigger.png', import.meta.url), PNG.sync.write(png));
    console.log(`safety-trigger.png after ${tries} tries: explicit ${verdict.explicit.toFixed(3)}`, verdict.scores);
    process.exit(0);
  }
}
console.error('no candidate scored high enough');
process.exit(1);
