// Builds the emoji training set into .cache/data/ (see README.md): concept table, 128 px RGBA
// rasters per style (incremental: an SVG is re-rendered only when its text changes), manifest.
// Run after `npm ci` in models/data; models/data/build.sh also packs arrays and writes the split.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConcepts } from './lib/concepts.mjs';
import { loadSources, pkgJson, STYLES } from './lib/sources.mjs';
import { rasterise } from './lib/raster.mjs';
import { hasSkinTone } from './lib/hex.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = process.env.HUABU_DATA_DIR ?? join(HERE, '../../.cache/data');
const SIZE = 128;
const DRAWS = /<(path|circle|ellipse|rect|polygon|polyline|line|use|image|text)\b/;
const t0 = Date.now();
// rewrite outputs only when they change, so pack.py (which compares mtimes) can skip
const writeIfChanged = (p, text) => { if (!existsSync(p) || readFileSync(p, 'utf8') !== text) writeFileSync(p, text); };
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

const { concepts, dropped } = buildConcepts();
const sources = loadSources();
log(`concepts: ${concepts.size} (dropped ${JSON.stringify(dropped)})`);

// --- per-style counts before/after skin-tone dedup, and the render jobs
const renderer = `resvg-js@${pkgJson('@resvg/resvg-js').version}`;
const indexPath = join(OUT, 'raster-index.json');
const index = existsSync(indexPath) ? JSON.parse(readFileSync(indexPath, 'utf8')) : {};
const stats = { styles: {} };
const jobs = [];
const images = []; // [{concept, style, png, sha}]
for (const [style, src] of Object.entries(sources)) {
  const s = { files: src.size, skin_tone_variants: 0, no_concept: 0, empty_svg: 0, kept: 0 };
  mkdirSync(join(OUT, `png${SIZE}`, style), { recursive: true });
  for (const [id, entry] of src) {
    if (hasSkinTone(id)) { s.skin_tone_variants++; continue; }
    if (!concepts.has(id)) { s.no_concept++; continue; }
    const svg = entry.svg();
    if (!svg) { s.no_concept++; continue; }
    if (!DRAWS.test(svg)) { s.empty_svg++; continue; } // e.g. openmoji's outline of 1F195 is empty
    const sha = createHash('sha256').update(svg).digest('hex');
    const png = join(OUT, `png${SIZE}`, style, `${id}.png`);
    const key = `${style}/${id}`;
    images.push({ concept: id, style, png: relative(OUT, png), sha });
    s.kept++;
    if (index[key]?.sha === sha && index[key]?.size === SIZE && existsSync(png)) continue;
    jobs.push({ key, svg, out: png, size: SIZE, sha });
  }
  stats.styles[style] = s;
  log(`${style}: ${JSON.stringify(s)}`);
}

// --- render what is new or changed
log(`rendering ${jobs.length} of ${images.length} images (${renderer}, fallback rsvg-convert)`);
let last = 0;
const how = await rasterise(jobs, (n, total) => {
  if (n - last >= 1000 || n === total) { last = n; log(`  rendered ${n}/${total}`); }
});
const fallbacks = [];
for (const j of jobs) {
  const r = how.get(j.key);
  if (r === 'failed') { delete index[j.key]; continue; }
  index[j.key] = { sha: j.sha, size: SIZE, renderer: r === 'resvg' ? renderer : 'rsvg-convert' };
  if (r !== 'resvg') fallbacks.push(`${j.key}: ${r}`);
}
writeFileSync(indexPath, JSON.stringify(index));
if (fallbacks.length) log(`not rendered by resvg: ${fallbacks.join(', ')}`);

// --- outputs: concepts.json, styles.json, manifest.jsonl (row i = row i of the packed arrays)
const ok = images.filter((im) => index[`${im.style}/${im.concept}`]);
const styleNames = Object.keys(STYLES);
const byConcept = new Map();
for (const im of ok) byConcept.set(im.concept, { ...byConcept.get(im.concept), [im.style]: im.png });
const list = [...concepts.values()].filter((c) => byConcept.has(c.id)).map((c) => ({ ...c, styles: byConcept.get(c.id) }));
// family sizes count only concepts that have images
const famSize = new Map();
for (const c of list) famSize.set(c.family, (famSize.get(c.family) ?? 0) + 1);
for (const c of list) Object.assign(c, { family_size: famSize.get(c.family), weight: 1 / famSize.get(c.family) });
const cIndex = new Map(list.map((c, i) => [c.id, i]));
ok.sort((a, b) => cIndex.get(a.concept) - cIndex.get(b.concept) || styleNames.indexOf(a.style) - styleNames.indexOf(b.style));
writeIfChanged(join(OUT, 'concepts.json'), JSON.stringify(list));
writeIfChanged(join(OUT, 'manifest.jsonl'), ok.map((im, i) => JSON.stringify({
  i, concept: im.concept, c: cIndex.get(im.concept), style: im.style, s: styleNames.indexOf(im.style),
  png: im.png, svg_sha256: im.sha, renderer: index[`${im.style}/${im.concept}`].renderer,
})).join('\n') + '\n');
const styles = Object.fromEntries(styleNames.map((st) => {
  const p = pkgJson(STYLES[st].pkg);
  return [st, { index: styleNames.indexOf(st), desc: STYLES[st].desc, package: `${p.name}@${p.version}`,
    license: p.license, share_alike: /-SA-/.test(p.license), // see LICENSES.md: exclude these to avoid CC-BY-SA weights
    images: ok.filter((im) => im.style === st).length }];
}));
writeIfChanged(join(OUT, 'styles.json'), JSON.stringify(styles, null, 1));

const families = new Set(list.map((c) => c.family));
Object.assign(stats, {
  concepts_with_images: list.length, concepts_without_images: concepts.size - list.length,
  families: families.size, concepts_in_multi_families: list.filter((c) => c.family_size > 1).length,
  images: ok.length, rendered_now: jobs.length, fallbacks, dropped,
  per_group: Object.fromEntries([...new Set(list.map((c) => c.group))].map((g) => [g, list.filter((c) => c.group === g).length])),
  seconds: (Date.now() - t0) / 1000,
});
writeFileSync(join(OUT, 'build-stats.json'), JSON.stringify(stats, null, 1));
log(`done: ${list.length} concepts, ${families.size} families, ${ok.length} images -> ${OUT}`);
