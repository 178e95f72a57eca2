import { type Database, insertFacility, insertUser } from '@karte/db';
import { sql } from 'drizzle-orm';
// The demo name lists: realistic distribution of common family names, all fictional people.
import { familyNames, givenNames } from '../../apps/api/src/seed/names';
import { hashPassword } from '../../apps/api/src/services/auth/password';

export const BENCH_USER = 'bench-clerk';
export const BENCH_PASSWORD = 'bench-password';
/** Login names the facility (user names are per facility). */
export const BENCH_FACILITY_CODE = '0110113719';

export async function createBenchFacility(db: Database) {
  const facility = await insertFacility(db, {
    institutionCode: BENCH_FACILITY_CODE,
    name: 'ベンチマーク診療所',
  });
  await insertUser(db, facility.id, {
    username: BENCH_USER,
    displayName: 'ベンチ',
    role: 'clerk',
    passwordHash: await hashPassword(BENCH_PASSWORD),
  });
  return facility.id;
}

const arr = (values: string[]) =>
  sql.raw(`array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]`);

/**
 * Grows the facility to `target` patients in batches, all in SQL (generate_series), with the
 * same search columns the app writes (the kana and kanji lists are already in normalised form).
 */
export async function growPatients(
  db: Database,
  facilityId: string,
  from: number,
  to: number,
  onProgress?: (n: number) => void,
) {
  const fam = familyNames;
  const giv = givenNames;
  const batch = 50_000;
  let have = from;
  while (have < to) {
    const count = Math.min(batch, to - have);
    await db.execute(sql`
      with src as (
        select g,
          (${arr(fam.map((f) => f[0]))})[1 + (hashint4(g) & 2147483647) % ${fam.length}] as fam_k,
          (${arr(fam.map((f) => f[1]))})[1 + (hashint4(g) & 2147483647) % ${fam.length}] as fam_y,
          (${arr(giv.map((x) => x[0]))})[1 + (hashint4(g * 7 + 3) & 2147483647) % ${giv.length}] as giv_k,
          (${arr(giv.map((x) => x[1]))})[1 + (hashint4(g * 7 + 3) & 2147483647) % ${giv.length}] as giv_y,
          (${arr(giv.map((x) => x[2]))})[1 + (hashint4(g * 7 + 3) & 2147483647) % ${giv.length}] as sex,
          date '1930-01-01' + ((hashint4(g * 13 + 5) & 2147483647) % 34000) as birth,
          lpad(((hashint4(g * 17 + 1) & 2147483647) % 100000000)::text, 8, '0') as tel
        from generate_series(${have + 1}::int, ${have + count}::int) as g
      )
      insert into patients (facility_id, patient_number, family_name, given_name, family_name_kana, given_name_kana,
        sex, birth_date, phone, name_norm, kana_norm, phone_norm)
      select ${facilityId}, g, fam_k, giv_k, fam_y, giv_y, sex, birth, '090' || tel, fam_k || giv_k, fam_y || giv_y, '090' || tel
      from src`);
    have += count;
    onProgress?.(have);
  }
  await db.execute(sql`insert into patient_counters (facility_id, last_number) values (${facilityId}, ${to})
    on conflict (facility_id) do update set last_number = excluded.last_number`);
  await db.execute(sql`analyze patients`);
}

/** 1,000 mixed prefixes: kana of 1–4 characters and kanji of 1–2, as a clerk types them. */
export function searchTerms(count: number): string[] {
  const terms: string[] = [];
  let x = 12345;
  const next = () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x;
  };
  for (let i = 0; i < count; i++) {
    const [kanji, kana] = familyNames[next() % familyNames.length] as [string, string];
    terms.push(
      i % 2 === 0
        ? kana.slice(0, 1 + (next() % Math.min(4, kana.length)))
        : kanji.slice(0, 1 + (next() % kanji.length)),
    );
  }
  return terms;
}
