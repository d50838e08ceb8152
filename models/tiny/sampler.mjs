// huabu-tiny reference sampler in JS (Node tests and evaluation; the app's sampler is the
// C++ core's job). Same maths as models/tiny/tinylib.py: Philox4x32-10 noise (key = seed
// lo/hi, counter = block lo/hi, stream lo/hi; Box-Muller in float64), Euler steps from t = 1
// to t = 0 over the rectified-flow velocity, classifier-free guidance with an empty prompt
// of the same style as the unconditional branch, on the steps that start at t > guidanceAbove
// (later steps run the prompt's branch alone).
//
//   const noise = philoxNormal(42n, 0n, 3 * 32 * 32);        // image i uses stream i
//   const img = await sampleTiny(ort, {text, unet}, ids, styles, noise, {steps: 12, guidance: 4});

const M0 = 0xd2511f53n, M1 = 0xcd9e8d57n, W0 = 0x9e3779b9n, W1 = 0xbb67ae85n, MASK = 0xffffffffn;

export function philox4x32_10(ctr, key) {
  let [c0, c1, c2, c3] = ctr.map(BigInt);
  let [k0, k1] = key.map(BigInt);
  for (let r = 0; r < 10; r++) {
    const p0 = M0 * c0, p1 = M1 * c2;
    [c0, c1, c2, c3] = [((p1 >> 32n) ^ c1 ^ k0) & MASK, p1 & MASK, ((p0 >> 32n) ^ c3 ^ k1) & MASK, p0 & MASK];
    k0 = (k0 + W0) & MASK;
    k1 = (k1 + W1) & MASK;
  }
  return [c0, c1, c2, c3].map(Number);
}

export function philoxU32(seed, stream, count) {
  seed = BigInt(seed); stream = BigInt(stream);
  const out = new Uint32Array(count);
  const key = [seed & MASK, (seed >> 32n) & MASK];
  for (let n = 0, i = 0; i < count; n++) {
    const w = philox4x32_10([BigInt(n) & MASK, BigInt(n) >> 32n, stream & MASK, (stream >> 32n) & MASK], key);
    for (let j = 0; j < 4 && i < count; j++) out[i++] = w[j];
  }
  return out;
}

export function philoxNormal(seed, stream, count) {
  const w = philoxU32(seed, stream, count + (count & 1));
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(((w[i] >>> 8) + 1) * 2 ** -24));
    const t = 2 * Math.PI * (w[i + 1] >>> 8) * 2 ** -24;
    out[i] = r * Math.cos(t);
    if (i + 1 < count) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

// n images of [3,32,32] noise: image i = philoxNormal(seed, stream0 + i).
export function seedNoise(seed, n, stream0 = 0) {
  const per = 3 * 32 * 32, out = new Float32Array(n * per);
  for (let i = 0; i < n; i++) out.set(philoxNormal(seed, BigInt(stream0 + i), per), i * per);
  return out;
}

export function timeGrid(steps, shift = 1) {
  return Array.from({ length: steps + 1 }, (_, i) => {
    const t = Math.fround(1 - i / steps);
    return (shift * t) / (1 + (shift - 1) * t);
  });
}

// ids: BigInt64Array [B*L] (L = 16), styles: BigInt64Array [B], noise: Float32Array [B*3*32*32].
// Returns Float32Array [B,3,32,32] in [-1, 1].
export async function sampleTiny(ort, { text, unet }, ids, styles, noise, { steps = 12, guidance = 4, guidanceAbove = 0, shift = 1 } = {}) {
  const B = styles.length, L = ids.length / B, per = 3 * 32 * 32;
  const allIds = new BigInt64Array(2 * B * L);
  allIds.set(ids); // second half: empty prompt (all pad)
  const allStyles = new BigInt64Array(2 * B);
  allStyles.set(styles); allStyles.set(styles, B);
  const { cond } = await text.run({
    input_ids: new ort.Tensor('int64', allIds, [2 * B, L]),
    style_id: new ort.Tensor('int64', allStyles, [2 * B]),
  });
  const x = Float32Array.from(noise);
  const ts = timeGrid(steps, shift);
  const condOnly = new ort.Tensor('float32', cond.data.subarray(0, cond.data.length / 2), [B, cond.dims[1]]);
  for (let s = 0; s < steps; s++) {
    const guided = ts[s] > guidanceAbove;
    const rows = guided ? 2 * B : B;
    const xx = new Float32Array(rows * per);
    xx.set(x); if (guided) xx.set(x, B * per);
    const { velocity } = await unet.run({
      sample: new ort.Tensor('float32', xx, [rows, 3, 32, 32]),
      timestep: new ort.Tensor('float32', new Float32Array(rows).fill(ts[s]), [rows]),
      cond: guided ? cond : condOnly,
    });
    const v = velocity.data, dt = ts[s + 1] - ts[s];
    for (let i = 0; i < B * per; i++) {
      const vu = v[B * per + i];
      x[i] += guided ? dt * (vu + guidance * (v[i] - vu)) : dt * v[i];
    }
  }
  for (let i = 0; i < x.length; i++) x[i] = Math.min(1, Math.max(-1, x[i]));
  return x;
}
