// Tensors between the core's diffusers pipeline (float32 / int64) and a graph's declared
// dtypes: float32 -> float16 (round to nearest even, as IEEE 754 conversion) and int64 -> int32
// on the way in, float16 -> float32 on the way out. ONNX Runtime takes float16 data as the raw
// bits in a Uint16Array (or a Float16Array where the JS engine has one).

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE binary16 bits of `value` (round half to even; overflow -> infinity, NaN kept). */
export function float32ToFloat16Bits(value) {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0); // inf / NaN
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // too large: infinity
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal: zero
    mantissa |= 0x800000; // subnormal: shift in the implicit bit, round half to even
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mantissa & ((1 << shift) - 1);
    let bits = mantissa >>> shift;
    if (rest > half || (rest === half && (bits & 1))) bits++;
    return sign | bits;
  }
  let bits = sign | (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (bits & 1))) bits++; // may carry into the exponent: still right
  return bits;
}

/** The float value of binary16 `bits`. */
export function float16BitsToFloat32(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** A core run input {dtype, shape, data, graphDtype} as the ORT tensor its graph declares. */
export function toGraphTensor(ort, { dtype, shape, data, graphDtype }) {
  if (graphDtype === 'float16' && dtype === 'float32') {
    const bits = new Uint16Array(data.length);
    for (let i = 0; i < data.length; i++) bits[i] = float32ToFloat16Bits(data[i]);
    return new ort.Tensor('float16', bits, shape);
  }
  if (graphDtype === 'int32' && dtype === 'int64') return new ort.Tensor('int32', Int32Array.from(data, Number), shape);
  return new ort.Tensor(dtype, data, shape);
}

/** An ORT output as the core takes it: float16 widened to float32, others as they are. */
export function fromGraphTensor(tensor) {
  const shape = Array.from(tensor.dims);
  if (tensor.type !== 'float16') return { dtype: tensor.type, shape, data: tensor.data };
  const { data } = tensor;
  const out = new Float32Array(data.length);
  if (data instanceof Uint16Array) {
    for (let i = 0; i < data.length; i++) out[i] = float16BitsToFloat32(data[i]);
  } else {
    out.set(data); // a Float16Array
  }
  return { dtype: 'float32', shape, data: out };
}
