import {
  appendAudit,
  type Database,
  type FacilityRow,
  getFacility,
  lockFacility,
  otherFacilityWithCode,
  updateFacilitySettings,
} from '@karte/db';
import {
  type ClinicSettings,
  type ClinicSettingsInput,
  type Department,
  defaultDepartments,
} from '@karte/domain';
import { TRPCError } from '@trpc/server';
import type { Actor } from '../audit';
import type { SessionService } from '../auth/sessions';
import { fieldError } from '../fieldError';

export function toSettings(row: FacilityRow): ClinicSettings {
  return {
    name: row.name,
    address: row.address,
    phone: row.phone,
    institutionCode: row.institutionCode,
    departments: row.departments.length ? row.departments : defaultDepartments,
    version: row.settingsVersion,
  } as ClinicSettings;
}

export async function clinicSettings(db: Database, facilityId: string): Promise<ClinicSettings> {
  const row = await getFacility(db, facilityId);
  if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: '医療機関が見つかりません' });
  return toSettings(row);
}

/** The clinic's 診療科, for reception's choice and the board's filter (every signed-in role). */
export async function facilityDepartments(db: Database, facilityId: string): Promise<Department[]> {
  return (await clinicSettings(db, facilityId)).departments;
}

export const STALE_SETTINGS_MESSAGE =
  '他の管理者が先にクリニック設定を保存しました。画面を開き直して、最新の内容に変更をやり直してください';

/**
 * Saves クリニック設定 if nobody saved since the form was opened (version), in one transaction with its
 * audit event. A new 医療機関コード must be nobody else's: login names the facility by it from now on.
 */
export async function saveClinicSettings(
  db: Database,
  sessions: SessionService,
  actor: Actor,
  input: ClinicSettingsInput,
): Promise<ClinicSettings> {
  const saved = await db.transaction(async (tx) => {
    const before = await lockFacility(tx, actor.facilityId);
    if (!before) throw new TRPCError({ code: 'NOT_FOUND', message: '医療機関が見つかりません' });
    if (before.settingsVersion !== input.expectedVersion)
      throw new TRPCError({ code: 'CONFLICT', message: STALE_SETTINGS_MESSAGE });
    const s = input.settings;
    if (
      s.institutionCode !== before.institutionCode &&
      (await otherFacilityWithCode(tx, actor.facilityId, s.institutionCode))
    )
      throw fieldError(
        'settings.institutionCode',
        'この医療機関コードは既に別の医療機関で使われています',
        'CONFLICT',
      );
    const row = await updateFacilitySettings(tx, actor.facilityId, input.expectedVersion, s);
    if (!row) throw new TRPCError({ code: 'CONFLICT', message: STALE_SETTINGS_MESSAGE });
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of ['name', 'address', 'phone', 'institutionCode'] as const)
      if (before[key] !== row[key]) changed[key] = { from: before[key], to: row[key] };
    if (JSON.stringify(before.departments) !== JSON.stringify(row.departments))
      changed.departments = { from: before.departments, to: row.departments };
    await appendAudit(tx, {
      facilityId: actor.facilityId,
      userId: actor.userId,
      patientId: null,
      action: 'update-clinic-settings',
      procedure: actor.procedure,
      outcome: 'ok',
      detail: { version: row.settingsVersion, changed },
    });
    return row;
  });
  // The top bar shows the clinic's name and login uses the code: signed-in users see the new ones at once.
  sessions.forgetFacility(actor.facilityId);
  return toSettings(saved);
}
