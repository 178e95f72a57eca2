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
  },
  (t) => [index('drugs_name_idx').on(t.nameNorm)],
);

/** Every master load: what, from where, how many rows, and the file's hash. */
export const masterImports = pgTable('master_imports', {
  id: serial().primaryKey(),
  kind: text().notNull(),
  source: text().notNull(),
  sha256: text().notNull(),
  rows: integer().notNull(),
  importedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
