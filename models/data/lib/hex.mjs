// Codepoint-sequence keys and the variant rules (skin tone, gender, hair) shared by every builder.
// A concept id is the uppercase hex sequence without FE0F (variation selectors differ between
// sets and do not change the picture), e.g. "1F98A", "1F469-200D-1F373", "0023-20E3".

const FE0F = 0xfe0f, ZWJ = 0x200d;
export const SKIN_TONES = [0x1f3fb, 0x1f3fc, 0x1f3fd, 0x1f3fe, 0x1f3ff];

const fmt = (cp) => cp.toString(16).toUpperCase().padStart(4, '0');

/** "1f44b-fe0f" | "1F44B" | "0030-20e3" -> "1F44B", "0030-20E3" */
export function normHex(hex) {
  return hex.split(/[-_ ]/).filter(Boolean).map((h) => parseInt(h, 16))
    .filter((cp) => cp !== FE0F).map(fmt).join('-');
}

export const hexOfChar = (s) => [...s].map((c) => fmt(c.codePointAt(0))).join('-');
export const cps = (id) => id.split('-').map((h) => parseInt(h, 16));
export const charOf = (id) => String.fromCodePoint(...cps(id));
export const hasSkinTone = (id) => cps(id).some((cp) => SKIN_TONES.includes(cp));

// Gender/age/crown triples drawn as one idea: collapse to the gender-neutral codepoint.
const NEUTRAL = new Map([
  [0x1f468, 0x1f9d1], [0x1f469, 0x1f9d1], [0x1f471, 0x1f9d1], // man, woman, blond person -> person
  [0x1f466, 0x1f9d2], [0x1f467, 0x1f9d2],                      // boy, girl -> child
  [0x1f474, 0x1f9d3], [0x1f475, 0x1f9d3],                      // old man/woman -> older person
  [0x1f934, 0x1fac5], [0x1f478, 0x1fac5],                      // prince/princess -> person with crown
]);
const PERSONS = new Set([0x1f9d1, 0x1f9d2]);
const HAIR = new Set([0x1f9b0, 0x1f9b1, 0x1f9b2, 0x1f9b3]);
const GENDER_SIGNS = new Set([0x2640, 0x2642]);
const HOLDING_HANDS = new Set([0x1f46b, 0x1f46c, 0x1f46d]);

/**
 * Family key of a (skin-tone-free) concept id: gender and hair variants of one idea share it,
 * so they can be down-weighted together and kept on the same side of the split.
 */
export function familyOf(id) {
  let seq = cps(id);
  if (seq.length === 1 && HOLDING_HANDS.has(seq[0])) return '1F9D1-200D-1F91D-200D-1F9D1';
  // drop "ZWJ + gender sign" and "ZWJ + hair component" when they modify something else
  const out = [];
  for (let i = 0; i < seq.length; i++) {
    if (seq[i] === ZWJ && i + 1 < seq.length && i > 0 &&
        (GENDER_SIGNS.has(seq[i + 1]) || HAIR.has(seq[i + 1]))) { i++; continue; }
    out.push(seq[i]);
  }
  seq = out.map((cp) => NEUTRAL.get(cp) ?? cp);
  const parts = seq.filter((cp) => cp !== ZWJ);
  if (parts.length > 1 && parts.every((cp) => PERSONS.has(cp))) return '1F46A';          // family
  if (parts.length > 2 && parts.includes(0x2764) && parts.includes(0x1f48b)) return '1F48F'; // kiss
  if (parts.length === 3 && parts.includes(0x2764) && PERSONS.has(parts[0])) return '1F491'; // couple with heart
  return seq.map(fmt).join('-');
}
