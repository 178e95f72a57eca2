import type { Database } from '@karte/db';
import type { BillingSettings } from '@karte/domain';
import type { Actor } from '../audit';

// The facility's billing settings: 届出, 診療時間, 休診日, 地方単独 公費, 自費 price list.

export async function readBillingSettings(
  _db: Database,
  _actor: Actor,
): Promise<BillingSettings & { version: number }> {
  throw new Error('readBillingSettings: not implemented yet');
}

export async function saveBillingSettings(
  _db: Database,
  _actor: Actor,
  _input: { expectedVersion: number; settings: BillingSettings },
): Promise<BillingSettings & { version: number }> {
  throw new Error('saveBillingSettings: not implemented yet');
}
