import { type Database, insertVisit, schema, setVisitState } from '@karte/db';
import { emptyCoverageFields, type PrescriptionContent, todayInJapan } from '@karte/domain';
import { and, asc, eq } from 'drizzle-orm';
import type { Actor } from '../services/audit';
import { openEncounter } from '../services/chart/entries';
import { confirmPrescription, savePrescriptionDraft } from '../services/orders/prescriptions';
import { addPublicSubsidy, coverageValues, saveCoverage } from '../services/reception/coverage';
import { checkIn } from '../services/reception/visits';

// The demo clinic's 会計: today's visits already at 会計待 with the doctor's prescriptions, so a newcomer opens
// 会計 from the board at once — one with 難病 公費 (法別54, 月額上限 10,000円), one with 限度額適用区分 ウ (A03).

const tid = {
  usageCode: '1013044400000000',
  usageText: '１日３回朝昼夕食後　服用',
  kind: 'oral' as const,
  days: 7,
  times: null,
};
const outside: PrescriptionContent = {
  place: 'outside',
  overrides: [],
  rps: [
    {
      ...tid,
      drugs: [
        {
          code: '1149019F1ZZZ',
          generic: true,
          name: '【般】ロキソプロフェンＮａ錠６０ｍｇ',
          dose: 1,
          unit: 'TAB',
        },
      ],
    },
  ],
};
const inside: PrescriptionContent = {
  place: 'inside',
  overrides: [],
  rps: [
    {
      ...tid,
      drugs: [{ code: '1149019F1560', generic: false, name: 'ロキソニン錠６０ｍｇ', dose: 1, unit: 'TAB' }],
    },
  ],
};

export async function seedDemoBilling(db: Database, facilityId: string, clerkId: string, doctorId: string) {
  const clerk: Actor = { facilityId, userId: clerkId, procedure: 'system.seed' };
  const doctor: Actor = { facilityId, userId: doctorId, procedure: 'system.seed' };
  // Patients 3–6 (1 and 2 carry the demo chart).
  const people = await db
    .select({ id: schema.patients.id })
    .from(schema.patients)
    .where(and(eq(schema.patients.facilityId, facilityId)))
    .orderBy(asc(schema.patients.patientNumber))
    .offset(2)
    .limit(4);
  const plans: {
    rx: PrescriptionContent | null;
    kubun?: string;
    nanbyo?: boolean;
    memo: string;
    /** Seen here before (a finished visit two weeks ago, well within the month of the 初診 rule): today is a 再診. */
    returning: boolean;
  }[] = [
    { rx: outside, nanbyo: true, memo: '難病の公費あり（上限 月10,000円）', returning: true },
    { rx: inside, kubun: 'A03', memo: '限度額適用認定証 区分ウ', returning: true },
    { rx: outside, memo: '院外処方', returning: true },
    { rx: null, memo: '処方なし', returning: false },
  ];
  const today = todayInJapan();
  const twoWeeksAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 14 * 86_400_000).toISOString().slice(0, 10);
  for (const [i, person] of people.entries()) {
    const plan = plans[i];
    if (!plan) break;
    await saveCoverage(
      db,
      clerk,
      person.id,
      null,
      coverageValues({
        ...emptyCoverageFields,
        insurerNumber: '01130012',
        symbol: '１０',
        number: String(3001 + i),
        limitCategory: plan.kubun ?? '',
      }),
    );
    if (plan.nanbyo) {
      await addPublicSubsidy(db, clerk, person.id, {
        priority: 1,
        payerNumber: '54136015',
        recipientNumber: '1234566',
        validFrom: '',
        validUntil: '',
        monthlyCap: 10_000,
      });
    }
    if (plan.returning) {
      const past = await insertVisit(db, facilityId, clerkId, {
        patientId: person.id,
        visitDate: twoWeeksAgo,
        purpose: '初診',
        department: '内科',
        memo: '',
        coverageId: null,
        eligibilityConfirmed: 0,
      });
      await setVisitState(db, facilityId, clerkId, past.id, past.version, 'done');
    }
    const visit = await checkIn(db, clerk, {
      patientId: person.id,
      purpose: plan.returning ? '再診' : '初診',
      department: '内科',
      memo: plan.memo,
    });
    const encounter = await openEncounter(db, doctor, 'doctor', { patientId: person.id, visitId: visit.id });
    if (plan.rx) {
      const rx = await savePrescriptionDraft(db, doctor, 'doctor', {
        encounterId: encounter.id,
        entryId: null,
        baseRev: 0,
        doctorId: null,
        content: plan.rx,
      });
      if (rx.status === 'saved') {
        await confirmPrescription(db, doctor, {
          entryId: rx.entryId,
          baseRev: rx.draftRev,
          reason: '',
          overrides: [],
        });
      }
    }
    // 受付 → 診察 → 会計待, as the board would have moved it.
    await setVisitState(db, facilityId, doctorId, visit.id, visit.version, 'billing');
  }
}
