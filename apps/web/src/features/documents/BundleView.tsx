import { useState } from 'react';
import { secondaryButtonClass } from '../../components/Field';

/** A Bundle as JSON: shown on demand and downloadable as <identifier>.json. */
export function BundleView({ bundle, label = 'FHIR Bundle' }: { bundle: unknown; label?: string }) {
  const [open, setOpen] = useState(false);
  const json = JSON.stringify(bundle, null, 2);
  const id = (bundle as { identifier?: { value?: string } })?.identifier?.value ?? 'bundle';
  const download = () => {
    const url = URL.createObjectURL(new Blob([json], { type: 'application/fhir+json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${id.replaceAll('^', '_')}.json`;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          className={secondaryButtonClass}
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? `${label}を閉じる` : `${label}を表示`}
        </button>
        <button type="button" className={secondaryButtonClass} onClick={download}>
          ダウンロード（JSON）
        </button>
        <span className="font-mono text-xs text-slate-600">{id}</span>
      </div>
      {open && (
        <pre
          className="max-h-[32rem] overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100"
          data-testid="bundle-json"
        >
          {json}
        </pre>
      )}
    </div>
  );
}
