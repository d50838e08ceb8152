// CI never trains: it checks that every shipped model still measures what its metrics.json
// records (./huabu eval --quick compares a small fixed evaluation with the recorded numbers).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('shipped models meet their recorded quality (eval --quick)', () => {
  const run = spawnSync(process.execPath, [path.join(root, 'models/eval/eval-all.mjs'), '--quick'],
    { encoding: 'utf8', timeout: 600_000 });
  assert.equal(run.status, 0, `eval --quick failed:\n${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /super-resolution|gain/);
});
