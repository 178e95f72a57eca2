// The first load (what index.html fetches before any lazy screen: entry script, modulepreloads,
// stylesheet) must stay ≤ 200 KB gzip. Run after `vite build`: node scripts/first-load-size.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const LIMIT_KB = 200;
const dist = join(import.meta.dirname, '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
let total = 0;
for (const file of files) {
  const kb = gzipSync(readFileSync(join(dist, file))).length / 1024;
  total += kb;
  console.log(`${kb.toFixed(2).padStart(8)} KB  ${file}`);
}
console.log(`${total.toFixed(2).padStart(8)} KB  first load (gzip), limit ${LIMIT_KB} KB`);
if (total > LIMIT_KB) {
  console.error('The first load is over the limit: load the new screen lazily (see App.tsx).');
  process.exit(1);
}
