// ./huabu eval [--json FILE] [--quick] [--full]: measures every shipped model with the evaluator
// of its task and prints the results. Recording them in models/<id>/metrics.json is a separate,
// deliberate step (e.g. `node models/eval/sr-eval.mjs --write-metrics`), not a side effect.
// --full also re-runs the torch evaluators of the models trained here (torch-evals.mjs) and
// checks that they reproduce every recorded number.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runTorchEvals } from './torch-evals.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const modelsDir = path.resolve(here, '..');

// task -> evaluator script in this folder (each takes --models, --json and --quick).
const evaluators = {
  'super-resolution': 'sr-eval.mjs',
  'text-to-image': 'tiny-eval.mjs',
  'sketch-to-image': 'image-to-image-eval.mjs',
  'style-transfer': 'image-to-image-eval.mjs',
  'image-safety': 'safety-eval.mjs',
};

const args = process.argv.slice(2);
const jsonIndex = args.indexOf('--json');
const jsonFile = jsonIndex >= 0 ? args[jsonIndex + 1] : null;
if (jsonIndex >= 0 && !jsonFile) {
  console.error('eval: --json needs a file name');
  process.exit(2);
}
const passThrough = args.includes('--quick') ? ['--quick'] : [];

const byTask = new Map();
for (const id of fs.readdirSync(modelsDir).sort()) {
  const manifestPath = path.join(modelsDir, id, 'manifest.json');
  if (!fs.existsSync(manifestPath)) continue;
  const { task } = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  if (!evaluators[task]) {
    console.error(`eval: no evaluator for task '${task}' of model ${id}`);
    process.exitCode = 1;
    continue;
  }
  byTask.set(task, [...(byTask.get(task) ?? []), id]);
}

const report = [];
for (const [task, ids] of byTask) {
  const out = jsonFile ? path.join(fs.mkdtempSync('/tmp/huabu-eval-'), 'report.json') : null;
  const run = spawnSync(process.execPath,
    [path.join(here, evaluators[task]), '--models', ids.join(','), ...passThrough, ...(out ? ['--json', out] : [])],
    { stdio: 'inherit' });
  if (run.status !== 0) process.exitCode = 1;
  if (out && fs.existsSync(out)) report.push({ task, ...JSON.parse(fs.readFileSync(out, 'utf8')) });
}
if (args.includes('--full')) {
  const full = runTorchEvals(path.resolve(modelsDir, '..'), [...byTask.values()].flat());
  if (!full.ok) process.exitCode = 1;
  report.push({ task: 'torch re-measurement', results: full.results });
}
if (jsonFile) fs.writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
