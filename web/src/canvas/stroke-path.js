// A stroke's outline from its points, drawn by perfect-freehand (pressure-sensitive width,
// smoothing and tapering). The same function draws live strokes and stored ones, so what
// the person sees while drawing is what every peer renders from the document.

import { getStroke } from 'perfect-freehand';

// Devices without pressure (mice) record 0.5 on every point; such strokes get
// perfect-freehand's simulated pressure (from speed) instead of a flat width.
export const noPressure = 0.5;

/** True when every point of the flat [x, y, pressure, ...] array has pressure 0.5. */
export function lacksPressure(points) {
  for (let i = 2; i < points.length; i += 3) if (points[i] !== noPressure) return false;
  return true;
}

/**
 * The outline polygon [[x, y], ...] of a stroke. `size` is the width at pressure 0.5;
 * thinning 0.7 spans about 0.45x (light) to 1.7x (full pressure). `complete` is false while
 * the stroke is being drawn (the end is not tapered yet).
 */
export function strokeOutline(points, size, complete = true) {
  const triples = [];
  for (let i = 0; i + 2 < points.length; i += 3) triples.push([points[i], points[i + 1], points[i + 2]]);
  return getStroke(triples, {
    size,
    thinning: 0.7,
    smoothing: 0.5,
    streamline: 0.4,
    simulatePressure: lacksPressure(points),
    last: complete,
  });
}

/**
 * A Path2D of the stroke's outline, ready to fill. The outline's corners are rounded with
 * quadratic curves through the midpoints of its edges, so sparse samples (fast strokes) do
 * not show as facets.
 */
export function strokePath(points, size, complete = true) {
  const outline = strokeOutline(points, size, complete);
  const path = new Path2D();
  const n = outline.length;
  if (n < 3) return path;
  const mid = (a, b) => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const start = mid(outline[0], outline[1]);
  path.moveTo(start[0], start[1]);
  for (let i = 1; i <= n; i++) {
    const corner = outline[i % n];
    const next = mid(corner, outline[(i + 1) % n]);
    path.quadraticCurveTo(corner[0], corner[1], next[0], next[1]);
  }
  path.closePath();
  return path;
}
