/**
 * Copies what the validator needs from the official packages (../shared/fhir by default) into
 * definitions/: the snapshot StructureDefinitions (minus prose, mappings and differentials) and the JLAC
 * code lists. Run again with a newer official package: `npm run fhir:vendor -w @karte/fhir-mapping -- DIR`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { definitionsDir, vendorDefinitions } from '../src/validate/vendor';

const root = resolve(process.argv[2] ?? fileURLToPath(new URL('../../../../shared/fhir', import.meta.url)));
const out = vendorDefinitions((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.json') && !f.startsWith('package'))
    .map((f) => JSON.parse(readFileSync(join(root, dir, f), 'utf8'))),
);
for (const [name, content] of Object.entries(out)) {
  writeFileSync(join(definitionsDir, name), `${JSON.stringify(content)}\n`);
  console.log(`${name}: ${Array.isArray(content) ? content.length : Object.keys(content).length} entries`);
}
