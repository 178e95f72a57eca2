import type { Role } from './contracts/admin';
import type { VisitState } from './contracts/visit';

/**
 * Which state a visit may move to, and who may move it: clerks check in, send to the waiting
 * room and close; doctors (and nurses) call patients in; any staff may put a visit on hold.
 */
const CLERK: Role[] = ['clerk', 'admin'];
const CARE: Role[] = ['doctor', 'nurse'];
const ALL: Role[] = ['clerk', 'admin', 'doctor', 'nurse'];

export const visitTransitions: Record<VisitState, Partial<Record<VisitState, Role[]>>> = {
  received: { waiting: [...CLERK, 'nurse'], on_hold: ALL, cancelled: CLERK },
  waiting: { in_consult: CARE, absent: CARE, on_hold: ALL, cancelled: CLERK },
  in_consult: { billing: ['doctor'], waiting: CARE, on_hold: ALL },
  billing: { done: CLERK, on_hold: ALL },
  on_hold: { waiting: ALL, billing: CLERK, cancelled: CLERK },
  absent: { waiting: ALL, in_consult: CARE, cancelled: CLERK },
  done: {},
  cancelled: {},
};

export function canTransition(from: VisitState, to: VisitState, role: Role): boolean {
  return visitTransitions[from][to]?.includes(role) ?? false;
}

export function nextStates(from: VisitState, role: Role): VisitState[] {
  return (Object.keys(visitTransitions[from]) as VisitState[]).filter((to) => canTransition(from, to, role));
}

/** States that still occupy the day's queue (a cancelled visit frees the patient for a new check-in). */
export const activeVisitStates: VisitState[] = [
  'received',
  'waiting',
  'in_consult',
  'billing',
  'on_hold',
  'absent',
];

/** A move with no way back (完了, 取消): the board asks before making it. */
export function isFinalMove(to: VisitState): boolean {
  return Object.keys(visitTransitions[to]).length === 0;
}

/** States in which the patient is still waiting to be seen. */
const waitingStates: VisitState[] = ['received', 'waiting', 'on_hold', 'absent'];

/** 待ち時間: whole minutes since check-in while the patient still waits; null once seen or closed. */
export function waitingMinutes(
  state: VisitState,
  checkedInAt: Date | string,
  now: Date | number,
): number | null {
  if (!waitingStates.includes(state)) return null;
  const ms = new Date(now).getTime() - new Date(checkedInAt).getTime();
  return Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 60_000)) : null;
}
