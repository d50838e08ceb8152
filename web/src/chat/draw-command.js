// `/draw` (alias `/imagine`): "a red fox --count 2 --seed 42 --style twemoji --steps 12"
// -> a normalised request. Options may stand anywhere; every other word is the prompt.

import { checkOption, normaliseRequest } from './draw-request.js';

/**
 * @param {string} args everything after the command name
 * @returns {{kind: 'draw', request: object, given: string[]} | {kind: 'invalid', key: string, params: object}}
 *   given: the options typed (the rest are huabu-tiny's defaults)
 */
export function parseDrawArgs(args) {
  // A Chinese IME turns "--" into "——" (or one long dash); read them as the option marker.
  const tokens = args.replace(/[—–]{1,2}(?=\S)/g, '--').split(/\s+/).filter(Boolean);
  const words = [];
  const options = {};
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const option = /^--([^=\s]+)(?:=(.*))?$/.exec(token);
    if (!option) {
      words.push(token);
      continue;
    }
    const value = option[2] ?? tokens[++i];
    const checked = checkOption(option[1], value);
    if (!checked.ok) return { kind: 'invalid', key: checked.key, params: checked.params };
    options[checked.name] = checked.value;
  }
  delete options.size; // checked (only 128 exists), not a request field
  const normal = normaliseRequest({ prompt: words.join(' '), ...options });
  return normal.ok ? { kind: 'draw', request: normal.value, given: Object.keys(options) } : { kind: 'invalid', key: normal.key, params: normal.params };
}
