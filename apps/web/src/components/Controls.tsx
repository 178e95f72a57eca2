import { inputClass } from './Field';

/**
 * Small controlled fields for panels that keep their form in component state (the chart's side
 * panels); forms bound to react-hook-form use InputField instead.
 */
function Labelled(props: { label: string; error?: string; children: React.ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the input or select comes in as children
    <label className="flex flex-col">
      {props.label}
      {props.children}
      {props.error && (
        <span role="alert" className="text-red-700">
          {props.error}
        </span>
      )}
    </label>
  );
}

export function InputControl(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'date';
  error?: string;
}) {
  return (
    <Labelled label={props.label} error={props.error}>
      <input
        type={props.type ?? 'text'}
        aria-label={props.label}
        className={inputClass}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </Labelled>
  );
}

export function SelectControl<T extends string>(props: {
  label: string;
  value: T;
  options: Record<T, string>;
  onChange: (value: T) => void;
  error?: string;
}) {
  return (
    <Labelled label={props.label} error={props.error}>
      <select
        aria-label={props.label}
        className={inputClass}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value as T)}
      >
        {(Object.entries(props.options) as [T, string][]).map(([k, v]) => (
          <option key={k} value={k}>
            {v}
          </option>
        ))}
      </select>
    </Labelled>
  );
}
