// Rasterises SVG strings to size x size RGBA PNGs: resvg-js in a child process (fast), falling
// back to rsvg-convert for any SVG that kills the child or that resvg rejects.
import { fork, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./raster_worker.mjs', import.meta.url));
const BATCH = 64;

function rsvgConvert({ svg, out, size }) {
  execFileSync('rsvg-convert', ['-w', String(size), '-h', String(size), '-f', 'png', '-o', out], { input: svg });
}

/** jobs: [{ key, svg, out, size }] -> Map(key -> 'resvg' | 'rsvg-convert' | 'failed') */
export async function rasterise(jobs, onProgress = () => {}) {
  const done = new Map();
  const queue = [...jobs];
  const byKey = new Map(jobs.map((j) => [j.key, j]));
  while (queue.length) {
    // one child at a time: the machine has 2 shared cores
    await new Promise((resolve) => {
      const child = fork(WORKER, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      child.stderr.on('data', () => {});
      let pending = [];
      const feed = () => {
        if (!queue.length) { child.disconnect(); return; }
        pending = queue.splice(0, BATCH);
        child.send(pending);
      };
      child.on('message', ({ key }) => {
        done.set(key, 'resvg');
        pending = pending.filter((j) => j.key !== key);
        onProgress(done.size, jobs.length);
        if (!pending.length) feed();
      });
      child.on('exit', () => {
        if (pending.length) {
          const bad = pending.shift(); // the job it was rendering when it died
          try { rsvgConvert(bad); done.set(bad.key, 'rsvg-convert'); } catch { done.set(bad.key, 'failed'); }
          queue.unshift(...pending);
        }
        resolve();
      });
      feed();
    });
  }
  for (const k of byKey.keys()) if (!done.has(k)) done.set(k, 'failed');
  return done;
}
