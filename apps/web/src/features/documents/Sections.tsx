import type { Outputs } from '../../App';

export type Section = Outputs['documents']['get']['view']['sections'][number];

/** The document's sections as printed (the same text goes into the Bundle's narrative). */
export function Sections({ sections }: { sections: Section[] }) {
  return (
    <div className="flex flex-col gap-3">
      {sections.map((s) =>
        s.sub ? (
          <Sections key={s.code} sections={s.sub} />
        ) : (
          <section key={s.code} aria-label={s.title} className="break-inside-avoid">
            <h3 className="border-b border-slate-300 font-bold">{s.title}</h3>
            {(s.lines.length ? s.lines : ['記載なし']).map((l, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines of text have no identity
              <p key={i} className="whitespace-pre-wrap">
                {l}
              </p>
            ))}
          </section>
        ),
      )}
    </div>
  );
}
