import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryTariff, readSskFile, type TariffVersion } from './tariff';
import { applyToMap, type VersionMap } from './tariff/versions';
import type { Tariff, TariffKind } from './types';

// The bundled 支払基金 masters (2024-06 full files + monthly changes, `masters/ssk-2024-06`), read once.
// Each master is read only when first asked for (a visit without drugs never decodes the 6 MB 医薬品 file).

const DIR = fileURLToPath(new URL('../masters/ssk-2024-06/', import.meta.url));
const PREFIX: Record<TariffKind, string> = { procedure: 's', drug: 'y', material: 't', comment: 'c' };

/** Versions of one master: the full file, then the change files in date order. */
export function bundledVersions(kind: TariffKind, dir = DIR): TariffVersion[] {
  const p = PREFIX[kind];
  const full = readdirSync(dir).filter((f) => f.startsWith(`${p}_ALL`) && f.endsWith('.zip'));
  const updatesDir = join(dir, 'updates');
  const changes = readdirSync(updatesDir)
    .filter((f) => new RegExp(`^${p}_\\d{8}\\.csv$`).test(f))
    .sort();
  const map: VersionMap = new Map();
  for (const f of full.sort()) applyToMap(map, readSskFile(f, readFileSync(join(dir, f))));
  for (const f of changes) applyToMap(map, readSskFile(f, readFileSync(join(updatesDir, f))));
  return [...map.values()].flat();
}

let cached: Tariff | undefined;

/** The bundled 支払基金 masters (2024-06 full files + monthly changes), read once into memory. */
export function bundledTariff(): Tariff {
  if (cached) return cached;
  const per = new Map<TariffKind, Tariff>();
  const of = (kind: TariffKind): Tariff => {
    let t = per.get(kind);
    if (!t) {
      t = memoryTariff(bundledVersions(kind));
      per.set(kind, t);
    }
    return t;
  };
  cached = {
    procedure: (code, date) => of('procedure').procedure(code, date),
    drug: (code, date) => of('drug').drug(code, date),
    drugByYj: (code, date) => of('drug').drugByYj(code, date),
    material: (code, date) => of('material').material(code, date),
    comment: (code, date) => of('comment').comment(code, date),
    // ISO dates sort as strings
    newestChange: () =>
      (['procedure', 'drug', 'material', 'comment'] as const)
        .map((k) => of(k).newestChange())
        .sort()
        .at(-1) ?? '',
  };
  return cached;
}
