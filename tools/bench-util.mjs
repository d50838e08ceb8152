// Helpers shared by the benchmarks.

// The same photo-like pattern as make_test_image in bench/core_bench.cpp (integer math only,
// so both produce identical pixels). RGBA8, opaque.
export function makeTestImage(size) {
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let h = (Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca77)) >>> 0;
      h = (h ^ (h >>> 15)) >>> 0;
      h = Math.imul(h, 0x2c1b3c6d) >>> 0;
      h = (h ^ (h >>> 12)) >>> 0;
      const noise = h & 15;
      const checker = ((Math.floor(x / 32) + Math.floor(y / 32)) & 1) !== 0;
      const i = 4 * (y * size + x);
      data[i] = Math.min(255, Math.floor((x * 240) / (size - 1)) + noise);
      data[i + 1] = Math.min(255, Math.floor((y * 240) / (size - 1)) + noise);
      data[i + 2] = (checker ? 200 : 40) + noise;
      data[i + 3] = 255;
    }
  }
  return { width: size, height: size, data };
}

// Fastest wall time in ms of `reps` runs of `run` (sync or async) after one warm-up run
// (other load on a shared machine only adds time; see bench/core_bench.cpp).
export async function best(reps, run) {
  await run();
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return Math.min(...times);
}
