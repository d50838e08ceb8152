// Child process: renders SVGs with resvg-js. Kept out of the parent because resvg aborts the
// whole process on a few SVGs; the parent then re-renders that one file with rsvg-convert.
import { writeFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';

process.on('message', (jobs) => {
  for (const { key, svg, out, size } of jobs) {
    const png = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();
    writeFileSync(out, png);
    process.send({ key });
  }
});
