// What a pointer sample records: the pressure stored with each stroke point.

import { noPressure } from './stroke-path.js';

/**
 * Pressure of a pointer sample, 0..1. Mice, and pens or fingers that report no pressure,
 * record 0.5, which the renderer reads as "simulate pressure from speed".
 */
export function effectivePressure(event) {
  if (event.pointerType === 'mouse' || !(event.pressure > 0)) return noPressure;
  return event.pressure;
}
