import {
  billConfirmInput,
  billingSettingsFields,
  billOpenInput,
  billPayInput,
  billPreviewInput,
  billPrintInput,
  billSearchInput,
  dailyReportInput,
  int32,
} from '@karte/domain';
import { z } from 'zod';
import { actorOf } from '../services/audit';
import {
  confirmBill,
  dailyReport,
  openBill,
  payBill,
  previewBill,
  printBill,
  searchBillItems,
  unpaidOf,
} from '../services/billing/bills';
import { readBillingSettings, saveBillingSettings } from '../services/billing/settings';
import { authed, patientData, router } from '../trpc';

/** 会計 is the window's work (clerks, admin); doctors and nurses may look. */
const window = ['clerk', 'admin'] as const;
const staff = ['clerk', 'admin', 'doctor', 'nurse'] as const;

export const billingRouter = router({
  open: patientData(staff, 'read')
    .input(billOpenInput)
    .query(({ ctx, input, path }) => openBill(ctx.karte.db, actorOf(ctx.auth, path), input.visitId)),

  preview: patientData(window, 'read')
    .input(billPreviewInput)
    .query(({ ctx, input, path }) =>
      previewBill(ctx.karte.db, actorOf(ctx.auth, path), input.visitId, input.draft),
    ),

  confirm: patientData(window, 'update')
    .input(billConfirmInput)
    .mutation(({ ctx, input, path }) => confirmBill(ctx.karte.db, actorOf(ctx.auth, path), input)),

  pay: patientData(window, 'update')
    .input(billPayInput)
    .mutation(({ ctx, input, path }) => payBill(ctx.karte.db, actorOf(ctx.auth, path), input)),

  print: patientData(window, 'print')
    .input(billPrintInput)
    .query(({ ctx, input, path }) => printBill(ctx.karte.db, actorOf(ctx.auth, path), input)),

  unpaid: patientData(staff, 'read')
    .input(z.strictObject({ patientId: z.uuid() }))
    .query(({ ctx, input, path }) => unpaidOf(ctx.karte.db, actorOf(ctx.auth, path), input.patientId)),

  daily: patientData(window, 'read')
    .input(dailyReportInput)
    .query(({ ctx, input, path }) => dailyReport(ctx.karte.db, actorOf(ctx.auth, path), input.date)),

  searchItems: authed(staff)
    .input(billSearchInput)
    .query(({ ctx, input, path }) => searchBillItems(ctx.karte.db, actorOf(ctx.auth, path), input)),

  settings: authed(staff)
    .input(z.strictObject({}).optional())
    .query(({ ctx, path }) => readBillingSettings(ctx.karte.db, actorOf(ctx.auth, path))),

  saveSettings: authed(['admin'])
    .input(z.strictObject({ expectedVersion: int32().min(0), settings: billingSettingsFields }))
    .mutation(({ ctx, input, path }) => saveBillingSettings(ctx.karte.db, actorOf(ctx.auth, path), input)),
});
