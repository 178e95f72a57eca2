import { type Database, deleteTemplate, insertTemplate, templatesFor } from '@karte/db';
import type { Role, SoapContent } from '@karte/domain';
import { TRPCError } from '@trpc/server';
import type { Actor } from '../audit';

export function listTemplates(db: Database, actor: Actor) {
  return templatesFor(db, actor.facilityId, actor.userId).then((rows) =>
    rows.map((t) => ({ id: t.id, name: t.name, content: t.content, shared: t.ownerId === null })),
  );
}

/** Facility-wide セット are kept by doctors and admins; anyone keeps their own. */
export async function saveTemplate(
  db: Database,
  actor: Actor,
  role: Role,
  input: { name: string; content: SoapContent; shared: boolean },
) {
  if (input.shared && role !== 'doctor' && role !== 'admin') {
    throw new TRPCError({ code: 'FORBIDDEN', message: '施設共通のセットは医師・管理者が登録します' });
  }
  const row = await insertTemplate(db, actor.facilityId, {
    ownerId: input.shared ? null : actor.userId,
    name: input.name,
    content: input.content,
  });
  return { id: row.id, name: row.name, content: row.content, shared: row.ownerId === null };
}

export async function removeTemplate(
  db: Database,
  actor: Actor,
  role: Role,
  input: { id: string; shared: boolean },
) {
  if (input.shared && role !== 'doctor' && role !== 'admin') {
    throw new TRPCError({ code: 'FORBIDDEN', message: '施設共通のセットは医師・管理者が削除します' });
  }
  if (!(await deleteTemplate(db, actor.facilityId, input.id, input.shared ? null : actor.userId))) {
    throw new TRPCError({ code: 'NOT_FOUND', message: 'セットが見つかりません' });
  }
  return { ok: true as const };
}
