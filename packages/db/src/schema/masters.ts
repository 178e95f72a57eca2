import { sql } from 'drizzle-orm';
import { customType, index, integer, numeric, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

const searchText = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

/** 標準病名マスター (MEDIS): shared by every facility, replaced by the importer. */
export const diseases = pgTable(
  'diseases',
  {
    code: text().primaryKey(), // 病名管理番号 (medis_record_no)
    icd10: text().notNull().default(''),
    name: text().notNull(),
    nameKana: text().notNull(),
    abbrev: text().notNull().default(''),
    exchangeCode: text().notNull().default(''), // 病名交換用コード
    nameNorm: searchText().notNull(),
    kanaNorm: searchText().notNull(),
  },
  (t) => [index('diseases_kana_idx').on(t.kanaNorm), index('diseases_name_idx').on(t.nameNorm)],
);

/** 薬価基準収載品目 (MHLW): for 薬剤禁忌 now, prescriptions later. */
export const drugs = pgTable(
  'drugs',
  {
    code: text().primaryKey(), // 薬価基準収載医薬品コード (12)
    kind: text().notNull(), // 内用薬 / 注射薬 / 外用薬 / 歯科用薬剤
    ingredient: text().notNull(), // 成分名
    spec: text().notNull().default(''), // 規格
    name: text().notNull(), // 品名
    maker: text().notNull().default(''),
    price: numeric({ precision: 12, scale: 2 }),
    nameNorm: searchText().notNull(),
    ingredientNorm: searchText().notNull().default(''),
  },
  (t) => [
    index('drugs_name_idx').on(t.nameNorm),
    index('drugs_ingredient_idx').on(t.ingredientNorm),
    index('drugs_code_idx').using('btree', sql`code COLLATE "C"`),
  ],
);

/** 併用禁忌: pairs of 成分名 (or code prefixes), optionally limited to 区分; replaced as a whole on import. */
export const drugInteractions = pgTable('drug_interactions', {
  id: serial().primaryKey(),
  aIngredient: text().notNull(),
  aKinds: text().notNull().default(''), // 内用薬|注射薬 … ('' = any)
  bIngredient: text().notNull(),
  bKinds: text().notNull().default(''),
  level: text().notNull(), // 併用禁忌
  reason: text().notNull(),
  source: text().notNull(), // 添付文書
});

/** JLAC10 codes JP-CLINS recognises for 検査 (core) and 感染症 (infection), from the IG's CodeSystems. */
export const labCodes = pgTable('lab_codes', {
  code: text().primaryKey(), // JLAC10 17桁
  item: text().notNull(), // the CodeSystem's parent concept (ALB, HBs-AG-RESULT …)
  name: text().notNull(), // アルブミン
  specimen: text().notNull().default(''),
  method: text().notNull().default(''),
  group: text({ enum: ['core', 'infection'] }).notNull(),
});

/** Every master load: what, from where, how many rows, and the file's hash. */
export const masterImports = pgTable('master_imports', {
  id: serial().primaryKey(),
  kind: text().notNull(),
  source: text().notNull(),
  sha256: text().notNull(),
  rows: integer().notNull(),
  importedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
