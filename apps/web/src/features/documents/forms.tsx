import {
  type CheckupFields,
  checkupItems,
  checkupProgramLabels,
  type DischargeFields,
  type DocumentFields,
  type ReferralFields,
  urineResults,
} from '@karte/domain';
import type { ReactNode } from 'react';
import type { Outputs } from '../../App';
import { Field, inputClass } from '../../components/Field';

export type Choices = Outputs['documents']['get']['choices'];
type Errors = Record<string, string>;

function Text(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  errors: Errors;
  rows?: number;
  type?: 'text' | 'date';
  required?: boolean;
}) {
  const error = props.errors[props.id];
  return (
    <Field label={props.label} htmlFor={`doc-${props.id}`} error={error} required={props.required}>
      {props.rows ? (
        <textarea
          id={`doc-${props.id}`}
          className={inputClass}
          rows={props.rows}
          value={props.value}
          aria-invalid={!!error}
          onChange={(e) => props.onChange(e.target.value)}
        />
      ) : (
        <input
          id={`doc-${props.id}`}
          type={props.type ?? 'text'}
          className={inputClass}
          value={props.value}
          aria-invalid={!!error}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** Chart items to pull in, each with a checkbox. */
function Picks(props: {
  legend: string;
  items: { id: string; label: ReactNode; note?: string }[];
  selected: string[];
  onChange: (ids: string[]) => void;
  error?: string;
}) {
  return (
    <fieldset className="rounded border border-slate-200 p-2">
      <legend className="px-1 text-sm font-medium text-slate-700">{props.legend}</legend>
      {props.items.length === 0 && <p className="text-sm text-slate-500">カルテに該当する記録はありません</p>}
      {props.items.map((i) => (
        <label key={i.id} className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={props.selected.includes(i.id)}
            onChange={(e) =>
              props.onChange(
                e.target.checked ? [...props.selected, i.id] : props.selected.filter((x) => x !== i.id),
              )
            }
          />
          {i.label}
          {i.note && <span className="text-xs text-amber-800">{i.note}</span>}
        </label>
      ))}
      {props.error && (
        <p role="alert" className="text-sm text-red-700">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}

const problemItems = (c: Choices) =>
  c.problems.map((p) => ({
    id: p.id,
    label: `${p.label}${p.ended ? `（終了 ${p.ended}）` : ''}`,
    note: p.coded ? undefined : '未コード化: 本文のみ',
  }));

export function ReferralForm(props: {
  f: ReferralFields;
  set: (f: ReferralFields) => void;
  choices: Choices;
  errors: Errors;
}) {
  const { f, set, errors, choices } = props;
  const text = (k: keyof ReferralFields, label: string, rows?: number, required?: boolean) => (
    <Text
      id={k}
      label={label}
      rows={rows}
      required={required}
      value={f[k] as string}
      errors={errors}
      onChange={(v) => set({ ...f, [k]: v })}
    />
  );
  return (
    <div className="flex flex-col gap-3">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {text('toFacilityName', '紹介先医療機関', undefined, true)}
        {text('toInstitutionCode', '紹介先医療機関コード（10桁）', undefined, true)}
        {text('toDepartment', '紹介先診療科')}
        {text('toDoctorName', '紹介先医師')}
      </div>
      {text('purpose', '紹介目的', 3, true)}
      <Picks
        legend="傷病名（カルテの病名から）"
        items={problemItems(choices)}
        selected={f.problemIds}
        onChange={(ids) => set({ ...f, problemIds: ids })}
      />
      {text('chiefComplaint', '傷病名・主訴（自由記載）', 2)}
      {text('presentIllness', '現病歴', 5, true)}
      {text('pastHistory', '既往歴', 3)}
      <Picks
        legend="アレルギー・薬剤禁忌"
        items={choices.allergies.map((a) => ({
          id: a.id,
          label: a.label,
          note: a.status === 'active' ? undefined : '（無効）',
        }))}
        selected={f.allergyIds}
        onChange={(ids) => set({ ...f, allergyIds: ids })}
      />
      <Picks
        legend="感染症"
        items={choices.labs.filter((l) => l.infection)}
        selected={f.infectionIds}
        onChange={(ids) => set({ ...f, infectionIds: ids })}
      />
      <Picks
        legend="投薬"
        items={choices.prescriptions}
        selected={f.prescriptionIds}
        onChange={(ids) => set({ ...f, prescriptionIds: ids })}
      />
      <Picks
        legend="検査結果"
        items={choices.labs.filter((l) => !l.infection)}
        selected={f.labIds}
        onChange={(ids) => set({ ...f, labIds: ids })}
      />
      {text('remarks', '備考', 2)}
    </div>
  );
}

export function DischargeForm(props: {
  f: DischargeFields;
  set: (f: DischargeFields) => void;
  choices: Choices;
  errors: Errors;
}) {
  const { f, set, errors, choices } = props;
  const text = (k: keyof DischargeFields, label: string, rows?: number, type?: 'date') => (
    <Text
      id={k}
      label={label}
      rows={rows}
      type={type}
      value={f[k] as string}
      errors={errors}
      onChange={(v) => set({ ...f, [k]: v })}
    />
  );
  return (
    <div className="flex flex-col gap-3">
      <div className="grid grid-cols-2 gap-3">
        {text('admittedOn', '入院日', undefined, 'date')}
        {text('dischargedOn', '退院日', undefined, 'date')}
      </div>
      {text('admissionDetails', '入院時詳細（経路・病棟など）', 2)}
      <Picks
        legend="入院時診断"
        items={problemItems(choices)}
        selected={f.admissionProblemIds}
        onChange={(ids) => set({ ...f, admissionProblemIds: ids })}
      />
      {text('chiefComplaint', '主訴', 2)}
      {text('reasonForAdmission', '入院理由', 2)}
      {text('presentIllness', '現病歴', 4)}
      <Picks
        legend="アレルギー・薬剤禁忌"
        items={choices.allergies}
        selected={f.allergyIds}
        onChange={(ids) => set({ ...f, allergyIds: ids })}
      />
      {text('course', '入院中経過', 6)}
      {text('dischargeDetails', '退院時詳細（転帰・退院先）', 2)}
      <Picks
        legend="退院時診断"
        items={problemItems(choices)}
        selected={f.dischargeProblemIds}
        onChange={(ids) => set({ ...f, dischargeProblemIds: ids })}
        error={errors.dischargeProblemIds}
      />
      <Picks
        legend="退院時処方"
        items={choices.prescriptions}
        selected={f.prescriptionIds}
        onChange={(ids) => set({ ...f, prescriptionIds: ids })}
      />
      {text('plan', '退院時方針', 3)}
    </div>
  );
}

export function CheckupForm(props: { f: CheckupFields; set: (f: CheckupFields) => void; errors: Errors }) {
  const { f, set, errors } = props;
  return (
    <div className="flex flex-col gap-3">
      <div className="grid grid-cols-2 gap-3">
        <Text
          id="checkupDate"
          label="受診日"
          type="date"
          value={f.checkupDate}
          errors={errors}
          onChange={(v) => set({ ...f, checkupDate: v })}
        />
        <Field label="健診の種類" htmlFor="doc-program">
          <select
            id="doc-program"
            className={inputClass}
            value={f.program}
            onChange={(e) => set({ ...f, program: e.target.value as CheckupFields['program'] })}
          >
            {Object.entries(checkupProgramLabels).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {errors.values && (
        <p role="alert" className="text-sm text-red-700">
          {errors.values}
        </p>
      )}
      <div className="grid grid-cols-2 gap-x-3 gap-y-2 sm:grid-cols-3">
        {checkupItems.map((item) => {
          const id = `values.${item.key}`;
          const value = f.values[item.key] ?? '';
          const onChange = (v: string) => set({ ...f, values: { ...f.values, [item.key]: v } });
          return (
            <Field
              key={item.key}
              label={`${item.label}${item.unit ? `（${item.unit === 'mm[Hg]' ? 'mmHg' : item.unit}）` : ''}`}
              htmlFor={`doc-${id}`}
              error={errors[id]}
            >
              {item.kind === 'urine' ? (
                <select
                  id={`doc-${id}`}
                  className={inputClass}
                  value={value}
                  onChange={(e) => onChange(e.target.value)}
                >
                  <option value="">未実施</option>
                  {urineResults.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={`doc-${id}`}
                  className={inputClass}
                  inputMode="decimal"
                  value={value}
                  aria-invalid={!!errors[id]}
                  onChange={(e) => onChange(e.target.value)}
                />
              )}
            </Field>
          );
        })}
      </div>
      <Text
        id="judgement"
        label="医師の判断"
        rows={2}
        value={f.judgement}
        errors={errors}
        onChange={(v) => set({ ...f, judgement: v })}
      />
    </div>
  );
}

export function DocumentForm(props: {
  d: DocumentFields;
  set: (d: DocumentFields) => void;
  choices: Choices;
  errors: Errors;
}) {
  const { d, set, choices, errors } = props;
  if (d.type === 'referral')
    return (
      <ReferralForm
        f={d.fields}
        set={(fields) => set({ type: 'referral', fields })}
        choices={choices}
        errors={errors}
      />
    );
  if (d.type === 'discharge')
    return (
      <DischargeForm
        f={d.fields}
        set={(fields) => set({ type: 'discharge', fields })}
        choices={choices}
        errors={errors}
      />
    );
  return <CheckupForm f={d.fields} set={(fields) => set({ type: 'checkup', fields })} errors={errors} />;
}
