import { describe, expect, it } from 'vitest';
import { canTransition, isFinalMove, nextStates, waitingMinutes } from './visitFlow';

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
  it('asks before the moves with no way back (完了, 取消), not before the others', () => {
    expect(isFinalMove('cancelled')).toBe(true);
    expect(isFinalMove('done')).toBe(true);
    for (const to of ['waiting', 'in_consult', 'billing', 'on_hold', 'absent'] as const)
      expect(isFinalMove(to)).toBe(false);
  });
  it('counts 待ち時間 in whole minutes since check-in while the patient waits', () => {
    const at = '2026-11-30T00:00:00.000Z';
    expect(waitingMinutes('received', at, new Date('2026-11-30T00:00:59Z'))).toBe(0);
    expect(waitingMinutes('waiting', new Date(at), Date.parse('2026-11-30T00:42:10Z'))).toBe(42);
    expect(waitingMinutes('on_hold', at, new Date('2026-11-30T01:30:00Z'))).toBe(90);
    expect(waitingMinutes('absent', at, new Date('2026-11-30T00:05:00Z'))).toBe(5);
    // Seen or closed: no waiting time.
    for (const s of ['in_consult', 'billing', 'done', 'cancelled'] as const)
      expect(waitingMinutes(s, at, new Date('2026-11-30T01:00:00Z'))).toBeNull();
  });
});
