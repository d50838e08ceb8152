// Median-cut palette and nearest-colour quantisation with Floyd-Steinberg dithering
// (core/src/filters/palette.cpp, quantize.cpp).

export function extractPalette(img, colors) {
  const count = new Float64Array(32768), sums = new Float64Array(3 * 32768);
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] === 0) continue;
    const bin = ((d[i] >> 3) << 10) | ((d[i + 1] >> 3) << 5) | (d[i + 2] >> 3);
    count[bin]++;
    sums[3 * bin] += d[i];
    sums[3 * bin + 1] += d[i + 1];
    sums[3 * bin + 2] += d[i + 2];
  }
  const channel = (bin, c) => (bin >> (10 - 5 * c)) & 31;
  const makeBox = (bins) => {
    const box = { bins, count: 0, lo: [31, 31, 31], hi: [0, 0, 0] };
    for (const b of bins) {
      box.count += count[b];
      for (let c = 0; c < 3; c++) {
        box.lo[c] = Math.min(box.lo[c], channel(b, c));
        box.hi[c] = Math.max(box.hi[c], channel(b, c));
      }
    }
    return box;
  };
  const priority = (box) => (box.bins.length < 2 ? 0 : box.count * (box.hi[0] - box.lo[0] + 1) * (box.hi[1] - box.lo[1] + 1) * (box.hi[2] - box.lo[2] + 1));
  const occupied = [];
  for (let b = 0; b < 32768; b++) if (count[b] > 0) occupied.push(b);
  const boxes = [makeBox(occupied)];
  while (boxes.length < colors) {
    let best = 0;
    for (let i = 1; i < boxes.length; i++) if (priority(boxes[i]) > priority(boxes[best])) best = i;
    if (priority(boxes[best]) === 0) break;
    const box = boxes[best];
    let axis = 0;
    for (let c = 1; c < 3; c++) if (box.hi[c] - box.lo[c] > box.hi[axis] - box.lo[axis]) axis = c;
    // The median in "channel, then bin" order from a 32-value histogram of the channel (the
    // boxes' bins stay in bin order), as the C++ does.
    const pixelsAt = new Float64Array(32), binsAt = new Int32Array(32);
    for (const b of box.bins) { pixelsAt[channel(b, axis)] += count[b]; binsAt[channel(b, axis)]++; }
    const last = box.bins.length - 1;
    let running = 0, position = 0, cutValue = 0;
    while (position + binsAt[cutValue] <= last && 2 * (running + pixelsAt[cutValue]) < box.count) {
      running += pixelsAt[cutValue];
      position += binsAt[cutValue++];
    }
    let take = 0;
    for (const b of box.bins) {
      if (channel(b, axis) !== cutValue) continue;
      if (position + take === last) break;
      running += count[b];
      take++;
      if (2 * running >= box.count) break;
    }
    const lo = [], hi = [];
    for (const b of box.bins) {
      const v = channel(b, axis);
      if (v < cutValue || (v === cutValue && take-- > 0)) lo.push(b); else hi.push(b);
    }
    boxes[best] = makeBox(lo);
    boxes.push(makeBox(hi));
  }
  boxes.sort((a, b) => b.count - a.count);
  return boxes.map((box) => {
    const s = [0, 0, 0];
    for (const b of box.bins) for (let c = 0; c < 3; c++) s[c] += sums[3 * b + c];
    return s.map((v) => Math.floor((v + Math.floor(box.count / 2)) / box.count));
  });
}

export function quantizeFloydSteinberg(img, palette) {
  const { width: w, height: h } = img;
  const out = new Uint8Array(img.data);
  let cur = new Int32Array(3 * (w + 2)), next = new Int32Array(3 * (w + 2));
  for (let y = 0; y < h; y++) {
    next.fill(0);
    const dir = y & 1 ? -1 : 1;
    for (let i = 0; i < w; i++) {
      const x = dir < 0 ? w - 1 - i : i;
      const o = 4 * (y * w + x);
      const v = [0, 1, 2].map((c) => Math.min(255, Math.max(0, img.data[o + c] + ((cur[3 * (x + 1) + c] + 8) >> 4))));
      let best = 0, bestD = Infinity;
      for (let p = 0; p < palette.length; p++) {
        const dr = v[0] - palette[p][0], dg = v[1] - palette[p][1], db = v[2] - palette[p][2];
        const d = dr * dr + dg * dg + db * db;
        if (d < bestD) { bestD = d; best = p; }
      }
      for (let c = 0; c < 3; c++) {
        out[o + c] = palette[best][c];
        const err = v[c] - palette[best][c];
        cur[3 * (x + 1 + dir) + c] += 7 * err;
        next[3 * (x + 1 - dir) + c] += 3 * err;
        next[3 * (x + 1) + c] += 5 * err;
        next[3 * (x + 1 + dir) + c] += err;
      }
    }
    [cur, next] = [next, cur];
  }
  return { width: w, height: h, data: out };
}

export function posterize(img, { colors = 16 } = {}) {
  return quantizeFloydSteinberg(img, extractPalette(img, colors));
}
