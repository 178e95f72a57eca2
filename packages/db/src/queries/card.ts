import { and, count, eq } from 'drizzle-orm';
import type { Tx } from '../open';
import { facilities } from '../schema/admin';
import { auditEvents } from '../schema/audit';

/** 診察券の発行 as the audit trail records it (action `card-issue`). */
export const CARD_ISSUE_ACTION = 'card-issue';

/** What a 診察券 prints of the clinic: its name and phone (クリニック設定). */
export async function cardClinic(tx: Tx, facilityId: string) {
  const [row] = await tx
    .select({ name: facilities.name, phone: facilities.phone })
    .from(facilities)
    .where(eq(facilities.id, facilityId));
  return row ?? { name: '', phone: '' };
}

/** How many 診察券 were issued to the patient before (successful `card-issue` audit events). */
export async function countCardIssues(tx: Tx, facilityId: string, patientId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.facilityId, facilityId),
        eq(auditEvents.patientId, patientId),
        eq(auditEvents.action, CARD_ISSUE_ACTION),
        eq(auditEvents.outcome, 'ok'),
      ),
    );
  return row?.n ?? 0;
}
