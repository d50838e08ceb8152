// CI never trains: it checks that every shipped model still measures what its metrics.json
// records (./huabu eval --quick compares a small fixed evaluation with the recorded numbers).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { recordedSamplerArgs, recordedThreadArgs } from '../../models/eval/torch-evals.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('shipped models meet their recorded quality (eval --quick)', () => {
  const run = spawnSync(process.execPath, [path.join(root, 'models/eval/eval-all.mjs'), '--quick'],
    { encoding: 'utf8', timeout: 600_000 });
  assert.equal(run.status, 0, `eval --quick failed:\n${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /super-resolution|gain/);
});

test('eval --full reruns huabu-tiny with the sampler its metrics were recorded with', () => {
  const recorded = JSON.parse(fs.readFileSync(path.join(root, 'models/huabu-tiny/metrics.json'), 'utf8')).eval;
  const args = recordedSamplerArgs(recorded);
  const flag = (name) => args[args.indexOf(name) + 1];
  assert.equal(Number(flag('--steps')), recorded.sampler.steps);
  assert.equal(Number(flag('--guidance')), recorded.sampler.guidance);
  assert.equal(Number(flag('--guidance-above')), recorded.sampler.guidance_above);
  // A model without a text-to-image sampler gets no sampler flags.
  assert.deepEqual(recordedSamplerArgs({ outline: {} }), []);
});

test('eval --full reruns the pix2pix models on the thread count their metrics were recorded with', () => {
  for (const id of ['huabu-sketch', 'huabu-style']) {
    const recorded = JSON.parse(fs.readFileSync(path.join(root, 'models', id, 'metrics.json'), 'utf8')).eval;
    const threads = /--threads (\d+)/.exec(recorded.command)?.[1];
    assert.ok(threads, `${id}: the recorded command names its thread count`);
    assert.deepEqual(recordedThreadArgs(recorded), ['--threads', threads]);
  }
  assert.deepEqual(recordedThreadArgs({ command: 'tiny-eval.py --n 2' }), []);
});

// Every judge-based number is only meaningful with the judge that measured it: a retrained
// judge without re-recorded metrics must fail here (CI has no torch to rerun the evaluators).
test('judge-scored metrics name the committed judge files they were measured with', () => {
  const judgeRecords = (value, out = []) => {
    if (value && typeof value === 'object') {
      if (typeof value.file === 'string' && value.file.startsWith('models/eval/judges/')) out.push(value);
      for (const child of Object.values(value)) judgeRecords(child, out);
    }
    return out;
  };
  const expected = { 'huabu-tiny': 1, 'huabu-sketch': 1, 'huabu-style': 2 };
  for (const [id, count] of Object.entries(expected)) {
    const records = judgeRecords(JSON.parse(fs.readFileSync(path.join(root, 'models', id, 'metrics.json'), 'utf8')));
    assert.equal(records.length, count, `${id}: metrics.json records ${records.length} judges, expected ${count}`);
    for (const { file, sha256 } of records) {
      const actual = crypto.createHash('sha256').update(fs.readFileSync(path.join(root, file))).digest('hex');
      assert.equal(actual, sha256, `${id}: ${file} is not the judge its metrics were measured with; re-record them (models/eval/judges/README.md)`);
    }
  }
});
