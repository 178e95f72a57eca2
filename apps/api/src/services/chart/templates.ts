import {
  countTemplatesLocked,
  type Database,
  deleteTemplate,
  insertTemplate,
  templateFor,
  templatesFor,
} from '@karte/db';
import type { Role, SoapContent } from '@karte/domain';
import { TRPCError } from '@trpc/server';
import type { Actor } from '../audit';

/** Caps (issue #12): one request once made 500 セット, and every chart then loaded all their text. */
export const MAX_OWN_TEMPLATES = 50;
export const MAX_SHARED_TEMPLATES = 100;

/** The セット menu: names only; the text comes with template() when one is inserted. */
export function listTemplates(db: Database, actor: Actor) {
  return templatesFor(db, actor.facilityId, actor.userId).then((rows) =>
    rows.map((t) => ({ id: t.id, name: t.name, shared: t.ownerId === null })),
  );
}

export async function readTemplate(db: Database, actor: Actor, id: string) {
  const t = await templateFor(db, actor.facilityId, actor.userId, id);
  if (!t) throw new TRPCError({ code: 'NOT_FOUND', message: 'セットが見つかりません' });
  return { id: t.id, name: t.name, content: t.content, shared: t.ownerId === null };
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
  return db.transaction(async (tx) => {
    const ownerId = input.shared ? null : actor.userId;
    const cap = input.shared ? MAX_SHARED_TEMPLATES : MAX_OWN_TEMPLATES;
    if ((await countTemplatesLocked(tx, actor.facilityId, ownerId)) >= cap) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: input.shared
          ? `施設共通のセットは${cap}件までです。使わないセットを削除してください`
          : `個人のセットは${cap}件までです。使わないセットを削除してください`,
      });
    }
    const row = await insertTemplate(tx, actor.facilityId, {
      ownerId,
      name: input.name,
      content: input.content,
    });
    return { id: row.id, name: row.name, content: row.content, shared: row.ownerId === null };
  });
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
