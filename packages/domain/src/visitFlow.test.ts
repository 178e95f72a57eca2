import { describe, expect, it } from 'vitest';
import { canTransition, nextStates } from './visitFlow';

describe('visit flow', () => {
  it('lets clerks check in and close, doctors call in', () => {
    expect(canTransition('received', 'waiting', 'clerk')).toBe(true);
    expect(canTransition('waiting', 'in_consult', 'doctor')).toBe(true);
    expect(canTransition('waiting', 'in_consult', 'clerk')).toBe(false);
    expect(canTransition('in_consult', 'billing', 'doctor')).toBe(true);
    expect(canTransition('billing', 'done', 'clerk')).toBe(true);
    expect(canTransition('billing', 'done', 'doctor')).toBe(false);
  });
  it('ends at 完了 and 取消', () => {
    expect(nextStates('done', 'admin')).toEqual([]);
    expect(nextStates('cancelled', 'clerk')).toEqual([]);
    expect(canTransition('received', 'done', 'clerk')).toBe(false);
  });
  it('offers each role only its own moves', () => {
    expect(nextStates('waiting', 'doctor')).toEqual(['in_consult', 'absent', 'on_hold']);
    expect(nextStates('waiting', 'clerk')).toEqual(['on_hold', 'cancelled']);
  });
});
