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

/**
 * 用法 (電子処方箋用法マスタ / JAMI 標準用法): the shipped subset on first boot, the official file when
 * imported. `rank` orders the common ones first (the shipped subset ranks before the rest).
 */
export const usages = pgTable(
  'usages',
  {
    code: text().primaryKey(), // 用法コード (16)
    text: text().notNull(), // 用法名称
    kind: text({ enum: ['oral', 'asNeeded', 'external'] }).notNull(), // 内服 / 頓用 / 外用
    perDay: integer(), // 1日回数 (内服), null when the code does not fix it
    rank: integer().notNull().default(1000),
    source: text().notNull().default(''),
    textNorm: searchText().notNull(),
  },
  (t) => [index('usages_text_idx').on(t.textNorm)],
);

/** 1日最大量 (adult) and 小児 mg/kg/日 per 成分名 (dose-limits.csv); replaced as a whole on import. */
export const doseLimits = pgTable('dose_limits', {
  id: serial().primaryKey(),
  ingredient: text().notNull(), // 成分名 (contained in the drug's)
  kinds: text().notNull().default(''), // 内用薬|外用薬 ('' = any)
  adultMaxMgPerDay: numeric({ precision: 12, scale: 3 }),
  childMgPerKgPerDay: numeric({ precision: 12, scale: 3 }),
  childMaxMgPerDay: numeric({ precision: 12, scale: 3 }),
  note: text().notNull().default(''),
  source: text().notNull(), // 添付文書 section, product
});

/** 薬効分類 for class allergies (drug-classes.csv): 成分名 or 薬価基準 code prefix → class; replaced as a whole. */
export const drugClasses = pgTable('drug_classes', {
  id: serial().primaryKey(),
  className: text().notNull(), // ペニシリン系 …
  ingredient: text().notNull(), // 成分名, or a code prefix (digits)
  source: text().notNull(),
});
