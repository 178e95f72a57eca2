import { zodResolver } from '@hookform/resolvers/zod';
import { type PaymentInput, paymentInput, paymentMethods } from '@karte/domain';
import { useEffect } from 'react';
import { type Resolver, useForm } from 'react-hook-form';
import { buttonClass, Field, inputClass } from '../../components/Field';
import { amountMessage, tenderedMessage } from './checks';
import { changeYen, yen } from './money';

/**
 * 入金: amount (default: what is due now), method, お預かり → お釣り for cash. Less than due leaves 未収; 0
 * takes nothing now. Enter in any field acts.
 */
export function PaymentForm(props: {
  dueYen: number;
  action: string;
  /** 返金: the amount goes back to the patient (the server records it negative). */
  refund?: boolean;
  pending: boolean;
  onSubmit: (payment: PaymentInput | undefined) => void;
}) {
  const refund = props.refund ?? false;
  // The window's own messages first (too large before "integer", one message for a negative amount, the
  // amount owed, お預かり short or absurd), then the contract.
  const contract = zodResolver(paymentInput);
  const resolver: Resolver<PaymentInput> = (values, context, options) => {
    const errors: Record<string, { type: string; message: string }> = {};
    const amount = amountMessage(values.amountYen, props.dueYen);
    if (amount) errors.amountYen = { type: 'validate', message: amount };
    if (values.method === 'cash' && !refund) {
      const tendered = tenderedMessage(values.tenderedYen, values.amountYen);
      if (tendered) errors.tenderedYen = { type: 'validate', message: tendered };
    }
    if (Object.keys(errors).length > 0) return { values: {}, errors };
    return contract(
      refund || values.method !== 'cash' ? { ...values, tenderedYen: undefined } : values,
      context,
      options,
    );
  };
  const form = useForm<PaymentInput>({
    resolver,
    defaultValues: { amountYen: props.dueYen, method: 'cash', tenderedYen: undefined },
  });
  // The amount follows the bill while the clerk has not typed one.
  const { isDirty } = form.formState;
  useEffect(() => {
    if (!form.getFieldState('amountYen').isDirty) form.setValue('amountYen', props.dueYen);
  }, [props.dueYen, form]);
  const amount = form.watch('amountYen');
  const method = form.watch('method');
  const tendered = form.watch('tenderedYen');
  const change =
    tenderedMessage(tendered, amount) === '' || tendered === undefined
      ? changeYen(Number.isFinite(amount) ? amount : 0, tendered)
      : null;
  // 未収 only for an amount the form would take (a negative or absurd one has its own message).
  const amountOk = amountMessage(amount, props.dueYen) === '';
  const unpaidAfter = amountOk ? Math.max(0, props.dueYen - amount) : 0;
  const errors = form.formState.errors;
  const number = { setValueAs: (v: string) => (v === '' ? undefined : Number(v)) };
  return (
    <form
      noValidate
      aria-label="入金"
      className="flex flex-col gap-3 rounded border border-slate-200 bg-white p-4"
      onSubmit={form.handleSubmit((v) => {
        const cash = v.method === 'cash' && !refund;
        props.onSubmit(
          v.amountYen > 0
            ? {
                amountYen: v.amountYen,
                method: v.method,
                ...(cash && v.tenderedYen !== undefined ? { tenderedYen: v.tenderedYen } : {}),
              }
            : undefined,
        );
      })}
      data-dirty={isDirty}
    >
      <h2 className="text-lg font-bold">{refund ? '返金' : '入金'}</h2>
      <div className="grid grid-cols-2 gap-3">
        <Field
          label={refund ? '返金額（円）' : '入金額（円）'}
          htmlFor="pay-amount"
          error={errors.amountYen?.message}
          required
        >
          <input
            id="pay-amount"
            type="number"
            inputMode="numeric"
            min={0}
            className={`${inputClass} text-right font-mono text-lg`}
            aria-invalid={!!errors.amountYen}
            aria-describedby={errors.amountYen ? 'pay-amount-error' : undefined}
            {...form.register('amountYen', { valueAsNumber: true })}
          />
        </Field>
        <Field label="方法" htmlFor="pay-method" error={errors.method?.message}>
          <select id="pay-method" className={inputClass} {...form.register('method')}>
            {Object.entries(paymentMethods).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </Field>
        {method === 'cash' && !refund && (
          <>
            <Field label="お預かり（円）" htmlFor="pay-tendered" error={errors.tenderedYen?.message}>
              <input
                id="pay-tendered"
                type="number"
                inputMode="numeric"
                min={0}
                className={`${inputClass} text-right font-mono text-lg`}
                aria-invalid={!!errors.tenderedYen}
                aria-describedby={errors.tenderedYen ? 'pay-tendered-error' : undefined}
                {...form.register('tenderedYen', number)}
              />
            </Field>
            <div className="flex flex-col gap-1">
              <span className="text-sm font-medium text-slate-700">お釣り</span>
              <output
                htmlFor="pay-amount pay-tendered"
                className="rounded bg-slate-100 px-3 py-2 text-right font-mono text-2xl font-bold"
                data-testid="change"
              >
                {change === null ? (tendered !== undefined ? '不足' : '—') : yen(change)}
              </output>
            </div>
          </>
        )}
      </div>
      {unpaidAfter > 0 && !refund && (
        <p className="text-sm font-medium text-amber-900" data-testid="unpaid-after">
          {yen(unpaidAfter)} は未収として記録されます
        </p>
      )}
      <button type="submit" className={`${buttonClass} py-3 text-lg`} disabled={props.pending}>
        {props.action}
      </button>
    </form>
  );
}
