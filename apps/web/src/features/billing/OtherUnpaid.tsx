import { type PaymentMethod, paymentMethods, toWareki } from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Banner, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { yen } from './money';

/**
 * 前回までの未収: listed apart from this 会計, each earlier bill paid in full on its own (its own 入金 row, so
 * each 領収証 and the 日計表 stay right).
 */
export function OtherUnpaid(props: { patientId: string; onPaid: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const unpaid = useQuery(trpc.billing.unpaid.queryOptions({ patientId: props.patientId }));
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const pay = useMutation(
    trpc.billing.pay.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({
          queryKey: trpc.billing.unpaid.queryKey({ patientId: props.patientId }),
        });
        props.onPaid();
      },
    }),
  );
  const bills = unpaid.data?.bills ?? [];
  if (bills.length === 0) return null;
  return (
    <section
      aria-label="前回までの未収"
      className="flex flex-col gap-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm"
      data-testid="other-unpaid-bills"
    >
      <h2 className="font-bold text-amber-900">前回までの未収 {yen(unpaid.data?.totalYen ?? 0)}</h2>
      {pay.isError && <Banner kind="error">{errorMessage(pay.error)}</Banner>}
      <label className="flex items-center gap-2">
        方法
        <select
          className={`${inputClass} py-1`}
          value={method}
          onChange={(e) => setMethod(e.target.value as PaymentMethod)}
        >
          {Object.entries(paymentMethods).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
      </label>
      <ul className="flex flex-col gap-1">
        {bills.map((b) => (
          <li key={b.billId} className="flex items-center justify-between gap-2">
            <span>
              {toWareki(b.visitDate)} 受診分 <span className="font-mono">{yen(b.unpaidYen)}</span>
            </span>
            <button
              type="button"
              className={`${secondaryButtonClass} px-2 py-1 text-xs`}
              disabled={pay.isPending}
              onClick={() => pay.mutate({ billId: b.billId, payment: { amountYen: b.unpaidYen, method } })}
            >
              入金
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
