import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../open';
import { billingSettings } from '../schema';

export type BillingSettingsRow = typeof billingSettings.$inferSelect;

export async function getBillingSettings(tx: Tx, facilityId: string): Promise<BillingSettingsRow | null> {
  const [row] = await tx.select().from(billingSettings).where(eq(billingSettings.facilityId, facilityId));
  return row ?? null;
}

/**
 * Saves the facility's settings over the version the editor read (0: none saved yet). Returns null when
 * someone saved in between (a conflict: nothing written).
 */
export async function putBillingSettings(
  tx: Tx,
  facilityId: string,
  v: { expectedVersion: number; content: Record<string, unknown>; userId: string },
): Promise<BillingSettingsRow | null> {
  if (v.expectedVersion === 0) {
    const [row] = await tx
      .insert(billingSettings)
      .values({ facilityId, version: 1, content: v.content, updatedBy: v.userId })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }
  const [row] = await tx
    .update(billingSettings)
    .set({
      content: v.content,
      version: sql`${billingSettings.version} + 1`,
      updatedBy: v.userId,
      updatedAt: new Date(),
    })
    .where(and(eq(billingSettings.facilityId, facilityId), eq(billingSettings.version, v.expectedVersion)))
    .returning();
  return row ?? null;
}
