/**
 * Tenancy: a user of facility B can neither read nor change facility A's data, through any
 * procedure of the router. Every procedure must have a case here: adding one without a case fails.
 */

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  currentCoverage,
  currentPublicSubsidies,
  getEntry,
  getPatient,
  getTwoFactorPolicy,
  getUser,
  getVisit,
  insertIntake,
  insertUser,
  insertVisit,
  insertVitalSigns,
  labTrend,
  latestIntake,
  patientVitalSigns,
  schema,
  searchAudit,
  secondFactorsOf,
  setTwoFactorPolicy,
  setVisitState,
  unapprovedInEncounter,
} from '@karte/db';
import { type BillingSettings, emptyDocument, todayInJapan } from '@karte/domain';
import { and, eq, isNull } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './routers/_app';
import { addDays, calendarDay } from './services/appointments/slots';
import { latestCheckpoint } from './services/auditTrail/anchor';
import { anchorDeps } from './services/auditTrail/service';
import { hashPassword } from './services/auth/password';
import { billingSettingsOf, defaultBillingSettings } from './services/billing/settings';
import { decryptOffline, envelopeOfHtml } from './services/offline/crypto';
import { SoftAuthenticator } from './services/twoFactor/softAuthenticator';
import {
  addFacility,
  clientFor,
  errorCodeOf,
  loginAs,
  problemFields,
  startTestApp,
  type TestApp,
  type TestClient,
} from './testing';

let app: TestApp;
let a: Awaited<ReturnType<typeof addFacility>>;
let b: Awaited<ReturnType<typeof addFacility>>;
let aPatient: { id: string; version: number; familyNameKana: string; patientNumber: number };
let bAdmin: TestClient;
let aCoverageId: string;
let aSubsidyId: string;
let aCheckId: string;
let aVisit: { id: string; version: number; state: string };
let aEncounterId: string;
let aEntryId: string;
let aDocumentId: string;
let bDoctor: TestClient;
let aProblem: { id: string; version: number };
let aAllergy: { id: string; version: number };
let aTemplateId: string;
let aRxEntryId: string;
let aBillVisitId: string;
let aBillId: string;

const rxInput = {
  place: 'outside' as const,
  rps: [
    {
      usageCode: '1013044400000000',
      usageText: '１日３回朝昼夕食後　服用',
      kind: 'oral' as const,
      days: 7,
      times: null,
      drugs: [{ code: '1149019F1560', generic: false, name: 'ロキソニン錠６０ｍｇ', dose: 1, unit: 'TAB' }],
    },
  ],
  overrides: [],
};
const labCsv = (patientNumber: number) =>
  Buffer.from(
    `患者番号,採取日,項目コード,結果値,単位,基準値\n${patientNumber},2026-11-20,3A015000002327101,4.2,g/dL,3.8-5.2\n`,
  ).toString('base64');

const patientInput = {
  familyName: '甲野',
  givenName: '一子',
  familyNameKana: 'コウノ',
  givenNameKana: 'イチコ',
  sex: 'female' as const,
  birthDate: '1980-01-01',
  postalCode: '',
  address: '',
  phone: '',
};

beforeAll(async () => {
  app = await startTestApp({ demo: false }, { seed: false });
  a = await addFacility(app.karte, '0110113719', 'a');
  b = await addFacility(app.karte, '1310123458', 'b');
  const aClerk = await loginAs(app.url, 'a-clerk');
  const created = await aClerk.reception.registerPatient.mutate(patientInput);
  if (created.status !== 'created') throw new Error('setup');
  aPatient = created.patient;
  const coverage = await aClerk.reception.saveCoverage.mutate({
    patientId: aPatient.id,
    basedOn: null,
    coverage: { ...coverageInput },
  });
  aCoverageId = coverage.id;
  aSubsidyId = (
    await aClerk.reception.addPublicSubsidy.mutate({ patientId: aPatient.id, subsidy: subsidyInput })
  ).id;
  aCheckId = (
    await aClerk.reception.checkEligibility.mutate({
      patientId: aPatient.id,
      method: 'card',
      consent: { limit: true, medication: true, checkup: true },
    })
  ).checkId;
  aVisit = await aClerk.reception.checkIn.mutate({
    patientId: aPatient.id,
    purpose: '再診',
    department: '内科',
    memo: '',
  });
  bAdmin = await loginAs(app.url, 'b-admin');
  // A's chart: a nurse's proxy entry for A's doctor, confirmed and waiting for approval.
  const aNurse = await loginAs(app.url, 'a-nurse');
  aEncounterId = (await aNurse.chart.openEncounter.mutate({ patientId: aPatient.id, visitId: aVisit.id })).id;
  const draft = await aNurse.chart.saveDraft.mutate({
    encounterId: aEncounterId,
    entryId: null,
    baseRev: 0,
    content: { s: 'A の記載', o: '', a: '', p: '' },
    doctorId: a.users.doctor,
  });
  if (draft.status !== 'saved') throw new Error('setup');
  aEntryId = draft.entryId;
  await aNurse.chart.confirm.mutate({ entryId: aEntryId, baseRev: draft.draftRev, reason: '' });
  await insertUser(app.karte.db, b.facility.id, {
    username: 'b-doctor-2',
    displayName: 'B 医師',
    role: 'doctor',
    passwordHash: await hashPassword('karte-demo'),
  });
  bDoctor = await loginAs(app.url, 'b-doctor-2');
  aProblem = await aNurse.chart.addProblem.mutate({ patientId: aPatient.id, problem: problemInput });
  aAllergy = await aNurse.chart.addAllergy.mutate({ patientId: aPatient.id, allergy: allergyInput });
  // A's prescription (confirmed by A's doctor) and a lab result.
  const aDoc = await loginAs(app.url, 'a-doctor');
  const rx = await aDoc.orders.saveDraft.mutate({
    encounterId: aEncounterId,
    entryId: null,
    baseRev: 0,
    content: rxInput,
    doctorId: null,
  });
  if (rx.status !== 'saved') throw new Error('setup');
  aRxEntryId = rx.entryId;
  await aDoc.orders.confirm.mutate({ entryId: aRxEntryId, baseRev: rx.draftRev, reason: '', overrides: [] });
  await aDoc.orders.importLabs.mutate({ fileName: 'a.csv', base64: labCsv(aPatient.patientNumber) });
  const doc = await aDoc.documents.create.mutate({
    encounterId: aEncounterId,
    type: 'referral',
    doctorId: null,
  });
  if (doc.status !== 'saved') throw new Error('setup');
  aDocumentId = doc.entryId;
  const aDoctor = await loginAs(app.url, 'a-admin');
  aTemplateId = (
    await aDoctor.chart.saveTemplate.mutate({
      name: 'A のセット',
      content: { s: 'A', o: '', a: '', p: '' },
      shared: true,
    })
  ).id;
  // A's 会計: an earlier visit at 会計待, confirmed with nothing paid (未収).
  const billVisit = await insertVisit(app.karte.db, a.facility.id, a.users.clerk, {
    patientId: aPatient.id,
    visitDate: '2026-11-02',
    purpose: '再診',
    department: '内科',
    memo: '',
    coverageId: null,
    eligibilityConfirmed: 0,
  });
  await setVisitState(app.karte.db, a.facility.id, a.users.clerk, billVisit.id, billVisit.version, 'billing');
  aBillVisitId = billVisit.id;
  const opened = await aClerk.billing.open.query({ visitId: aBillVisitId });
  aBillId =
    (
      await aClerk.billing.confirm.mutate({
        visitId: aBillVisitId,
        expectedVersion: 0,
        draft: opened.draft,
        reason: '',
      })
    ).bill?.id ?? '';
});
afterAll(() => app?.close());

const coverageInput = {
  insurerNumber: '01130012',
  symbol: '１２３',
  number: '４５６',
  branch: '01',
  relationship: 'self' as const,
  acquiredOn: '2020-04-01',
  validUntil: '',
  limitCategory: '',
  wariOverride: '' as const,
};
const subsidyInput = {
  priority: 1,
  payerNumber: '54016027',
  recipientNumber: '1234566',
  validFrom: '',
  validUntil: '',
  monthlyCap: 5000,
};

const problemInput = problemFields('A の病名');
const allergyInput = {
  category: 'food' as const,
  drugCode: null,
  substance: '卵',
  criticality: 'low' as const,
  reaction: '',
  onsetDate: '',
  status: 'active' as const,
};

type Case = () => Promise<void>;

/** A's offline file, made once by A's admin (its passphrase set first). */
const aOfflinePassphrase = 'A院の停電用パスフレーズ-77';
let aOffline: Promise<{ sha256: string; date: string }> | undefined;
function aOfflineExport() {
  aOffline ??= (async () => {
    const aAdmin = await loginAs(app.url, 'a-admin');
    await aAdmin.offline.setPassphrase.mutate({
      passphrase: aOfflinePassphrase,
      confirm: aOfflinePassphrase,
    });
    return aAdmin.offline.exportNow.mutate();
  })();
  return aOffline;
}
const bOfflinePassphrase = 'B院の停電用パスフレーズ-88';
const aKeyFile = () => readFile(join(app.config.offline.keyDir, `${a.facility.id}.key`), 'utf8');

const getBillVersions = (billId: string) =>
  app.karte.db.select().from(schema.billVersions).where(eq(schema.billVersions.billId, billId));

/** A's 会計 settings, saved once by A's admin: a 自費 item only A has, and a 届出. */
let aBillingSettings: Promise<BillingSettings & { version: number }> | undefined;
function aSavedBillingSettings() {
  aBillingSettings ??= (async () => {
    const aAdmin = await loginAs(app.url, 'a-admin');
    const { version, ...current } = await aAdmin.billing.settings.query();
    return aAdmin.billing.saveSettings.mutate({
      expectedVersion: version,
      settings: {
        ...current,
        standards: ['1'],
        selfPayItems: [{ id: 'a-certificate', name: 'A院診断書', priceYen: 5500, taxable: true }],
      },
    });
  })();
  return aBillingSettings;
}

/** A's nurse with TOTP confirmed, and a sign-in of hers waiting for the code (made once). */
let aTotp: Promise<void> | undefined;
function aPendingTotpLogin() {
  aTotp ??= (async () => {
    const nurse = await loginAs(app.url, 'a-nurse');
    const started = await nurse.twoFactor.startEnrolment.mutate();
    const code = new TOTP({ secret: Secret.fromBase32(started.secret) }).generate();
    await nurse.twoFactor.confirmEnrolment.mutate({ code });
    const pending = await clientFor(app.url).auth.login.mutate({
      facilityCode: a.facility.institutionCode,
      username: 'a-nurse',
      password: 'karte-demo',
    });
    if (pending.next !== 'second-factor') throw new Error('setup');
  })();
  return aTotp;
}

/** A passkey of A's clerk, registered through the API with a software authenticator (made once). */
let aKey: Promise<{ id: string; credentialId: string; authenticator: SoftAuthenticator }> | undefined;
function aPasskey() {
  aKey ??= (async () => {
    const clerk = await loginAs(app.url, 'a-clerk');
    const authenticator = new SoftAuthenticator(app.url);
    const options = await clerk.passkeys.registrationOptions.mutate();
    const response = authenticator.create(options);
    const made = await clerk.passkeys.register.mutate({ name: 'A', response });
    return { id: made.id, credentialId: response.id, authenticator };
  })();
  return aKey;
}

const cases: Record<string, Case> = {
  'auth.me': async () => {
    const me = await bAdmin.auth.me.query();
    expect(me.auth?.facility.id).toBe(b.facility.id);
  },
  'auth.login': async () => {
    // Logging in as B never yields A's facility, whatever the input says (unknown fields are refused).
    const c = clientFor(app.url);
    expect(
      await errorCodeOf(
        c.auth.login.mutate({
          facilityCode: b.facility.institutionCode,
          username: 'b-clerk',
          password: 'karte-demo',
          facilityId: a.facility.id,
        } as never),
      ),
    ).toBe('BAD_REQUEST');
    await c.auth.login.mutate({
      facilityCode: b.facility.institutionCode,
      username: 'b-clerk',
      password: 'karte-demo',
    });
    expect((await c.auth.me.query()).auth?.facility.id).toBe(b.facility.id);
  },
  'auth.logout': async () => {
    const c = await loginAs(app.url, 'b-nurse');
    await c.auth.logout.mutate();
    const aClerk = await loginAs(app.url, 'a-clerk');
    expect((await aClerk.auth.me.query()).auth?.facility.id).toBe(a.facility.id);
  },
  'auth.changePassword': async () => {
    const c = await loginAs(app.url, 'b-doctor');
    await c.auth.changePassword.mutate({
      currentPassword: 'karte-demo',
      newPassword: 'tenancy-new-pass-7',
      confirmPassword: 'tenancy-new-pass-7',
    });
    // A's users are untouched.
    await loginAs(app.url, 'a-doctor');
  },
  'reception.searchPatients': async () => {
    for (const query of [aPatient.familyNameKana, '甲野', '1980-01-01', String(aPatient.patientNumber)]) {
      const rows = await bAdmin.reception.searchPatients.query({ query, limit: 100 });
      expect(rows.map((r) => r.id)).not.toContain(aPatient.id);
    }
  },
  'reception.getPatient': async () => {
    expect(await errorCodeOf(bAdmin.reception.getPatient.query({ id: aPatient.id }))).toBe('NOT_FOUND');
  },
  'reception.registerPatient': async () => {
    const r = await bAdmin.reception.registerPatient.mutate({ ...patientInput, confirmDuplicate: true });
    if (r.status !== 'created') throw new Error('expected created');
    const row = await getPatient(app.karte.db, b.facility.id, r.patient.id);
    expect(row?.facilityId).toBe(b.facility.id);
    expect(await getPatient(app.karte.db, a.facility.id, r.patient.id)).toBeNull();
  },
  'reception.updatePatient': async () => {
    expect(
      await errorCodeOf(
        bAdmin.reception.updatePatient.mutate({
          ...patientInput,
          id: aPatient.id,
          version: aPatient.version,
          address: '乗っ取り',
        }),
      ),
    ).toBe('NOT_FOUND');
    const row = await getPatient(app.karte.db, a.facility.id, aPatient.id);
    expect(row?.address).toBe('');
    expect(row?.version).toBe(aPatient.version);
  },
  'reception.insurance': async () => {
    expect(await errorCodeOf(bAdmin.reception.insurance.query({ patientId: aPatient.id }))).toBe('NOT_FOUND');
  },
  'reception.saveCoverage': async () => {
    expect(
      await errorCodeOf(
        bAdmin.reception.saveCoverage.mutate({
          patientId: aPatient.id,
          basedOn: aCoverageId,
          coverage: coverageInput,
        }),
      ),
    ).toBe('NOT_FOUND');
    expect((await currentCoverage(app.karte.db, a.facility.id, aPatient.id))?.id).toBe(aCoverageId);
  },
  'reception.addPublicSubsidy': async () => {
    expect(
      await errorCodeOf(
        bAdmin.reception.addPublicSubsidy.mutate({
          patientId: aPatient.id,
          subsidy: { ...subsidyInput, priority: 2 },
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(await currentPublicSubsidies(app.karte.db, a.facility.id, aPatient.id)).toHaveLength(1);
  },
  'reception.removePublicSubsidy': async () => {
    expect(
      await errorCodeOf(
        bAdmin.reception.removePublicSubsidy.mutate({ patientId: aPatient.id, id: aSubsidyId }),
      ),
    ).toBe('NOT_FOUND');
    expect((await currentPublicSubsidies(app.karte.db, a.facility.id, aPatient.id))[0]?.id).toBe(aSubsidyId);
  },
  'reception.checkEligibility': async () => {
    expect(
      await errorCodeOf(
        bAdmin.reception.checkEligibility.mutate({
          patientId: aPatient.id,
          method: 'card',
          consent: { limit: false, medication: false, checkup: false },
        }),
      ),
    ).toBe('NOT_FOUND');
  },
  'reception.applyEligibility': async () => {
    expect(
      await errorCodeOf(
        bAdmin.reception.applyEligibility.mutate({ checkId: aCheckId, basedOn: null, fields: [] }),
      ),
    ).toBe('NOT_FOUND');
    expect((await currentCoverage(app.karte.db, a.facility.id, aPatient.id))?.id).toBe(aCoverageId);
  },
  'reception.checkIn': async () => {
    expect(
      await errorCodeOf(
        bAdmin.reception.checkIn.mutate({
          patientId: aPatient.id,
          purpose: '乗っ取り',
          department: '内科',
          memo: '',
        }),
      ),
    ).toBe('NOT_FOUND');
  },
  'reception.moveVisit': async () => {
    expect(
      await errorCodeOf(
        bAdmin.reception.moveVisit.mutate({ visitId: aVisit.id, to: 'cancelled', version: aVisit.version }),
      ),
    ).toBe('NOT_FOUND');
    expect((await getVisit(app.karte.db, a.facility.id, aVisit.id))?.state).toBe('received');
  },
  'reception.board': async () => {
    const board = await bAdmin.reception.board.query();
    expect(board.map((v) => v.id)).not.toContain(aVisit.id);
  },
  'reception.boardStamp': async () => {
    // B has no visits today: A's visit does not move B's stamp.
    expect(await bAdmin.reception.boardStamp.query()).toMatch(/^0:/);
  },
  'chart.chart': async () => {
    expect(await errorCodeOf(bAdmin.chart.chart.query({ patientId: aPatient.id }))).toBe('NOT_FOUND');
  },
  'chart.openEncounter': async () => {
    expect(
      await errorCodeOf(bDoctor.chart.openEncounter.mutate({ patientId: aPatient.id, visitId: null })),
    ).toBe('NOT_FOUND');
  },
  'chart.saveDraft': async () => {
    const content = { s: '乗っ取り', o: '', a: '', p: '' };
    expect(
      await errorCodeOf(
        bDoctor.chart.saveDraft.mutate({
          encounterId: aEncounterId,
          entryId: aEntryId,
          baseRev: 2,
          content,
          doctorId: null,
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(
      await errorCodeOf(
        bDoctor.chart.saveDraft.mutate({
          encounterId: aEncounterId,
          entryId: null,
          baseRev: 0,
          content,
          doctorId: null,
        }),
      ),
    ).toBe('NOT_FOUND');
  },
  'chart.startCorrection': async () => {
    expect(await errorCodeOf(bDoctor.chart.startCorrection.mutate({ entryId: aEntryId }))).toBe('NOT_FOUND');
    expect((await getEntry(app.karte.db, a.facility.id, aEntryId))?.draft).toBeNull();
  },
  'chart.confirm': async () => {
    expect(
      await errorCodeOf(bDoctor.chart.confirm.mutate({ entryId: aEntryId, baseRev: 2, reason: 'x' })),
    ).toBe('NOT_FOUND');
  },
  'chart.pendingApprovals': async () => {
    expect(await bDoctor.chart.pendingApprovals.query()).toEqual([]);
  },
  'chart.approve': async () => {
    expect(
      await errorCodeOf(bDoctor.chart.approve.mutate({ items: [{ entryId: aEntryId, version: 1 }] })),
    ).toBe('FORBIDDEN');
    expect(await unapprovedInEncounter(app.karte.db, a.facility.id, aEncounterId)).toBe(1);
  },
  'chart.searchDiseases': async () => {
    // The master is shared reference data, the same for every facility.
    expect(
      (await bDoctor.chart.searchDiseases.query({ query: 'かんぼう', limit: 5 })).length,
    ).toBeGreaterThan(0);
  },
  'chart.searchDrugs': async () => {
    expect((await bDoctor.chart.searchDrugs.query({ query: 'ロキソニン', limit: 5 })).length).toBeGreaterThan(
      0,
    );
  },
  // drugs workstream (issue #15): master reads, the same for every facility.
  'chart.searchUsages': async () => {
    expect(
      (await bDoctor.chart.searchUsages.query({ query: '朝', kind: 'oral', limit: 5 })).length,
    ).toBeGreaterThan(0);
  },
  'chart.drugClassNames': async () => {
    expect(await bDoctor.chart.drugClassNames.query()).toContain('ペニシリン系');
  },
  'chart.problems': async () => {
    expect(await errorCodeOf(bDoctor.chart.problems.query({ patientId: aPatient.id }))).toBe('NOT_FOUND');
  },
  'chart.addProblem': async () => {
    expect(
      await errorCodeOf(bDoctor.chart.addProblem.mutate({ patientId: aPatient.id, problem: problemInput })),
    ).toBe('NOT_FOUND');
  },
  'chart.updateProblem': async () => {
    expect(
      await errorCodeOf(
        bDoctor.chart.updateProblem.mutate({
          id: aProblem.id,
          version: aProblem.version,
          problem: { ...problemInput, name: 'x' },
        }),
      ),
    ).toBe('NOT_FOUND');
  },
  'chart.removeProblem': async () => {
    expect(
      await errorCodeOf(
        bDoctor.chart.removeProblem.mutate({ id: aProblem.id, version: aProblem.version, reason: '誤登録' }),
      ),
    ).toBe('NOT_FOUND');
  },
  'billing.open': async () => {
    expect(await errorCodeOf(bAdmin.billing.open.query({ visitId: aBillVisitId }))).toBe('NOT_FOUND');
  },
  'billing.preview': async () => {
    const draft = {
      visitKind: 'revisit' as const,
      visitKindReason: '',
      items: [{ kind: 'procedure' as const, code: '112007410', count: 1, source: 'proposed' as const }],
      removed: [],
      selfPay: [],
      publicSubsidyIds: [],
    };
    expect(await errorCodeOf(bAdmin.billing.preview.query({ visitId: aBillVisitId, draft }))).toBe(
      'NOT_FOUND',
    );
  },
  'billing.confirm': async () => {
    const draft = {
      visitKind: 'revisit' as const,
      visitKindReason: '',
      items: [],
      removed: [],
      selfPay: [],
      publicSubsidyIds: [],
    };
    expect(
      await errorCodeOf(
        bAdmin.billing.confirm.mutate({
          visitId: aBillVisitId,
          expectedVersion: 1,
          draft,
          reason: 'B から訂正',
        }),
      ),
    ).toBe('NOT_FOUND');
    expect((await getBillVersions(aBillId)).length).toBe(1);
  },
  'billing.pay': async () => {
    expect(
      await errorCodeOf(
        bAdmin.billing.pay.mutate({ billId: aBillId, payment: { amountYen: 10, method: 'cash' } }),
      ),
    ).toBe('NOT_FOUND');
    expect(await app.karte.db.select().from(schema.billPayments)).toEqual([]);
  },
  'billing.print': async () => {
    expect(await errorCodeOf(bAdmin.billing.print.query({ billId: aBillId, kind: 'receipt' }))).toBe(
      'NOT_FOUND',
    );
    // Issuing another clinic's receipt is refused too, and records no print.
    expect(
      await errorCodeOf(bAdmin.billing.print.query({ billId: aBillId, kind: 'statement', issue: true })),
    ).toBe('NOT_FOUND');
    expect(await app.karte.db.select().from(schema.billPrints)).toEqual([]);
  },
  'billing.unpaid': async () => {
    expect(await errorCodeOf(bAdmin.billing.unpaid.query({ patientId: aPatient.id }))).toBe('NOT_FOUND');
  },
  'billing.daily': async () => {
    const report = await bAdmin.billing.daily.query({ date: '2026-11-02' });
    expect(report.rows).toEqual([]);
    expect(report.totals.chargeYen).toBe(0);
  },
  'chart.allergies': async () => {
    expect(await errorCodeOf(bDoctor.chart.allergies.query({ patientId: aPatient.id }))).toBe('NOT_FOUND');
  },
  'chart.addAllergy': async () => {
    expect(
      await errorCodeOf(bDoctor.chart.addAllergy.mutate({ patientId: aPatient.id, allergy: allergyInput })),
    ).toBe('NOT_FOUND');
  },
  'chart.setAllergyStatus': async () => {
    expect(
      await errorCodeOf(
        bDoctor.chart.setAllergyStatus.mutate({
          patientId: aPatient.id,
          id: aAllergy.id,
          version: aAllergy.version,
          status: 'resolved',
        }),
      ),
    ).toBe('NOT_FOUND');
  },
  'chart.addInfection': async () => {
    expect(
      await errorCodeOf(
        bDoctor.chart.addInfection.mutate({
          patientId: aPatient.id,
          infection: { kind: 'HIV', result: 'positive', testedOn: '' },
        }),
      ),
    ).toBe('NOT_FOUND');
  },
  'documents.list': async () => {
    expect(await errorCodeOf(bDoctor.documents.list.query({ patientId: aPatient.id }))).toBe('NOT_FOUND');
  },
  'documents.get': async () => {
    expect(await errorCodeOf(bDoctor.documents.get.query({ entryId: aDocumentId }))).toBe('NOT_FOUND');
  },
  'documents.create': async () => {
    expect(
      await errorCodeOf(
        bDoctor.documents.create.mutate({ encounterId: aEncounterId, type: 'checkup', doctorId: null }),
      ),
    ).toBe('NOT_FOUND');
  },
  'documents.saveDraft': async () => {
    expect(
      await errorCodeOf(
        bDoctor.documents.saveDraft.mutate({
          encounterId: aEncounterId,
          entryId: aDocumentId,
          baseRev: 1,
          content: emptyDocument('referral'),
        }),
      ),
    ).toBe('NOT_FOUND');
  },
  'documents.finalise': async () => {
    expect(
      await errorCodeOf(bDoctor.documents.finalise.mutate({ entryId: aDocumentId, baseRev: 1, reason: '' })),
    ).toBe('NOT_FOUND');
  },
  'sharing.patientSubmissions': async () => {
    expect(await errorCodeOf(bDoctor.sharing.patientSubmissions.query({ patientId: aPatient.id }))).toBe(
      'NOT_FOUND',
    );
  },
  'sharing.submissions': async () => {
    const own = await bDoctor.sharing.submissions.query({ limit: 500 });
    expect(own.rows.map((r) => r.patientId)).not.toContain(aPatient.id);
  },
  'sharing.resend': async () => {
    const [row] = await app.karte.db.select().from(schema.shareSubmissions).limit(1);
    expect(row).toBeDefined();
    expect(await errorCodeOf(bDoctor.sharing.resend.mutate({ id: row!.id }))).toBe('NOT_FOUND');
  },
  'sharing.setConsent': async () => {
    expect(
      await errorCodeOf(bDoctor.sharing.setConsent.mutate({ patientId: aPatient.id, withdrawn: true })),
    ).toBe('NOT_FOUND');
  },
  'sharing.patientBundles': async () => {
    expect(await errorCodeOf(bDoctor.sharing.patientBundles.query({ patientId: aPatient.id }))).toBe(
      'NOT_FOUND',
    );
  },
  'chart.summary': async () => {
    expect(await errorCodeOf(bAdmin.chart.summary.query({ patientId: aPatient.id }))).toBe('NOT_FOUND');
  },
  'chart.templates': async () => {
    expect((await bDoctor.chart.templates.query()).map((t) => t.id)).not.toContain(aTemplateId);
  },
  'chart.template': async () => {
    expect(await errorCodeOf(bDoctor.chart.template.query({ id: aTemplateId }))).toBe('NOT_FOUND');
  },
  'chart.saveTemplate': async () => {
    const t = await bDoctor.chart.saveTemplate.mutate({
      name: 'B',
      content: { s: 'B', o: '', a: '', p: '' },
      shared: true,
    });
    expect((await bDoctor.chart.templates.query()).map((x) => x.id)).toContain(t.id);
  },
  'chart.deleteTemplate': async () => {
    expect(await errorCodeOf(bDoctor.chart.deleteTemplate.mutate({ id: aTemplateId, shared: true }))).toBe(
      'NOT_FOUND',
    );
  },
  'orders.check': async () => {
    expect(
      await errorCodeOf(
        bDoctor.orders.check.query({ patientId: aPatient.id, entryId: null, rps: rxInput.rps }),
      ),
    ).toBe('NOT_FOUND');
  },
  'orders.saveDraft': async () => {
    expect(
      await errorCodeOf(
        bDoctor.orders.saveDraft.mutate({
          encounterId: aEncounterId,
          entryId: null,
          baseRev: 0,
          content: rxInput,
          doctorId: null,
        }),
      ),
    ).toBe('NOT_FOUND');
  },
  'orders.confirm': async () => {
    expect(
      await errorCodeOf(
        bDoctor.orders.confirm.mutate({ entryId: aRxEntryId, baseRev: 2, reason: 'x', overrides: [] }),
      ),
    ).toBe('NOT_FOUND');
    expect((await getEntry(app.karte.db, a.facility.id, aRxEntryId))?.currentVersion).toBe(1);
  },
  'orders.lastPrescription': async () => {
    expect(await errorCodeOf(bDoctor.orders.lastPrescription.query({ patientId: aPatient.id }))).toBe(
      'NOT_FOUND',
    );
  },
  'orders.sheet': async () => {
    expect(await errorCodeOf(bDoctor.orders.sheet.query({ entryId: aRxEntryId }))).toBe('NOT_FOUND');
  },
  'orders.searchLabCodes': async () => {
    // Shared reference data (the JP-CLINS JLAC10 lists).
    expect((await bDoctor.orders.searchLabCodes.query({ query: 'ALB', limit: 5 })).length).toBeGreaterThan(0);
  },
  'orders.addLabResults': async () => {
    expect(
      await errorCodeOf(
        bDoctor.orders.addLabResults.mutate({
          patientId: aPatient.id,
          results: [
            { collectedOn: '2026-11-21', code: 'LOCAL1', name: 'x', value: '1', unit: '', range: '' },
          ],
        }),
      ),
    ).toBe('NOT_FOUND');
  },
  'orders.correctLabResult': async () => {
    const [aResult] = await labTrend(app.karte.db, a.facility.id, aPatient.id, '3A015000002327101');
    expect(
      await errorCodeOf(
        bDoctor.orders.correctLabResult.mutate({
          resultId: aResult!.result.id,
          correction: { value: '9.9', unit: 'g/dL', range: '', reason: '他院からの修正' },
        }),
      ),
    ).toBe('NOT_FOUND');
    const [after] = await labTrend(app.karte.db, a.facility.id, aPatient.id, '3A015000002327101');
    expect(after?.result.id).toBe(aResult?.result.id);
    expect(after?.result.supersedes).toBeNull();
  },
  'orders.previewLabImport': async () => {
    // A 患者番号 in B's file means B's patient of that number (if any), never A's.
    await bDoctor.orders.previewLabImport.mutate({
      fileName: 'b.csv',
      base64: labCsv(aPatient.patientNumber),
    });
    expect(await labTrend(app.karte.db, a.facility.id, aPatient.id, '3A015000002327101')).toHaveLength(1);
  },
  'orders.importLabs': async () => {
    await bDoctor.orders.importLabs
      .mutate({ fileName: 'b.csv', base64: labCsv(aPatient.patientNumber) })
      .catch(() => undefined);
    expect(await labTrend(app.karte.db, a.facility.id, aPatient.id, '3A015000002327101')).toHaveLength(1);
    // The same file as A's is a new file for B: A's import does not make it a duplicate for B.
    expect(await labTrend(app.karte.db, b.facility.id, aPatient.id, '3A015000002327101')).toEqual([]);
  },
  'orders.labTable': async () => {
    expect(await errorCodeOf(bDoctor.orders.labTable.query({ patientId: aPatient.id, dates: 10 }))).toBe(
      'NOT_FOUND',
    );
  },
  'orders.labTrend': async () => {
    expect(
      await errorCodeOf(bDoctor.orders.labTrend.query({ patientId: aPatient.id, code: '3A015000002327101' })),
    ).toBe('NOT_FOUND');
  },
  'admin.listUsers': async () => {
    const users = await bAdmin.admin.listUsers.query();
    expect(users.length).toBeGreaterThan(0);
    expect(users.map((u) => u.id)).not.toContain(a.users.clerk);
  },
  'admin.createUser': async () => {
    const u = await bAdmin.admin.createUser.mutate({
      username: 'b-new-clerk',
      displayName: 'B 新人',
      role: 'clerk',
      initialPassword: 'initial-pass-1',
    });
    expect(await getUser(app.karte.db, b.facility.id, u.id)).not.toBeNull();
    expect(await getUser(app.karte.db, a.facility.id, u.id)).toBeNull();
  },
  'admin.setUserActive': async () => {
    expect(await errorCodeOf(bAdmin.admin.setUserActive.mutate({ id: a.users.clerk, active: false }))).toBe(
      'NOT_FOUND',
    );
    expect((await getUser(app.karte.db, a.facility.id, a.users.clerk))?.active).toBe(true);
  },
  'admin.searchAudit': async () => {
    const byPatient = await bAdmin.admin.searchAudit.query({ patientId: aPatient.id, limit: 500 });
    expect(byPatient).toEqual([]);
    const byUser = await bAdmin.admin.searchAudit.query({ userId: a.users.clerk, limit: 500 });
    expect(byUser).toEqual([]);
    const all = await bAdmin.admin.searchAudit.query({ limit: 500 });
    const aHashes = new Set(
      (await searchAudit(app.karte.db, a.facility.id, { limit: 500 })).map((e) => e.hash),
    );
    expect(all.some((e) => aHashes.has(e.hash))).toBe(false);
  },
  'billing.settings': async () => {
    await aSavedBillingSettings();
    const seen = await bAdmin.billing.settings.query();
    expect(seen.version).toBe(0);
    expect(seen.selfPayItems).toEqual([]);
    expect(seen.standards).toEqual([]);
  },
  'billing.saveSettings': async () => {
    const aSaved = await aSavedBillingSettings();
    // B saves at A's version number: a version of B's own settings (none yet), so a conflict, and A's stay.
    const { version: _, ...aFields } = aSaved;
    expect(
      await errorCodeOf(
        bAdmin.billing.saveSettings.mutate({ expectedVersion: aSaved.version, settings: aFields }),
      ),
    ).toBe('CONFLICT');
    const bSaved = await bAdmin.billing.saveSettings.mutate({
      expectedVersion: 0,
      settings: { ...aFields, selfPayItems: [] },
    });
    expect(bSaved.version).toBe(1);
    expect(await billingSettingsOf(app.karte.db, a.facility.id)).toEqual(aSaved);
  },
  'billing.searchItems': async () => {
    await aSavedBillingSettings();
    const aClerk = await loginAs(app.url, 'a-clerk');
    const own = await aClerk.billing.searchItems.query({ q: 'A院', date: '2026-12-01' });
    expect(own.map((h) => h.code)).toContain('a-certificate'); // the item is there to be found
    for (const q of ['A院', 'a-cert']) {
      const hits = await bDoctor.billing.searchItems.query({ q, date: '2026-12-01' });
      expect(hits.filter((h) => h.kind === 'selfPay')).toEqual([]);
    }
  },
  'offline.status': async () => {
    const aFile = await aOfflineExport();
    const seen = await bAdmin.offline.status.query();
    expect(seen.files.map((f) => f.sha256)).not.toContain(aFile.sha256);
  },
  'offline.setPassphrase': async () => {
    await aOfflineExport();
    const before = await aKeyFile();
    await bAdmin.offline.setPassphrase.mutate({
      passphrase: bOfflinePassphrase,
      confirm: bOfflinePassphrase,
    });
    expect(await aKeyFile()).toBe(before);
    expect((await bAdmin.offline.status.query()).passphraseSet).toBe(true);
  },
  'offline.exportNow': async () => {
    await aOfflineExport();
    await bAdmin.offline.setPassphrase.mutate({
      passphrase: bOfflinePassphrase,
      confirm: bOfflinePassphrase,
    });
    const bFile = await bAdmin.offline.exportNow.mutate();
    const { html } = await bAdmin.offline.download.query({ date: bFile.date });
    const embedded = envelopeOfHtml(html);
    if (!embedded) throw new Error('no envelope');
    const text = (await decryptOffline(embedded.envelope, bOfflinePassphrase)).plaintext;
    expect(text).not.toContain(patientInput.familyName);
    expect(text).not.toContain(patientInput.familyNameKana);
    // A's passphrase opens nothing of B's.
    await expect(decryptOffline(embedded.envelope, aOfflinePassphrase)).rejects.toThrow();
  },
  'offline.download': async () => {
    const aFile = await aOfflineExport();
    // B asks for A's day: B's own file if B made one that day, never A's.
    const got = await bAdmin.offline.download.query({ date: aFile.date }).catch((e: unknown) => e);
    if (got && typeof got === 'object' && 'html' in got) expect(String(got.html)).not.toContain(aFile.sha256);
    else expect(await errorCodeOf(Promise.reject(got))).toBe('NOT_FOUND');
  },
  'backups.overview': async () => {
    // The installation's backups: file names, sizes and times only — nothing of clinic A shows to B's admin.
    const seen = JSON.stringify(await bAdmin.backups.overview.query());
    for (const secret of [a.facility.id, a.facility.name, a.users.clerk, aPatient.id])
      expect(seen).not.toContain(secret);
  },
  'backups.runNow': async () => {
    const before = await app.karte.db
      .select({ action: schema.auditEvents.action })
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.facilityId, a.facility.id));
    expect(await errorCodeOf(bAdmin.backups.runNow.mutate())).toBe('BAD_REQUEST'); // no folder on this server
    const after = await app.karte.db
      .select({ action: schema.auditEvents.action })
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.facilityId, a.facility.id));
    expect(after).toEqual(before); // nothing written into A's chain
  },
  'admin.updateUser': async () => {
    expect(
      await errorCodeOf(
        bAdmin.admin.updateUser.mutate({ id: a.users.clerk, displayName: '乗っ取り', role: 'admin' }),
      ),
    ).toBe('NOT_FOUND');
    const clerk = await getUser(app.karte.db, a.facility.id, a.users.clerk);
    expect(clerk?.role).toBe('clerk');
    expect(clerk?.displayName).not.toBe('乗っ取り');
  },
  'admin.resetPassword': async () => {
    const before = await getUser(app.karte.db, a.facility.id, a.users.nurse);
    expect(await errorCodeOf(bAdmin.admin.resetPassword.mutate({ id: a.users.nurse, password: null }))).toBe(
      'NOT_FOUND',
    );
    const after = await getUser(app.karte.db, a.facility.id, a.users.nurse);
    expect(after?.passwordHash).toBe(before?.passwordHash);
    expect(after?.mustChangePassword).toBe(false);
  },
  'clinic.settings': async () => {
    const seen = await bAdmin.clinic.settings.query();
    expect(seen.institutionCode).toBe(b.facility.institutionCode);
    expect(seen.name).toBe(b.facility.name);
  },
  'clinic.save': async () => {
    const seen = await bAdmin.clinic.settings.query();
    // B cannot take A's 医療機関コード (login names the facility by it)…
    expect(
      await errorCodeOf(
        bAdmin.clinic.save.mutate({
          expectedVersion: seen.version,
          settings: { ...withoutVersion(seen), institutionCode: a.facility.institutionCode },
        }),
      ),
    ).toBe('CONFLICT');
    // …and B's own save changes B only.
    await bAdmin.clinic.save.mutate({
      expectedVersion: seen.version,
      settings: { ...withoutVersion(seen), departments: [{ code: '26', name: 'B眼科' }] },
    });
    const aRow = await app.karte.db
      .select()
      .from(schema.facilities)
      .where(eq(schema.facilities.id, a.facility.id));
    expect(aRow[0]?.departments.map((d) => d.name)).not.toContain('B眼科');
    expect(aRow[0]?.institutionCode).toBe(a.facility.institutionCode);
  },
  'clinic.departments': async () => {
    const aAdmin = await loginAs(app.url, 'a-admin');
    const aSettings = await aAdmin.clinic.settings.query();
    await aAdmin.clinic.save.mutate({
      expectedVersion: aSettings.version,
      settings: { ...withoutVersion(aSettings), departments: [{ code: '01', name: 'A院内科' }] },
    });
    const seen = await bDoctor.clinic.departments.query();
    expect(seen.map((d) => d.name)).not.toContain('A院内科');
  },
  'sessions.mine': async () => {
    await loginAs(app.url, 'a-doctor');
    const mine = await bDoctor.sessions.mine.query();
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((s) => s.user.username.startsWith('b-'))).toBe(true);
  },
  'sessions.revokeMine': async () => {
    const ref = await openSessionRefOf(a.users.doctor);
    expect(await errorCodeOf(bDoctor.sessions.revokeMine.mutate({ ref }))).toBe('NOT_FOUND');
    expect(await openSessionRefOf(a.users.doctor)).toBe(ref);
  },
  'sessions.facility': async () => {
    await loginAs(app.url, 'a-doctor');
    const all = await bAdmin.sessions.facility.query();
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((s) => s.user.username.startsWith('b-'))).toBe(true);
  },
  'sessions.revoke': async () => {
    const ref = await openSessionRefOf(a.users.doctor);
    expect(await errorCodeOf(bAdmin.sessions.revoke.mutate({ ref }))).toBe('NOT_FOUND');
    expect(await openSessionRefOf(a.users.doctor)).toBe(ref);
  },
  'admin.verifyAudit': async () => {
    const report = await bAdmin.admin.verifyAudit.mutate();
    expect(report.facilityId).toBe(b.facility.id);
    expect(report.ok).toBe(true);
  },
  // ── 2段階認証 and passkeys (issue #14) ──
  'auth.verifySecondFactor': async () => {
    // A pending sign-in belongs to the browser that gave the password: another has nothing to answer.
    await aPendingTotpLogin();
    expect(
      await errorCodeOf(bDoctor.auth.verifySecondFactor.mutate({ method: 'totp', code: '123456' })),
    ).toBe('UNAUTHORIZED');
  },
  'auth.secondFactorPasskeyOptions': async () => {
    expect(await errorCodeOf(bDoctor.auth.secondFactorPasskeyOptions.mutate())).toBe('UNAUTHORIZED');
  },
  'auth.verifySecondFactorPasskey': async () => {
    const { authenticator } = await aPasskey();
    const response = authenticator.get({ challenge: 'x' });
    expect(await errorCodeOf(bDoctor.auth.verifySecondFactorPasskey.mutate({ response }))).toBe(
      'UNAUTHORIZED',
    );
  },
  'auth.enrolStart': async () => {
    expect(await errorCodeOf(bDoctor.auth.enrolStart.mutate())).toBe('UNAUTHORIZED');
  },
  'auth.enrolConfirm': async () => {
    expect(await errorCodeOf(bDoctor.auth.enrolConfirm.mutate({ code: '123456' }))).toBe('UNAUTHORIZED');
  },
  'auth.passkeyLoginOptions': async () => {
    await aPasskey();
    // B's 医療機関コード: the options name no credential (A's passkey is not offered).
    const options = await clientFor(app.url).auth.passkeyLoginOptions.mutate({
      facilityCode: b.facility.institutionCode,
    });
    expect(options.allowCredentials ?? []).toEqual([]);
  },
  'auth.passkeyLogin': async () => {
    // A's passkey answered to a sign-in started with B's 医療機関コード: refused, no session.
    const { authenticator } = await aPasskey();
    const c = clientFor(app.url);
    const options = await c.auth.passkeyLoginOptions.mutate({ facilityCode: b.facility.institutionCode });
    expect(await errorCodeOf(c.auth.passkeyLogin.mutate({ response: authenticator.get(options) }))).toBe(
      'UNAUTHORIZED',
    );
    expect((await c.auth.me.query()).auth).toBeNull();
  },
  'twoFactor.status': async () => {
    await aPendingTotpLogin();
    expect(await bDoctor.twoFactor.status.query()).toMatchObject({ totp: false, passkeys: 0 });
  },
  'twoFactor.startEnrolment': async () => {
    await bDoctor.twoFactor.startEnrolment.mutate();
    const rows = await app.karte.db.select().from(schema.totpFactors);
    for (const r of rows.filter((r) => r.facilityId === a.facility.id)) expect(r.userId).toBe(a.users.nurse);
    expect(rows.some((r) => r.facilityId === b.facility.id)).toBe(true);
  },
  'twoFactor.confirmEnrolment': async () => {
    expect(await errorCodeOf(bAdmin.twoFactor.confirmEnrolment.mutate({ code: '123456' }))).toBe('CONFLICT');
    const rows = await app.karte.db.select().from(schema.totpFactors);
    expect(rows.filter((r) => r.confirmedAt && r.facilityId === b.facility.id)).toEqual([]);
  },
  'twoFactor.disable': async () => {
    await aPendingTotpLogin();
    expect(
      await errorCodeOf(bAdmin.twoFactor.disable.mutate({ password: 'karte-demo', code: '123456' })),
    ).toBe('CONFLICT');
    const [aTotp] = await app.karte.db
      .select()
      .from(schema.totpFactors)
      .where(eq(schema.totpFactors.userId, a.users.nurse));
    expect(aTotp?.confirmedAt).not.toBeNull();
  },
  'twoFactor.policy': async () => {
    await setTwoFactorPolicy(app.karte.db, a.facility.id, a.users.admin, 'required');
    try {
      expect((await bAdmin.twoFactor.policy.query()).others).toBe('optional');
    } finally {
      await setTwoFactorPolicy(app.karte.db, a.facility.id, a.users.admin, 'optional');
    }
  },
  'twoFactor.setPolicy': async () => {
    await bAdmin.twoFactor.setPolicy.mutate({ others: 'required' });
    try {
      expect(await getTwoFactorPolicy(app.karte.db, a.facility.id)).toBe('optional');
    } finally {
      await bAdmin.twoFactor.setPolicy.mutate({ others: 'optional' });
    }
  },
  'twoFactor.users': async () => {
    const list = await bAdmin.twoFactor.users.query();
    expect(list.length).toBeGreaterThan(0);
    expect(list.map((u) => u.id)).not.toContain(a.users.nurse);
  },
  'twoFactor.resetUser': async () => {
    await aPendingTotpLogin();
    expect(await errorCodeOf(bAdmin.twoFactor.resetUser.mutate({ userId: a.users.nurse }))).toBe('NOT_FOUND');
    expect((await secondFactorsOf(app.karte.db, a.facility.id, a.users.nurse)).totp).toBe(true);
  },
  'passkeys.list': async () => {
    await aPasskey();
    expect(await bAdmin.passkeys.list.query()).toEqual([]);
  },
  'passkeys.registrationOptions': async () => {
    const { credentialId } = await aPasskey();
    const options = await bAdmin.passkeys.registrationOptions.mutate();
    expect((options.excludeCredentials ?? []).map((c) => c.id)).not.toContain(credentialId);
  },
  'passkeys.register': async () => {
    const authenticator = new SoftAuthenticator(app.url);
    const options = await bDoctor.passkeys.registrationOptions.mutate();
    const made = await bDoctor.passkeys.register.mutate({
      name: 'B',
      response: authenticator.create(options),
    });
    const [row] = await app.karte.db.select().from(schema.passkeys).where(eq(schema.passkeys.id, made.id));
    expect(row?.facilityId).toBe(b.facility.id);
    await bDoctor.passkeys.remove.mutate({ id: made.id });
  },
  'passkeys.remove': async () => {
    const { id } = await aPasskey();
    expect(await errorCodeOf(bAdmin.passkeys.remove.mutate({ id }))).toBe('NOT_FOUND');
    expect(await app.karte.db.select().from(schema.passkeys).where(eq(schema.passkeys.id, id))).toHaveLength(
      1,
    );
  },
  'auditTrail.checkpoint': async () => {
    const deps = anchorDeps(app.config);
    const aAdmin = await loginAs(app.url, 'a-admin');
    const aMade = await aAdmin.auditTrail.checkpoint.mutate();
    const bMade = await bAdmin.auditTrail.checkpoint.mutate();
    // B's checkpoint signs B's chain, in B's folder; A's newest stays A's.
    expect((await latestCheckpoint(deps, b.facility.id))?.facilityId).toBe(b.facility.id);
    expect((await latestCheckpoint(deps, b.facility.id))?.seq).toBe(bMade.seq);
    const aLatest = await latestCheckpoint(deps, a.facility.id);
    expect(aLatest).toMatchObject({ facilityId: a.facility.id, seq: aMade.seq });
    expect(aLatest?.institutionCode).toBe(a.facility.institutionCode);
  },
  'auditTrail.status': async () => {
    const aAdmin = await loginAs(app.url, 'a-admin');
    const aMade = await aAdmin.auditTrail.checkpoint.mutate();
    const seen = await bAdmin.auditTrail.status.query();
    const bLatest = await latestCheckpoint(anchorDeps(app.config), b.facility.id);
    expect(seen.latest?.seq ?? null).toBe(bLatest?.seq ?? null);
    expect(seen.latest?.createdAt).not.toBe(aMade.createdAt);
  },
  // 再診を短く (Do 再診) ----------------------------------------------------------------------------
  'chart.beginVisit': async () => {
    expect(await errorCodeOf(bDoctor.chart.beginVisit.mutate({ visitId: aVisit.id }))).toBe('NOT_FOUND');
    expect((await getVisit(app.karte.db, a.facility.id, aVisit.id))?.state).toBe('received');
  },
  'chart.copyLastVisit': async () => {
    expect(
      await errorCodeOf(bDoctor.chart.copyLastVisit.mutate({ encounterId: aEncounterId, doctorId: null })),
    ).toBe('NOT_FOUND');
  },
  'chart.confirmTogether': async () => {
    const [entry] = await app.karte.db.select().from(schema.entries).where(eq(schema.entries.id, aEntryId));
    expect(
      await errorCodeOf(
        bDoctor.chart.confirmTogether.mutate({
          encounterId: aEncounterId,
          entries: [{ entryId: aEntryId, baseRev: entry?.draftRev ?? 0 }],
          billing: { visitId: aVisit.id, version: aVisit.version },
        }),
      ),
    ).toBe('NOT_FOUND');
    // B's own encounter does not reach A's entry or visit either.
    const bPatient = await bAdmin.reception.registerPatient.mutate({
      ...patientInput,
      confirmDuplicate: true,
    });
    if (bPatient.status !== 'created') throw new Error('setup');
    const bEnc = await bDoctor.chart.openEncounter.mutate({
      patientId: bPatient.patient.id,
      visitId: null,
    });
    expect(
      await errorCodeOf(
        bDoctor.chart.confirmTogether.mutate({
          encounterId: bEnc.id,
          entries: [{ entryId: aEntryId, baseRev: entry?.draftRev ?? 0 }],
          billing: null,
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(
      await errorCodeOf(
        bDoctor.chart.confirmTogether.mutate({
          encounterId: bEnc.id,
          entries: [],
          billing: { visitId: aVisit.id, version: aVisit.version },
        }),
      ),
    ).toBe('NOT_FOUND');
    expect((await getVisit(app.karte.db, a.facility.id, aVisit.id))?.state).toBe('received');
  },
  'auditTrail.verify': async () => {
    const aAdmin = await loginAs(app.url, 'a-admin');
    await aAdmin.auditTrail.checkpoint.mutate();
    const report = await bAdmin.auditTrail.verify.mutate();
    expect(report.facilityId).toBe(b.facility.id);
    expect(report.ok).toBe(true);
    // A's events are not walked: B's count is B's chain.
    const [bHead] = await app.karte.db
      .select()
      .from(schema.auditHeads)
      .where(eq(schema.auditHeads.facilityId, b.facility.id));
    expect(report.events).toBe((bHead?.seq ?? 0) - 1); // the verification's own event comes after
  },
  // ── Issue #15: バイタル・問診 (vitals workstream) ──
  'vitals.record': async () => {
    // B cannot file a measurement on A's patient, with or without A's visit.
    const before = await patientVitalSigns(app.karte.db, a.facility.id, aPatient.id);
    for (const visitId of [null, aVisit.id])
      expect(
        await errorCodeOf(
          bDoctor.vitals.record.mutate({
            patientId: aPatient.id,
            visitId,
            values: { ...noVitals, pulse: 71 },
          }),
        ),
      ).toBe('NOT_FOUND');
    expect(await patientVitalSigns(app.karte.db, a.facility.id, aPatient.id)).toEqual(before);
  },
  'vitals.correct': async () => {
    const aVital = await aVitalId();
    expect(
      await errorCodeOf(
        bDoctor.vitals.correct.mutate({
          vitalId: aVital,
          correction: { values: { ...noVitals, pulse: 99 }, reason: '他院からの修正' },
        }),
      ),
    ).toBe('NOT_FOUND');
    const rows = await patientVitalSigns(app.karte.db, a.facility.id, aPatient.id);
    expect(rows.map((r) => [r.id, r.pulse])).toContainEqual([aVital, 70]);
  },
  'vitals.list': async () => {
    await aVitalId();
    expect(await errorCodeOf(bDoctor.vitals.list.query({ patientId: aPatient.id }))).toBe('NOT_FOUND');
  },
  'vitals.intake': async () => {
    await aIntake();
    expect(await errorCodeOf(bDoctor.vitals.intake.query({ visitId: aVisit.id }))).toBe('NOT_FOUND');
  },
  'vitals.saveIntake': async () => {
    const version = await aIntake();
    expect(
      await errorCodeOf(
        bDoctor.vitals.saveIntake.mutate({ visitId: aVisit.id, baseVersion: version, fields: intakeInput }),
      ),
    ).toBe('NOT_FOUND');
    expect((await latestIntake(app.karte.db, a.facility.id, aVisit.id))?.version).toBe(version);
  },
  'vitals.draftSources': async () => {
    await aIntake();
    expect(await errorCodeOf(bDoctor.vitals.draftSources.query({ encounterId: aEncounterId }))).toBe(
      'NOT_FOUND',
    );
  },
  // ── 診察券 (issue #15, card workstream) ──
  'reception.card': async () => {
    expect(await errorCodeOf(bAdmin.reception.card.query({ patientId: aPatient.id }))).toBe('NOT_FOUND');
  },
  'reception.issueCard': async () => {
    expect(await errorCodeOf(bAdmin.reception.issueCard.mutate({ patientId: aPatient.id }))).toBe(
      'NOT_FOUND',
    );
    // Nothing was recorded as an issue of A's patient's card.
    const issues = await app.karte.db
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.patientId, aPatient.id), eq(schema.auditEvents.action, 'card-issue')));
    expect(issues).toHaveLength(0);
  },
};

// Issue #15 (vitals workstream): A's measurement and 問診, made once.
const noVitals = {
  temperature: null,
  systolic: null,
  diastolic: null,
  pulse: null,
  spo2: null,
  heightCm: null,
  weightKg: null,
};
const intakeInput = {
  chiefComplaint: '頭痛',
  course: '',
  medication: '',
  allergy: 'no' as const,
  allergyDetail: '',
  pregnancy: 'na' as const,
};
// Filed through the queries (no login: later cases change A's sign-in policy).
let aVitalMade: Promise<string> | undefined;
function aVitalId() {
  aVitalMade ??= insertVitalSigns(app.karte.db, a.facility.id, {
    patientId: aPatient.id,
    visitId: aVisit.id,
    measuredAt: new Date(),
    values: { ...noVitals, pulse: 70 },
    enteredBy: a.users.nurse ?? '',
  }).then((r) => r.id);
  return aVitalMade;
}
let aIntakeMade: Promise<number> | undefined;
function aIntake() {
  aIntakeMade ??= insertIntake(app.karte.db, a.facility.id, {
    patientId: aPatient.id,
    visitId: aVisit.id,
    version: 1,
    fields: intakeInput,
    enteredBy: a.users.clerk ?? '',
  }).then((r) => r.version);
  return aIntakeMade;
}

const withoutVersion = <T extends { version: number }>({ version: _, ...rest }: T) => rest;

/** The reference of one open session of a user (logging in first if there is none). */
async function openSessionRefOf(userId: string): Promise<string> {
  const rows = await app.karte.db
    .select({ ref: schema.sessions.ref })
    .from(schema.sessions)
    .where(and(eq(schema.sessions.userId, userId), isNull(schema.sessions.endedAt)))
    .orderBy(schema.sessions.createdAt);
  if (rows[0]) return rows[0].ref;
  await loginAs(app.url, 'a-doctor');
  return openSessionRefOf(userId);
}

// ---- 予約 (appointments workstream, issue #15) ----------------------------------------------------------
/**
 * A's appointments, written directly (A's users may meet a 2FA policy by the time these cases run): one on the
 * next open day with A's doctor, one for today.
 */
let aAppointments: Promise<{ future: { id: string; version: number }; today: { id: string } }> | undefined;
function aAppointmentsMade() {
  aAppointments ??= (async () => {
    let day = addDays(todayInJapan(), 1);
    while (calendarDay(day, defaultBillingSettings()).closed) day = addDays(day, 1);
    const values = {
      facilityId: a.facility.id,
      patientId: aPatient.id,
      doctorId: a.users.doctor,
      department: '内科',
      startMinute: 540,
      durationMinutes: 15,
    };
    const [future, today] = await app.karte.db
      .insert(schema.appointments)
      .values([
        { ...values, appointmentDate: day },
        { ...values, appointmentDate: todayInJapan() },
      ])
      .returning();
    return { future: future!, today: today! };
  })();
  return aAppointments;
}
const aAppointmentRow = (id: string) =>
  app.karte.db.select().from(schema.appointments).where(eq(schema.appointments.id, id));

const appointmentCases: Record<string, Case> = {
  'appointments.calendar': async () => {
    const { future } = await aAppointmentsMade();
    const [row] = await aAppointmentRow(future.id);
    for (const doctorId of [undefined, a.users.doctor]) {
      const cal = await bAdmin.appointments.calendar.query({ from: row!.appointmentDate, days: 7, doctorId });
      expect(cal.appointments).toHaveLength(0);
      expect(cal.doctors.map((d) => d.id)).not.toContain(a.users.doctor);
    }
  },
  'appointments.book': async () => {
    const { future } = await aAppointmentsMade();
    const [row] = await aAppointmentRow(future.id);
    const input = {
      patientId: aPatient.id,
      doctorId: null,
      department: '内科',
      date: row!.appointmentDate,
      startTime: '09:30',
      durationMinutes: 15,
      purpose: '',
      memo: '',
    };
    expect(await errorCodeOf(bAdmin.appointments.book.mutate(input))).toBe('NOT_FOUND');
    // B's own patient with A's doctor: A's doctor is nobody at B.
    const mine = await bAdmin.reception.registerPatient.mutate({
      ...patientInput,
      givenNameKana: 'ヨヤク',
      confirmDuplicate: true,
    });
    if (mine.status !== 'created') throw new Error('setup');
    expect(
      await errorCodeOf(
        bAdmin.appointments.book.mutate({ ...input, patientId: mine.patient.id, doctorId: a.users.doctor }),
      ),
    ).toBe('NOT_FOUND');
  },
  'appointments.move': async () => {
    const { future } = await aAppointmentsMade();
    const [row] = await aAppointmentRow(future.id);
    expect(
      await errorCodeOf(
        bAdmin.appointments.move.mutate({
          appointmentId: future.id,
          version: future.version,
          date: row!.appointmentDate,
          startTime: '10:00',
          doctorId: null,
          durationMinutes: 15,
        }),
      ),
    ).toBe('NOT_FOUND');
    expect((await aAppointmentRow(future.id))[0]).toMatchObject({
      startMinute: 540,
      version: future.version,
    });
  },
  'appointments.cancel': async () => {
    const { future } = await aAppointmentsMade();
    expect(
      await errorCodeOf(
        bAdmin.appointments.cancel.mutate({
          appointmentId: future.id,
          version: future.version,
          reason: '取消',
        }),
      ),
    ).toBe('NOT_FOUND');
    expect((await aAppointmentRow(future.id))[0]?.state).toBe('booked');
  },
  'appointments.markNoShow': async () => {
    const { today } = await aAppointmentsMade();
    expect(
      await errorCodeOf(bAdmin.appointments.markNoShow.mutate({ appointmentId: today.id, version: 1 })),
    ).toBe('NOT_FOUND');
    expect((await aAppointmentRow(today.id))[0]?.state).toBe('booked');
  },
  'appointments.checkIn': async () => {
    const { today } = await aAppointmentsMade();
    expect(
      await errorCodeOf(bAdmin.appointments.checkIn.mutate({ appointmentId: today.id, version: 1 })),
    ).toBe('NOT_FOUND');
    expect((await aAppointmentRow(today.id))[0]).toMatchObject({ state: 'booked', visitId: null });
  },
  'appointments.today': async () => {
    const { today } = await aAppointmentsMade();
    expect((await bAdmin.appointments.today.query()).map((x) => x.id)).not.toContain(today.id);
  },
  'appointments.get': async () => {
    const { future } = await aAppointmentsMade();
    expect(await errorCodeOf(bAdmin.appointments.get.query({ appointmentId: future.id }))).toBe('NOT_FOUND');
  },
};
Object.assign(cases, appointmentCases);

describe('tenancy', () => {
  const procedures = Object.keys(appRouter._def.procedures).sort();

  it('has a case for every procedure of the router', () => {
    expect(procedures.length).toBeGreaterThan(10);
    expect(Object.keys(cases).sort()).toEqual(procedures);
  });

  for (const name of Object.keys(cases)) {
    it(`${name}: facility B cannot read or change facility A's data`, async () => {
      await cases[name]?.();
    });
  }
});
