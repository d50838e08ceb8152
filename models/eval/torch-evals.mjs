// ./huabu eval --full: re-runs the torch evaluators of the models trained here on their
// committed checkpoints and compares every number with the one recorded in metrics.json.
// They need Debian's /usr/bin/python3 with torch (scripts/setup-training.sh) and the dataset
// (models/data/build.sh); without them this says what is missing and fails. Slow: about
// 15-30 minutes on 2 cores (the text-to-image evaluation samples 1,364 images).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const python = '/usr/bin/python3';
// What produced each model's recorded numbers (its metrics.json "command"), on the committed checkpoint.
// huabu-tiny's sampler settings come from the recorded metrics themselves (below), so a later
// change of the manifest's defaults cannot make the rerun measure something else.
const runs = {
  'huabu-tiny': ['models/eval/tiny-eval.py', '--n', '2', '--ckpt', 'models/huabu-tiny/checkpoint/huabu-tiny.pt'],
  'huabu-sketch': ['models/eval/sketch-eval.py', '--ckpt', 'models/huabu-sketch/checkpoint/huabu-sketch.pt'],
  // The committed checkpoint keeps the shipped generator under "G_ema", raw or EMA (its "exported_weights" says which).
  'huabu-style': ['models/eval/style-eval.py', '--weights', 'G_ema', '--ckpt', 'models/huabu-style/checkpoint/huabu-style.pt'],
};
// Wall-clock and provenance fields are not results.
const skipped = /(^|\.)(seconds|date|command|train_minutes)$/;

function numbers(value, prefix = '', out = new Map()) {
  if (typeof value === 'number') out.set(prefix, value);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) numbers(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

/** The text-to-image sampler a metrics.json was measured with, as tiny-eval.py flags (none for other models). */
export function recordedSamplerArgs(recordedEval) {
  const s = recordedEval?.sampler;
  if (!s) return [];
  const flags = { steps: '--steps', guidance: '--guidance', guidance_above: '--guidance-above', shift: '--shift' };
  return Object.entries(flags).flatMap(([key, flag]) => (typeof s[key] === 'number' ? [flag, String(s[key])] : []));
}

/** The torch thread count in the recorded command, as a flag: the number of threads changes the
 * order of float sums, and a score that sits on a rank boundary can flip with it. */
export function recordedThreadArgs(recordedEval) {
  const m = /--threads[ =](\d+)/.exec(recordedEval?.command ?? '');
  return m ? ['--threads', m[1]] : [];
}

/** Re-measures `ids` (those with a torch evaluator); returns {ok, results: [{id, compared, differ: [...]}]}. */
export function runTorchEvals(root, ids) {
  const missing = [];
  if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) missing.push(`torch for ${python} (scripts/setup-training.sh)`);
  if (!fs.existsSync(path.join(root, '.cache/data/manifest.jsonl'))) missing.push('the dataset (models/data/build.sh)');
  if (missing.length) {
    console.error(`eval --full: needs ${missing.join(' and ')}`);
    return { ok: false, results: [] };
  }
  const results = [];
  let ok = true;
  for (const id of ids.filter((i) => runs[i])) {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'huabu-eval-full-')), `${id}.json`);
    const recordedEval = JSON.parse(fs.readFileSync(path.join(root, 'models', id, 'metrics.json'), 'utf8')).eval;
    const args = [...runs[id], ...recordedThreadArgs(recordedEval), ...recordedSamplerArgs(recordedEval)];
    console.log(`\n${id}: ${python} ${args.join(' ')}`);
    const run = spawnSync('nice', ['-n', '10', python, ...args, '--json', out], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    const measuredText = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : null;
    fs.rmSync(path.dirname(out), { recursive: true, force: true }); // one temp dir per run: do not leave them behind
    if (run.status !== 0 || measuredText === null) {
      console.error(`${id}: the evaluator failed (exit ${run.status})`);
      ok = false;
      continue;
    }
    const recorded = numbers(recordedEval);
    const measured = numbers(JSON.parse(measuredText).eval);
    const differ = [];
    let compared = 0;
    for (const [key, want] of recorded) {
      if (skipped.test(key)) continue;
      const got = measured.get(key);
      compared++;
      // Rates and dB agree to rounding; thread counts can reorder float sums slightly.
      if (got === undefined || Math.abs(got - want) > 1e-3 + 1e-3 * Math.abs(want)) differ.push({ key, recorded: want, measured: got });
    }
    console.log(`${id}: ${compared - differ.length} of ${compared} recorded numbers reproduced`);
    for (const d of differ) console.log(`  ${d.key}: recorded ${d.recorded}, measured ${d.measured}`);
    if (differ.length) ok = false;
    results.push({ id, compared, differ });
  }
  return { ok, results };
}
