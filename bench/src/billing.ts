/**
 * billing_open_p95_ratio: opening 会計 for a visit at 会計待 (a confirmed 院内 prescription, a month of earlier
 * bills) through the API — billing.open, as the 会計 screen asks for it, with the proposal and the calculator —
 * ÷ the same reads and the audit insert issued straight through the driver.
 */
import {
  appendAuditSql,
  type KarteDb,
  patientBalances,
  patientBillsBetween,
  schema,
  visitPrescriptions,
} from '@karte/db';
import { and, asc, desc, eq, inArray, isNull, like, lt, max } from 'drizzle-orm';
import type postgres from 'postgres';
import { signedInApi } from './chart';
import type { Figure } from './main';
import { makeTarget, stopProcess } from './patientSearch';
import { createBenchFacility, growPatients } from './seed';
import { p95, timeCalls } from './timing';

const OPENS = 300;
const WARMUP = 30;
const VISIT_DATE = '2026-11-20';

const rx = {
  place: 'inside' as const,
  overrides: [],
  rps: [
    {
      usageCode: '1013044400000000',
      usageText: '１日３回朝昼夕食後　服用',
      kind: 'oral',
      days: 14,
      times: null,
      drugs: [
        { code: '1149019F1560', generic: false, name: 'ロキソニン錠６０ｍｇ', dose: 1, unit: 'TAB' },
        { code: '2329021F1102', generic: false, name: 'ムコスタ錠１００ｍｇ', dose: 1, unit: 'TAB' },
      ],
    },
  ],
};

/** An earlier 会計 of the month as confirmed (再診 + 外来管理加算), for caps and 判断料 to cumulate over. */
const earlierContent = {
  draft: {
    visitKind: 'revisit',
    visitKindReason: '',
    items: [
      { kind: 'procedure', code: '112007410', count: 1, source: 'proposed' },
      { kind: 'procedure', code: '112011010', count: 1, source: 'proposed' },
    ],
    removed: [],
    selfPay: [],
    publicSubsidyIds: [],
  },
  totals: {
    points: 127,
    patientYen: 380,
    lines: [
      { kind: 'procedure', code: '112007410', points: 75, count: 1, status: 'billed' },
      { kind: 'procedure', code: '112011010', points: 52, count: 1, status: 'billed' },
    ],
  },
  reasons: {},
  payerNumbers: [],
};

async function seedVisit(karte: KarteDb, facilityId: string, patientId: string, userId: string) {
  const db = karte.db;
  const s = schema;
  await db.insert(s.coverages).values({
    facilityId,
    patientId,
    insurerNumber: '01130012',
    number: '1',
    relationship: 'self',
    createdBy: userId,
  });
  const visitRow = (visitDate: string, state: 'done' | 'billing') => ({
    facilityId,
    patientId,
    visitDate,
    receptionNumber: 1,
    state,
    purpose: '再診',
    department: '内科',
    createdBy: userId,
    updatedBy: userId,
  });
  // A month of history: six earlier visits, each with its bill; the last one partly paid (未収).
  for (const [i, day] of ['02', '05', '09', '12', '16', '18'].entries()) {
    const visitDate = `2026-11-${day}`;
    const [v] = await db.insert(s.visits).values(visitRow(visitDate, 'done')).returning();
    const [b] = await db
      .insert(s.bills)
      .values({ facilityId, patientId, visitId: v?.id ?? '', visitDate })
      .returning();
    const billId = b?.id ?? '';
    await db.insert(s.billVersions).values({
      billId,
      version: 1,
      facilityId,
      content: earlierContent,
      points: 127,
      chargeYen: 380,
      createdBy: userId,
    });
    await db.insert(s.billPayments).values({
      facilityId,
      billId,
      patientId,
      amountYen: i === 5 ? 200 : 380,
      method: 'cash',
      businessDate: visitDate,
      receivedBy: userId,
    });
  }
  const [visit] = await db.insert(s.visits).values(visitRow(VISIT_DATE, 'billing')).returning();
  const [encounter] = await db
    .insert(s.encounters)
    .values({
      facilityId,
      patientId,
      visitId: visit?.id,
      encounterDate: VISIT_DATE,
      doctorId: userId,
      createdBy: userId,
    })
    .returning();
  const [entry] = await db
    .insert(s.entries)
    .values({
      facilityId,
      patientId,
      encounterId: encounter?.id ?? '',
      kind: 'prescription',
      currentVersion: 1,
      draftRev: 1,
      responsibleDoctor: userId,
      createdBy: userId,
    })
    .returning();
  await db.insert(s.entryVersions).values({
    entryId: entry?.id ?? '',
    version: 1,
    facilityId,
    content: rx as never,
    enteredBy: userId,
    responsibleDoctor: userId,
    approvedBy: userId,
    approvedAt: new Date(),
  });
  return visit?.id ?? '';
}

type Query = { sql: string; params: unknown[] };

const pct = (times: number[], q: number) => {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};

/** 会計 open's reads without the API: the statements the service issues, and its audit append. */
function directOpen(karte: KarteDb, facilityId: string, patientId: string, visitId: string, userId: string) {
  const db = karte.db;
  const s = schema;
  const built: Query[] = [
    db
      .select({ id: s.masterImports.id })
      .from(s.masterImports)
      .where(like(s.masterImports.kind, 'tariff:%'))
      .orderBy(desc(s.masterImports.id))
      .limit(1)
      .toSQL(),
    db
      .select()
      .from(s.visits)
      .where(and(eq(s.visits.facilityId, facilityId), eq(s.visits.id, visitId)))
      .toSQL(),
    db
      .select()
      .from(s.patients)
      .where(and(eq(s.patients.facilityId, facilityId), eq(s.patients.id, patientId)))
      .toSQL(),
    db.select().from(s.billingSettings).where(eq(s.billingSettings.facilityId, facilityId)).toSQL(),
    db
      .select()
      .from(s.coverages)
      .where(
        and(
          eq(s.coverages.facilityId, facilityId),
          eq(s.coverages.patientId, patientId),
          isNull(s.coverages.endedAt),
        ),
      )
      .orderBy(desc(s.coverages.createdAt))
      .limit(1)
      .toSQL(),
    db
      .select()
      .from(s.publicSubsidies)
      .where(
        and(
          eq(s.publicSubsidies.facilityId, facilityId),
          eq(s.publicSubsidies.patientId, patientId),
          isNull(s.publicSubsidies.endedAt),
        ),
      )
      .orderBy(asc(s.publicSubsidies.priority))
      .toSQL(),
    db
      .select()
      .from(s.bills)
      .where(and(eq(s.bills.facilityId, facilityId), eq(s.bills.visitId, visitId)))
      .toSQL(),
    patientBillsBetween(db, facilityId, patientId, '2026-09-01', '2026-11-21', visitId).toSQL(),
    db
      .select({ last: max(s.visits.visitDate) })
      .from(s.visits)
      .where(
        and(
          eq(s.visits.facilityId, facilityId),
          eq(s.visits.patientId, patientId),
          lt(s.visits.visitDate, VISIT_DATE),
          inArray(s.visits.state, ['done', 'billing']),
        ),
      )
      .toSQL(),
    visitPrescriptions(db, facilityId, visitId).toSQL(),
    patientBalances(db, facilityId, patientId).toSQL(),
  ];
  const dialect = (db as unknown as { dialect: { sqlToQuery(q: unknown): Query } }).dialect;
  const audit = () =>
    dialect.sqlToQuery(
      appendAuditSql({
        facilityId,
        occurredAt: new Date().toISOString(),
        userId,
        patientId,
        action: 'read',
        procedure: 'billing.open',
        outcome: 'ok',
        detail: { what: 'bill', visitId },
      }),
    );
  type Run = (text: string, params: unknown[]) => Promise<unknown>;
  const work = async (run: Run) => {
    for (const q of built) await run(q.sql, q.params);
    const a = audit();
    await run(a.sql, a.params);
  };
  if (karte.pglite) {
    const pg = karte.pglite;
    return () => pg.transaction((tx) => work((t, p) => tx.query(t, p)));
  }
  const pgsql = karte.sql as postgres.Sql;
  return () => pgsql.begin((tx) => work((t, p) => tx.unsafe(t, p as never[])));
}

export async function billingBench({ quick }: { quick: boolean }): Promise<Figure[]> {
  const opens = quick ? 100 : OPENS;
  const target = await makeTarget();
  try {
    let karte = await target.open();
    const facilityId = await createBenchFacility(karte.db);
    await growPatients(karte.db, facilityId, 0, 1000);
    const user = await karte.db.query.users.findFirst();
    const [patient] = await karte.db.query.patients.findMany({ limit: 1 });
    if (!user || !patient) throw new Error('seed');
    const visitId = await seedVisit(karte, facilityId, patient.id, user.id);
    await karte.close();

    const { app, api } = await signedInApi(target); // boots the API: loads the bundled 支払基金 master
    const view = JSON.parse(await api.query('billing.open', { visitId })) as {
      result: { data: { json: { totals: { lines: unknown[]; points: number }; otherUnpaidYen: number } } };
    };
    const { totals, otherUnpaidYen } = view.result.data.json;
    const apiTimes = await timeCalls(opens, () => api.query('billing.open', { visitId }), WARMUP);
    await stopProcess(app.proc);

    karte = await target.open();
    const direct = directOpen(karte, facilityId, patient.id, visitId, user.id);
    const directTimes = await timeCalls(opens, direct, WARMUP);
    await karte.close();
    console.log(
      `  会計 of ${totals.lines.length} lines / ${totals.points} points after 6 bills this month (未収 ${otherUnpaidYen}円): ` +
        `API p50/p95 ${pct(apiTimes, 0.5).toFixed(1)}/${p95(apiTimes).toFixed(1)} ms, direct ${pct(directTimes, 0.5).toFixed(1)}/${p95(directTimes).toFixed(1)} ms`,
    );
    return [
      { name: 'billing_open_p95_ratio', value: p95(apiTimes) / p95(directTimes), unit: 'ratio', target: 2 },
      { name: 'billing_open_api_p95_ms', value: p95(apiTimes), unit: 'ms', target: null },
      { name: 'billing_open_direct_p95_ms', value: p95(directTimes), unit: 'ms', target: null },
    ];
  } finally {
    await target.cleanup();
  }
}
