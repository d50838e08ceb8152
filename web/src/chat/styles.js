// huabu-tiny's styles by the names its manifest gives them (text.styles in
// models/huabu-tiny/manifest.json maps each to its style id): the request carries the name.

export const styleNames = ['noto', 'twemoji', 'openmoji', 'fluent-flat', 'fluent-3d', 'openmoji-outline', 'any'];
export const defaultStyle = 'any';

// The emoji sets huabu-style can redraw a picture in (Restyle): every style but 'any'.
export const restyleSets = styleNames.filter((name) => name !== 'any');

// Words people use for a style, English and Chinese, -> style name. Longest match wins, so
// "fluent 3d" is not read as "3d" plus a stray word.
const styleWords = new Map([
  ['noto', 'noto'], ['google', 'noto'], ['谷歌', 'noto'],
  ['twemoji', 'twemoji'], ['twitter', 'twemoji'], ['推特', 'twemoji'],
  ['openmoji', 'openmoji'],
  ['fluent-flat', 'fluent-flat'], ['fluent flat', 'fluent-flat'], ['flat', 'fluent-flat'], ['扁平', 'fluent-flat'],
  ['fluent-3d', 'fluent-3d'], ['fluent 3d', 'fluent-3d'], ['3d', 'fluent-3d'], ['立体', 'fluent-3d'],
  ['outline', 'openmoji-outline'], ['openmoji-outline', 'openmoji-outline'], ['line art', 'openmoji-outline'],
  ['line-art', 'openmoji-outline'], ['线稿', 'openmoji-outline'], ['线条', 'openmoji-outline'], ['描边', 'openmoji-outline'],
  ['any', 'any'], ['任意', 'any'], ['随便', 'any'],
]);

/** The style name for a word or phrase (case-insensitive), or undefined. */
export function styleFromWord(word) {
  return styleWords.get(word.trim().toLowerCase());
}

/** All phrases that name a style, longest first (for finding them inside sentences). */
export const stylePhrases = [...styleWords.keys()].sort((a, b) => b.length - a.length);
