// Where each style's SVGs come from: concept id -> () => SVG text, per style.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { normHex } from './hex.mjs';

const require = createRequire(import.meta.url);
export const pkgDir = (name) => dirname(require.resolve(`${name}/package.json`));
export const pkgJson = (name) => JSON.parse(readFileSync(join(pkgDir(name), 'package.json'), 'utf8'));
const readJson = (name, file) => JSON.parse(readFileSync(join(pkgDir(name), file), 'utf8'));

export const STYLES = {
  noto: { pkg: '@iconify-json/noto', desc: 'Google Noto Color Emoji (flat, soft outlines)' },
  twemoji: { pkg: '@iconify-json/twemoji', desc: 'Twemoji (flat, no outlines)' },
  openmoji: { pkg: 'openmoji', desc: 'OpenMoji colour (flat with black outlines)' },
  'fluent-flat': { pkg: '@iconify-json/fluent-emoji-flat', desc: 'Microsoft Fluent Emoji flat' },
  'fluent-3d': { pkg: '@iconify-json/fluent-emoji', desc: 'Microsoft Fluent Emoji colour with gradients (3D-like shading; SVG, not the PNG 3D renders)' },
  'openmoji-outline': { pkg: 'openmoji', desc: 'OpenMoji black line art, pixel-aligned with openmoji (sketch pairs)' },
};

/** Turn an iconify icon (with alias transforms) into a standalone square SVG. */
function iconifySvg(set, name) {
  let tr = { hFlip: false, vFlip: false, rotate: 0 };
  let n = name;
  for (let depth = 0; !set.icons[n]; depth++) {
    const a = set.aliases?.[n];
    if (!a || depth > 5) return null;
    tr = { hFlip: tr.hFlip !== !!a.hFlip, vFlip: tr.vFlip !== !!a.vFlip, rotate: tr.rotate + (a.rotate ?? 0) };
    n = a.parent;
  }
  const ic = set.icons[n];
  const left = ic.left ?? set.left ?? 0, top = ic.top ?? set.top ?? 0;
  const w = ic.width ?? set.width ?? 16, h = ic.height ?? set.height ?? 16;
  let body = ic.body;
  const cx = left + w / 2, cy = top + h / 2;
  if (tr.hFlip || tr.vFlip) body = `<g transform="translate(${cx} ${cy}) scale(${tr.hFlip ? -1 : 1} ${tr.vFlip ? -1 : 1}) translate(${-cx} ${-cy})">${body}</g>`;
  if (tr.rotate % 4) body = `<g transform="rotate(${(tr.rotate % 4) * 90} ${cx} ${cy})">${body}</g>`;
  const s = Math.max(w, h); // pad to a square so every raster is centred
  const vb = `${left - (s - w) / 2} ${top - (s - h) / 2} ${s} ${s}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="${vb}" width="128" height="128">${body}</svg>`;
}

/** Map concept id -> { name, svg() } for an iconify set; `charsFrom` borrows another set's chars.json. */
function iconifySource(pkg, charsFrom = pkg) {
  const set = readJson(pkg, 'icons.json');
  const chars = readJson(charsFrom, 'chars.json');
  const out = new Map();
  for (const [hex, name] of Object.entries(chars)) {
    if (!set.icons[name] && !set.aliases?.[name]) continue;
    const id = normHex(hex);
    if (!out.has(id)) out.set(id, { name, svg: () => iconifySvg(set, name) });
  }
  return out;
}

function openmojiSource(sub) {
  const dir = join(pkgDir('openmoji'), sub, 'svg');
  const out = new Map();
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.svg')) continue;
    const id = normHex(f.slice(0, -4));
    if (!out.has(id)) out.set(id, { name: f, svg: () => readFileSync(join(dir, f), 'utf8') });
  }
  return out;
}

export function loadSources() {
  return {
    noto: iconifySource('@iconify-json/noto'),
    twemoji: iconifySource('@iconify-json/twemoji'),
    openmoji: openmojiSource('color'),
    'fluent-flat': iconifySource('@iconify-json/fluent-emoji-flat'),
    // the gradient set ships no chars.json; its icon names are the flat set's
    'fluent-3d': iconifySource('@iconify-json/fluent-emoji', '@iconify-json/fluent-emoji-flat'),
    'openmoji-outline': openmojiSource('black'),
  };
}
