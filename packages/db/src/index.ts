export * from './lock';
export * from './open';
export * from './queries/admin';
export * from './queries/audit';
export * from './queries/reception';
export * as schema from './schema';
