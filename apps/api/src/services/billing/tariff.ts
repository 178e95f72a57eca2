import type { Tariff } from '@karte/billing';
import type { Database } from '@karte/db';

/**
 * The tariff as loaded in the database (tariff_items), held in memory per process and reloaded when a newer
 * master import appears (master_imports). Every facility shares it.
 */
export async function currentTariff(_db: Database): Promise<Tariff> {
  throw new Error('currentTariff: not implemented yet');
}
