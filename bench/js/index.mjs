// The JS baselines by operation name, as tools/bench.mjs calls them.
import { cartoon } from './cartoon.mjs';
import { colorTransfer } from './colortransfer.mjs';
import { halftone } from './halftone.mjs';
import { ink } from './ink.mjs';
import { lineart } from './lineart.mjs';
import { oil } from './oil.mjs';
import { extractPalette, posterize } from './palette.mjs';
import { pixelart } from './pixelart.mjs';
import { watercolor } from './watercolor.mjs';

export const jsBaselines = {
  lineart, ink, oil, watercolor, cartoon, pixelart, halftone, posterize,
  colortransfer: (img, reference) => colorTransfer(img, reference, 1),
  palette16: (img) => extractPalette(img, 16),
};
