export * from './admin';
export * from './audit';
export * from './chart';
export * from './reception';
