import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  appendAudit,
  countFacilities,
  type Database,
  insertFacility,
  insertPatient,
  insertUser,
} from '@karte/db';
import { checkInstitutionCode, type Role } from '@karte/domain';
import type { Config } from '../config';
import type { Logger } from '../log';
import { hashPassword } from '../services/auth/password';
import { seedDemoAppointments } from './demoAppointments';
import { seedDemoBilling } from './demoBilling';
import { seedDemoChart } from './demoChart';
import { seedDemoHistory } from './demoHistory';
import { seedDemoDoVisit } from './demoRezai';
import { seedDemoVitals } from './demoVitals';
import { demoPeople } from './names';

export const DEMO_PASSWORD = 'karte-demo';
/** 東京都(13) 医科(1) 郡市区 01 医療機関番号 2345, check digit by Luhn. */
export const DEMO_INSTITUTION_CODE = '1310123458';
export const DEMO_FACILITY_NAME = 'カルテ内科クリニック（デモ）';
const DEMO_USERS: [string, string, Role][] = [
  ['doctor', '医師 デモ', 'doctor'],
  ['nurse', '看護師 デモ', 'nurse'],
  ['clerk', '医事 デモ', 'clerk'],
  ['admin', '管理者 デモ', 'admin'],
];

/**
 * First boot of an empty database: in demo mode a whole demo clinic, otherwise one facility with an
 * initial admin who must change the password. A database that has any facility is never seeded.
 */
export async function seedIfEmpty(db: Database, config: Config, log: Logger, env = process.env) {
  if ((await countFacilities(db)) > 0) return { seeded: false as const };
  if (config.demo) {
    const hashes = await Promise.all(DEMO_USERS.map(() => hashPassword(DEMO_PASSWORD)));
    const people = demoPeople(200);
    const demo = await db.transaction(async (tx) => {
      const facility = await insertFacility(tx, {
        institutionCode: DEMO_INSTITUTION_CODE,
        name: DEMO_FACILITY_NAME,
        address: '東京都千代田区千代田1-1（架空）',
        phone: '03-0000-0000',
      });
      const ids = await Promise.all(
        DEMO_USERS.map(([username, displayName, role], i) =>
          insertUser(tx, facility.id, { username, displayName, role, passwordHash: hashes[i] as string }),
        ),
      );
      const clerk = ids[2]?.id ?? null;
      for (const p of people) await insertPatient(tx, facility.id, clerk, p);
      await appendAudit(tx, {
        facilityId: facility.id,
        userId: null,
        patientId: null,
        action: 'seed-demo',
        procedure: 'system.seed',
        outcome: 'ok',
        detail: { patients: people.length, users: DEMO_USERS.length },
      });
      return {
        facilityId: facility.id,
        doctorId: ids[0]?.id as string,
        clerkId: clerk as string,
        nurseId: ids[1]?.id as string,
      };
    });
    await seedDemoChart(db, demo.facilityId, demo.doctorId);
    await seedDemoDoVisit(db, demo.facilityId, demo.doctorId); // 再診を短く (issue #15)
    await seedDemoBilling(db, demo.facilityId, demo.clerkId, demo.doctorId);
    // Months of past visits (demoHistory.ts), after today's records: its 受付番号 continue the days' counters.
    const historyStarted = performance.now();
    const history = await seedDemoHistory(db, demo.facilityId, demo.doctorId, demo.clerkId);
    const historyMs = Math.round(performance.now() - historyStarted);
    await seedDemoVitals(db, demo.facilityId, demo.clerkId, demo.nurseId); // issue #15
    // 予約 last: it links every past visit the steps above made (demo history's too) to an appointment.
    await seedDemoAppointments(db, demo.facilityId, demo.clerkId, demo.doctorId);
    log.info({ patients: people.length, history: { ...history, ms: historyMs } }, 'demo clinic seeded');
    return { seeded: true as const, demo: true };
  }
  const code = env.KARTE_FACILITY_CODE ?? '';
  const problem = checkInstitutionCode(code);
  if (problem) {
    throw new Error(
      `KARTE_FACILITY_CODE must be the clinic's valid 10-digit 医療機関コード to initialise a new database (${problem}).`,
    );
  }
  const password = config.initialAdminPassword ?? randomBytes(9).toString('base64url');
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const facility = await insertFacility(tx, {
      institutionCode: code,
      name: env.KARTE_FACILITY_NAME ?? '医療機関',
    });
    await insertUser(tx, facility.id, {
      username: 'admin',
      displayName: '管理者',
      role: 'admin',
      passwordHash,
      mustChangePassword: true,
    });
    await appendAudit(tx, {
      facilityId: facility.id,
      userId: null,
      patientId: null,
      action: 'seed-initial-admin',
      procedure: 'system.seed',
      outcome: 'ok',
      detail: {},
    });
  });
  if (!config.initialAdminPassword) {
    // Never in the log (logs are collected and kept): a file only the owner of the process can read.
    const file = writeInitialPassword(config.dataDir, code, password);
    log.warn(
      { file },
      'initial admin created: login "admin"; its password is in the file (change it at first login, then delete the file)',
    );
  }
  return { seeded: true as const, demo: false };
}

/** Writes the generated initial admin password to `<data folder>/initial-admin-password.txt`, mode 0600. */
export function writeInitialPassword(dataDir: string, facilityCode: string, password: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'initial-admin-password.txt');
  writeFileSync(file, `医療機関コード ${facilityCode}\nログインID admin\nパスワード ${password}\n`, {
    mode: 0o600,
  });
  return file;
}
