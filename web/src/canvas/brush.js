// How a pointer sample becomes a brush width.

/** Pressure of a pointer sample, 0..1. Mice (and pens that report 0) count as 0.5. */
export function effectivePressure(event) {
  if (event.pointerType === 'mouse' || !(event.pressure > 0)) return 0.5;
  return event.pressure;
}

/** Line width for a brush `size` at `pressure`: `size` at 0.5, 0.25x to 1.75x across 0..1. */
export function brushWidth(size, pressure) {
  return Math.max(0.5, size * (0.25 + 1.5 * pressure));
}
