import type { Tariff } from './types';

/** The bundled 支払基金 masters (2024-06 full files + monthly changes), read once into memory. */
export function bundledTariff(): Tariff {
  throw new Error('bundledTariff: not implemented yet');
}
