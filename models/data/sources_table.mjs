// Prints the package table of SOURCES.md: version, licence, npm integrity (sha512, from the
// lockfile) and the sha256 of the tarball (`npm pack` into a temp dir; its sha512 is checked
// against the lockfile so both hashes describe the same bytes). Usage: node sources_table.mjs
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const lock = JSON.parse(readFileSync(join(HERE, 'package-lock.json'), 'utf8'));
const direct = Object.keys(JSON.parse(readFileSync(join(HERE, 'package.json'), 'utf8')).dependencies);
// plus the platform binary of resvg and peer dependencies npm installs alongside (unused code)
const names = [...direct, '@resvg/resvg-js-linux-x64-gnu', 'emojibase', 'wink-nlp', '@iconify/types'];
const tmp = mkdtempSync(join(tmpdir(), 'huabu-pack-'));
console.log('| package | version | licence | tarball sha256 | npm integrity (sha512) |\n|---|---|---|---|---|');
try {
  for (const name of names) {
    const e = lock.packages[`node_modules/${name}`];
    const file = execFileSync('npm', ['pack', `${name}@${e.version}`, '--silent', '--pack-destination', tmp], { encoding: 'utf8' }).trim().split('\n').pop();
    const bytes = readFileSync(join(tmp, file));
    const sha512 = 'sha512-' + createHash('sha512').update(bytes).digest('base64');
    if (sha512 !== e.integrity) throw new Error(`${name}: tarball does not match the lockfile integrity`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    console.log(`| \`${name}\` | ${e.version} | ${e.license ?? '?'} | \`${sha256}\` | \`${e.integrity}\` |`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
