// The concept table: one record per emoji concept, with English and Chinese names/tags, from
// emojibase-data (labels in en, zh, zh-hant), emojilib (extra English keywords) and openmoji's
// annotations (its own extra, non-Unicode emoji and English tags).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pkgDir } from './sources.mjs';
import { normHex, hexOfChar, hasSkinTone, familyOf, charOf } from './hex.mjs';

const json = (pkg, file) => JSON.parse(readFileSync(join(pkgDir(pkg), file), 'utf8'));
const uniq = (xs) => [...new Set(xs.filter(Boolean))];
const splitTags = (s) => (s ? s.split(',').map((t) => t.trim()).filter(Boolean) : []);

// openmoji extras not worth training on: company logos (trademarks) and bare letters.
const SKIP_EXTRA_SUBGROUPS = new Set(['brand', 'regional-indicator']);

/**
 * Returns { concepts: Map(id -> record), dropped: {skinTone, component, ...} }.
 * Skin-tone variants are dropped (kept: the base); gender/hair variants are kept but share a
 * `family` and get weight 1/family_size so a trainer can count the family once.
 */
export function buildConcepts() {
  const en = json('emojibase-data', 'en/data.json');
  const zhById = new Map(json('emojibase-data', 'zh/data.json').map((e) => [normHex(e.hexcode), e]));
  const zhtById = new Map(json('emojibase-data', 'zh-hant/data.json').map((e) => [normHex(e.hexcode), e]));
  const msg = { en: json('emojibase-data', 'en/messages.json'), zh: json('emojibase-data', 'zh/messages.json') };
  const groupKey = (m, g) => m.groups.find((x) => x.order === g);
  const subKey = (m, s) => m.subgroups.find((x) => x.order === s);
  const emojilib = new Map(Object.entries(json('emojilib', 'dist/emoji-en-US.json')).map(([ch, kw]) => [hexOfChar(ch).replace(/-FE0F/g, ''), kw]));
  const om = json('openmoji', 'data/openmoji.json');
  const omById = new Map(om.map((e) => [normHex(e.hexcode), e]));

  const concepts = new Map();
  const dropped = { skinTone: 0, skinToneSwatch: 0, regionalIndicator: 0, openmojiBrand: 0 };
  for (const e of en) {
    dropped.skinTone += e.skins?.length ?? 0; // emojibase nests tone variants under their base
    const id = normHex(e.hexcode);
    if (e.group === undefined) { dropped.regionalIndicator++; continue; }
    if (hasSkinTone(id)) { dropped.skinToneSwatch++; continue; }
    const zh = zhById.get(id), zht = zhtById.get(id), o = omById.get(id);
    const tags = uniq(e.tags ?? []);
    concepts.set(id, {
      id, emoji: e.emoji ?? charOf(id), source: 'unicode',
      name: e.label, tags,
      keywords: uniq([...(emojilib.get(id) ?? []).map((k) => k.replace(/_/g, ' ')),
        ...splitTags(o?.openmoji_tags)]).filter((k) => k !== e.label && !tags.includes(k)),
      name_zh: zh?.label ?? null, tags_zh: uniq(zh?.tags ?? []),
      name_zh_hant: zht?.label ?? null, tags_zh_hant: uniq(zht?.tags ?? []),
      group: groupKey(msg.en, e.group)?.key ?? null, subgroup: subKey(msg.en, e.subgroup)?.key ?? null,
      group_zh: groupKey(msg.zh, e.group)?.message ?? null,
    });
  }
  // OpenMoji's extras (its own designs and non-RGI Unicode such as subdivision flags)
  for (const o of om) {
    const id = normHex(o.hexcode);
    if (concepts.has(id) || !o.group.startsWith('extras')) continue;
    if (SKIP_EXTRA_SUBGROUPS.has(o.subgroups)) { if (o.subgroups === 'brand') dropped.openmojiBrand++; continue; }
    if (hasSkinTone(id)) { dropped.skinTone++; continue; }
    concepts.set(id, {
      id, emoji: o.emoji || null, source: o.group, name: o.annotation, tags: uniq(splitTags(o.tags)),
      keywords: uniq(splitTags(o.openmoji_tags)), name_zh: null, tags_zh: [], name_zh_hant: null, tags_zh_hant: [],
      group: o.group, subgroup: o.subgroups, group_zh: null,
    });
  }
  // families: gender/hair variants of one idea
  const fam = new Map();
  for (const c of concepts.values()) {
    const f = familyOf(c.id);
    c.family = concepts.has(f) ? f : null; // resolved below when the neutral form is missing
    fam.set(f, [...(fam.get(f) ?? []), c.id]);
  }
  for (const [f, ids] of fam) {
    const base = concepts.has(f) ? f : ids[0];
    for (const id of ids) Object.assign(concepts.get(id), { family: base, family_size: ids.length, weight: 1 / ids.length });
  }
  return { concepts, dropped };
}
