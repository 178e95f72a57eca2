import type { FieldValues, Path, RegisterOptions, UseFormReturn } from 'react-hook-form';
import { Field, inputClass } from './Field';

/** A text input bound to a react-hook-form field, with its label and its error beside it. */
export function InputField<T extends FieldValues>(props: {
  form: UseFormReturn<T>;
  name: Path<T>;
  label: string;
  id?: string;
  type?: 'text' | 'password';
  autoComplete?: string;
  autoFocus?: boolean;
  required?: boolean;
  hint?: string;
  options?: RegisterOptions<T, Path<T>>;
}) {
  const id = props.id ?? props.name;
  const error = (props.form.formState.errors as Record<string, { message?: string } | undefined>)[props.name];
  return (
    <Field
      label={props.label}
      htmlFor={id}
      error={error?.message}
      required={props.required}
      hint={props.hint}
    >
      <input
        id={id}
        type={props.type ?? 'text'}
        className={inputClass}
        autoComplete={props.autoComplete ?? 'off'}
        autoFocus={props.autoFocus}
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-error` : undefined}
        {...props.form.register(props.name, props.options)}
      />
    </Field>
  );
}

/** Puts the server's field messages beside their fields, as the browser-side checks do. */
export function showServerFieldErrors<T extends FieldValues>(
  form: UseFormReturn<T>,
  errors: Record<string, string>,
) {
  for (const [field, message] of Object.entries(errors)) form.setError(field as Path<T>, { message });
}
