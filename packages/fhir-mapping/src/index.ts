export * from './patient';
