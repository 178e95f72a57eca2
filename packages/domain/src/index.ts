import { z } from 'zod';

// Japanese messages for every zod check that has no message of its own, on server and browser alike.
z.config(z.locales.ja());

export * from './checkDigit';
export * from './contracts/admin';
export * from './contracts/appointments';
export * from './contracts/billing';
export * from './contracts/chart';
export * from './contracts/clinic';
export * from './contracts/documents';
export * from './contracts/input';
export * from './contracts/offline';
export * from './contracts/patient';
export * from './contracts/twoFactor';
export * from './contracts/visit';
export * from './contracts/vitals';
export * from './dateText';
export * from './eligibility';
export * from './insurance';
export * from './kana';
export * from './orders/checks';
export * from './orders/drugKnowledge';
export * from './orders/labs';
export * from './orders/prescription';
export * from './visitFlow';
export * from './vitals/vitals';
export * from './wareki';
