import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { normalizeForSearch, usageCodes, usageFromCode, usageSearchText } from '@karte/domain';
import { parse } from 'csv-parse/sync';
import { count, eq, sql } from 'drizzle-orm';
import type { Database } from '../open';
import {
  diseases,
  doseLimits,
  drugClasses,
  drugInteractions,
  drugs,
  labCodes,
  masterImports,
  usages,
} from '../schema';

export type MasterKind =
  | 'diseases'
  | 'drugs'
  | 'interactions'
  | 'labCodes'
  | 'usages'
  | 'doseLimits'
  | 'drugClasses';

const mastersDir = join(dirname(createRequire(import.meta.url).resolve('@karte/db/package.json')), 'masters');

export const bundledMasters: Record<MasterKind, string> = {
  diseases: join(mastersDir, 'diseases-medis.csv'),
  drugs: join(mastersDir, 'drugs-mhlw-price-2025-07-16.csv'),
  interactions: join(mastersDir, 'interactions-contraindicated.csv'),
  labCodes: join(mastersDir, 'CodeSystem-jp-clins-codesystem-JLAC10-corelabo-cs.json'),
  // The shipped 用法 subset (the editor's list before any official file is loaded).
  usages: join(dirname(createRequire(import.meta.url).resolve('@karte/domain')), 'orders/usageCodes.json'),
  doseLimits: join(mastersDir, 'dose-limits.csv'),
  drugClasses: join(mastersDir, 'drug-classes.csv'),
};
/** Masters that come in more than one file. */
const bundledExtra: Partial<Record<MasterKind, string[]>> = {
  labCodes: [join(mastersDir, 'CodeSystem-jp-clins-codesystem-JLAC10-infectionlabo-cs.json')],
};

/** Which master a file is, by its header row. */
export function masterKindOf(header: string[]): MasterKind | null {
  if (header.includes('medis_record_no') && header.includes('name_kana')) return 'diseases';
  if (header.includes('薬価基準収載医薬品コード') && header.includes('品名')) return 'drugs';
  if (header.includes('成分A') && header.includes('成分B') && header.includes('出典')) return 'interactions';
  if (header.includes('用法コード') && (header.includes('用法名称') || header.includes('用法名')))
    return 'usages';
  if (header.includes('成分名') && header.includes('成人1日最大量mg') && header.includes('出典'))
    return 'doseLimits';
  if (header.includes('分類') && header.includes('成分名') && header.includes('出典')) return 'drugClasses';
  return null;
}

/**
 * 用法 code digits (JAMI 処方・注射オーダ標準用法規格, 16桁): 1 基本用法区分 (1 内服, 2 外用, 3 注射, 4 注入),
 * 3 タイミング区分 (1 食事, 2 等間隔, 3 時刻指定, 4 イベント, 5 頓用, 7 回数のみ), 4 1日回数 (1–9; Z 不定).
 * Karte's prescriptions are 内服 / 頓用 / 外用: 注射・注入 codes are not loaded (null).
 */
export function usageRowOf(code: string, text: string, source: string) {
  const c = code.normalize('NFKC').trim().toUpperCase();
  const name = text.trim();
  const digits = usageFromCode(c);
  if (!digits || !name) return null;
  // The shipped subset ranks first, in its order (the common ones); the rest after.
  const shipped = usageCodes.findIndex((u) => u.code === c);
  return {
    code: c,
    text: name,
    kind: digits.kind,
    perDay: digits.perDay,
    rank: shipped >= 0 ? shipped : 1000,
    source,
    textNorm: usageSearchText(name),
  };
}

const numberOrNull = (v: string) => {
  const t = v.normalize('NFKC').trim();
  if (t === '') return null;
  const n = Number(t);
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a dose: ${v}`);
  return String(n);
};

const BATCH = 1000;

type Cell = (column: string) => string;

/** Each master: its table and how a CSV row (read by column name) becomes a table row. */
const specs = {
  diseases: {
    table: diseases,
    row: (cell: Cell) => ({
      code: cell('medis_record_no'),
      icd10: cell('icd10'),
      name: cell('name'),
      nameKana: cell('name_kana'),
      abbrev: cell('name_abbrev'),
      exchangeCode: cell('exchange_code'),
      nameNorm: normalizeForSearch(cell('name')),
      kanaNorm: normalizeForSearch(cell('name_kana')),
    }),
  },
  drugs: {
    table: drugs,
    row: (cell: Cell) => ({
      code: cell('薬価基準収載医薬品コード'),
      kind: cell('区分'),
      ingredient: cell('成分名'),
      spec: cell('規格'),
      name: cell('品名'),
      maker: cell('メーカー名'),
      price: cell('薬価') || null,
      nameNorm: normalizeForSearch(cell('品名')),
      ingredientNorm: normalizeForSearch(cell('成分名')),
    }),
  },
};

/** The JP-CLINS JLAC10 CodeSystems (core and infection lists): item concepts with 17-digit children. */
interface CodeSystemJson {
  resourceType?: string;
  url?: string;
  concept?: {
    code: string;
    display?: string;
    concept?: {
      code: string;
      display?: string;
      designation?: { value: string }[];
      property?: { code: string; valueString?: string }[];
    }[];
  }[];
}
function labCodeRows(cs: CodeSystemJson) {
  const group = cs.url?.includes('InfectionLabo')
    ? 'infection'
    : cs.url?.includes('CoreLabo')
      ? 'core'
      : null;
  if (cs.resourceType !== 'CodeSystem' || !group) return null;
  return (cs.concept ?? []).flatMap((item) =>
    (item.concept ?? []).map((c) => {
      const prop = (code: string) => c.property?.find((p) => p.code === code)?.valueString ?? '';
      return {
        code: c.code,
        item: item.code,
        name: c.designation?.[0]?.value ?? c.display ?? item.display ?? item.code,
        specimen: prop('specimen'),
        method: prop('method'),
        group: group as 'core' | 'infection',
      };
    }),
  );
}

/** Reads a master file into its kind and table rows: CSV masters by their header, JSON CodeSystems by url. */
function readMaster(path: string, buffer: Buffer) {
  if (path.endsWith('.json')) {
    const json = JSON.parse(buffer.toString('utf8')) as CodeSystemJson & {
      codes?: { code: string; text: string; source?: string }[];
    };
    if (Array.isArray(json.codes)) {
      // Karte's shipped 用法 subset (usageCodes.json).
      const rows = json.codes.flatMap((u) => usageRowOf(u.code, u.text, u.source ?? 'usageCodes.json') ?? []);
      return { kind: 'usages' as const, rows };
    }
    const rows = labCodeRows(json);
    if (!rows) throw new Error(`${path}: not a JP-CLINS JLAC10 CodeSystem`);
    return { kind: 'labCodes' as const, rows };
  }
  const records = parse(buffer, { bom: true, skip_empty_lines: true }) as string[][];
  const [header, ...body] = records;
  const kind = header ? masterKindOf(header) : null;
  if (!header || !kind) throw new Error(`${path}: not a known master file (header not recognised)`);
  const index = new Map(header.map((name, i) => [name, i]));
  const cellsOf = (r: string[]) => (column: string) => r[index.get(column) ?? -1] ?? '';
  if (kind === 'interactions') {
    return {
      kind,
      rows: body.map((r) => {
        const cell = cellsOf(r);
        return {
          aIngredient: cell('成分A'),
          aKinds: cell('区分A'),
          bIngredient: cell('成分B'),
          bKinds: cell('区分B'),
          level: cell('種別') || '併用禁忌',
          reason: cell('内容'),
          source: cell('出典'),
        };
      }),
    };
  }
  if (kind === 'usages') {
    const textColumn = index.has('用法名称') ? '用法名称' : '用法名';
    const file = path.split(/[\\/]/).pop() ?? path;
    return {
      kind,
      rows: body.flatMap((r) => {
        const cell = cellsOf(r);
        return usageRowOf(cell('用法コード'), cell(textColumn), file) ?? [];
      }),
    };
  }
  if (kind === 'doseLimits') {
    return {
      kind,
      rows: body.map((r, i) => {
        const cell = cellsOf(r);
        if (!cell('成分名').trim() || !cell('出典').trim())
          throw new Error(`${path}: row ${i + 2} needs 成分名 and 出典`);
        try {
          return {
            ingredient: cell('成分名').trim(),
            kinds: cell('区分').trim(),
            adultMaxMgPerDay: numberOrNull(cell('成人1日最大量mg')),
            childMgPerKgPerDay: numberOrNull(cell('小児mg/kg/日')),
            childMaxMgPerDay: numberOrNull(cell('小児1日最大量mg')),
            note: cell('備考').trim(),
            source: cell('出典').trim(),
          };
        } catch (err) {
          throw new Error(`${path}: row ${i + 2}: ${(err as Error).message}`);
        }
      }),
    };
  }
  if (kind === 'drugClasses') {
    return {
      kind,
      rows: body.map((r, i) => {
        const cell = cellsOf(r);
        if (!cell('分類').trim() || !cell('成分名').trim() || !cell('出典').trim())
          throw new Error(`${path}: row ${i + 2} needs 分類, 成分名 and 出典`);
        return {
          className: cell('分類').trim(),
          ingredient: cell('成分名').trim(),
          source: cell('出典').trim(),
        };
      }),
    };
  }
  if (kind === 'labCodes') throw new Error(`${path}: the JLAC10 lists are read from their CodeSystem JSON`);
  return { kind, rows: body.map((r) => specs[kind].row(cellsOf(r))) };
}

const tables = {
  diseases,
  drugs,
  interactions: drugInteractions,
  labCodes,
  usages,
  doseLimits,
  drugClasses,
};
/** Tables without a code of their own: replaced as a whole on import. */
const replaced = { interactions: drugInteractions, doseLimits, drugClasses } as const;

/**
 * Loads a master file (the bundled snapshot or a newer official one) in one transaction. Coded masters are
 * upserted by code, so codes that disappear from a newer file stay readable for old records; the
 * interaction table has no code of its own and is replaced as a whole.
 */
export async function importMaster(db: Database, path: string): Promise<{ kind: MasterKind; rows: number }> {
  const buffer = readFileSync(path);
  const { kind, rows: mapped } = readMaster(path, buffer);
  const table = tables[kind];
  // Every column but the code takes the newer file's value (columns are snake_case in the database).
  const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const update = Object.fromEntries(
    Object.keys(mapped[0] ?? {})
      .filter((key) => key !== 'code')
      .map((key) => [key, sql.raw(`excluded.${snake(key)}`)]),
  );
  await db.transaction(async (tx) => {
    if (kind === 'interactions' || kind === 'doseLimits' || kind === 'drugClasses') {
      const whole = replaced[kind];
      await tx.delete(whole);
      for (let i = 0; i < mapped.length; i += BATCH) {
        await tx.insert(whole).values(mapped.slice(i, i + BATCH) as never[]);
      }
    } else {
      const coded = table as typeof diseases | typeof drugs | typeof labCodes | typeof usages;
      for (let i = 0; i < mapped.length; i += BATCH) {
        // The drug list repeats a code for some 統一名収載品: within a batch the last row wins.
        const chunk = [
          ...new Map((mapped.slice(i, i + BATCH) as { code: string }[]).map((r) => [r.code, r])).values(),
        ];
        await tx
          .insert(coded)
          .values(chunk as never[])
          .onConflictDoUpdate({ target: coded.code, set: update });
      }
    }
    await tx.insert(masterImports).values({
      kind,
      source: path,
      sha256: createHash('sha256').update(buffer).digest('hex'),
      rows: mapped.length,
    });
  });
  return { kind, rows: mapped.length };
}

/** First boot: load the bundled snapshots of masters that are still empty. */
export async function ensureMasters(db: Database) {
  const loaded: { kind: MasterKind; rows: number }[] = [];
  for (const kind of Object.keys(tables) as MasterKind[]) {
    const [row] = await db.select({ n: count() }).from(tables[kind]);
    // Drugs loaded before the 成分名 search column existed are read again to fill it.
    const [stale] =
      kind === 'drugs'
        ? await db.select({ n: count() }).from(drugs).where(eq(drugs.ingredientNorm, ''))
        : [{ n: 0 }];
    if ((row?.n ?? 0) === 0 || (stale?.n ?? 0) > 0) {
      for (const path of [bundledMasters[kind], ...(bundledExtra[kind] ?? [])]) {
        loaded.push(await importMaster(db, path));
      }
    }
  }
  return loaded;
}
