#!/usr/bin/env node
// nsfwjs@4.4.0 ships its MobileNetV2 as two JavaScript bundles (topology object; weights as a
// base64 string) instead of model.json + .bin. This writes them back out as an ordinary
// TF.js layers model so the converter and the TF.js reference read the same files.
//
//   node models/safety/extract_nsfwjs.mjs [--out .cache/nsfw/mobilenet_v2]
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const i = process.argv.indexOf('--out');
const out = path.resolve(i >= 0 ? process.argv[i + 1] : path.join(root, '.cache/nsfw/mobilenet_v2'));
const src = path.join(root, 'node_modules/nsfwjs/dist/models/mobilenet_v2');

const version = require(path.join(root, 'node_modules/nsfwjs/package.json')).version;
if (version !== '4.4.0') throw new Error(`expected nsfwjs 4.4.0, found ${version} (npm ci?)`);
const topology = require(path.join(src, 'model.min.js'));
const base64 = require(path.join(src, 'group1-shard1of1.min.js'));
if (typeof base64 !== 'string' || topology.weightsManifest?.length !== 1) {
  throw new Error('unexpected nsfwjs bundle layout (one weight group with one base64 shard expected)');
}
const weights = Buffer.from(base64, 'base64');
const [group] = topology.weightsManifest;
const expected = group.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * (w.quantization ? 1 : 4), 0);
if (weights.length !== expected) throw new Error(`weight shard is ${weights.length} bytes, manifest needs ${expected}`);

mkdirSync(out, { recursive: true });
const shard = 'group1-shard1of1.bin';
const modelJson = { format: 'layers-model', ...topology, weightsManifest: [{ ...group, paths: [shard] }] };
writeFileSync(path.join(out, 'model.json'), JSON.stringify(modelJson));
writeFileSync(path.join(out, shard), weights);
console.log(JSON.stringify({ out, layers: topology.modelTopology.model_config.config.layers.length, weight_bytes: weights.length }));
