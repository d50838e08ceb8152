// The chat's slash commands: parsing and the help text, in one place.

export const upscaleScales = [2, 4];

export const helpText = [
  'Commands:',
  '/upscale 2 — upscale the canvas to twice its size (super-resolution model)',
  '/upscale 4 — four times its size',
  '/help — this list',
  '',
  'Draw on the canvas or import an image, then upscale it. Each image in the chat has buttons to upscale it again or put it on the canvas.',
  'Enter sends, Shift+Enter starts a new line. Everything runs in your browser; nothing is uploaded.',
].join('\n');

/**
 * Parses one chat entry.
 * @returns {{kind: 'text', text: string} | {kind: 'help'} | {kind: 'upscale', scale: number}
 *   | {kind: 'invalid', message: string} | {kind: 'unknown', name: string}}
 */
export function parseCommand(input) {
  const text = input.trim();
  if (!text.startsWith('/')) return { kind: 'text', text };
  const [name, ...args] = text.slice(1).split(/\s+/);
  switch (name.toLowerCase()) {
    case 'upscale':
      return parseUpscale(args);
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'unknown', name: `/${name}` };
  }
}

function parseUpscale(args) {
  if (args.length === 0) return { kind: 'upscale', scale: 2 };
  // Accept "2", "x2", "×2" and "2x".
  const match = /^[x×]?(\d+)[x×]?$/i.exec(args[0]);
  const scale = match ? Number(match[1]) : NaN;
  if (args.length > 1 || !upscaleScales.includes(scale)) {
    return {
      kind: 'invalid',
      message: `I can upscale ×2 or ×4, not “${args.join(' ')}”. Try /upscale 2 or /upscale 4.`,
    };
  }
  return { kind: 'upscale', scale };
}
