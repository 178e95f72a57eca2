import { type Database, insertEncounter, schema } from '@karte/db';
import { and, eq } from 'drizzle-orm';
import { type Actor, recordAccess } from '../services/audit';
import { confirmEntry, saveEntryDraft } from '../services/chart/entries';
import { confirmPrescription, savePrescriptionDraft } from '../services/orders/prescriptions';

/** The demo patient whose last visit (four weeks ago) is the start of a Do 再診 (e2e rezai.spec.ts). */
export const DEMO_DO_PATIENT_NUMBER = 120;

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/**
 * A 再診 patient: one past visit 30 days ago with SOAP and a 28-day prescription (finished by today, so
 * today's Do is not a duplicate of what is still being taken), entered through the doctor's services.
 */
export async function seedDemoDoVisit(db: Database, facilityId: string, doctorId: string) {
  const actor: Actor = { facilityId, userId: doctorId, procedure: 'system.seed' };
  const [patient] = await db
    .select({ id: schema.patients.id })
    .from(schema.patients)
    .where(
      and(
        eq(schema.patients.facilityId, facilityId),
        eq(schema.patients.patientNumber, DEMO_DO_PATIENT_NUMBER),
      ),
    );
  if (!patient) return;
  const encounter = await db.transaction(async (tx) => {
    const row = await insertEncounter(tx, facilityId, {
      patientId: patient.id,
      visitId: null,
      encounterDate: daysAgo(30),
      doctorId,
      createdBy: doctorId,
    });
    await recordAccess(tx, actor, 'create', patient.id, { what: 'encounter', encounterId: row.id });
    return row;
  });
  const soap = await saveEntryDraft(db, actor, 'doctor', {
    encounterId: encounter.id,
    entryId: null,
    baseRev: 0,
    kind: 'soap',
    content: {
      s: '家庭血圧 130台/80台。自覚症状なし',
      o: 'BP 134/82 P 72 整',
      a: '高血圧症（安定）',
      p: '処方継続。4週後再診',
    },
    doctorId: null,
  });
  if (soap.status === 'saved')
    await confirmEntry(db, actor, { entryId: soap.entryId, baseRev: soap.draftRev, reason: '' }, 'soap');
  const rx = await savePrescriptionDraft(db, actor, 'doctor', {
    encounterId: encounter.id,
    entryId: null,
    baseRev: 0,
    doctorId: null,
    content: {
      place: 'outside',
      overrides: [],
      rps: [
        {
          usageCode: '1011000400000000',
          usageText: '１日１回朝食後　服用',
          kind: 'oral',
          days: 28,
          times: null,
          drugs: [{ code: '2171022F2025', generic: false, name: 'ノルバスク錠５ｍｇ', dose: 1, unit: 'TAB' }],
        },
      ],
    },
  });
  if (rx.status === 'saved')
    await confirmPrescription(db, actor, {
      entryId: rx.entryId,
      baseRev: rx.draftRev,
      reason: '',
      overrides: [],
    });
}
