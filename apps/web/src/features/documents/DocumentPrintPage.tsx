import { formatBirthDate, sexLabels, toWareki } from '@karte/domain';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { Banner, buttonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { Sections } from './Sections';

/** The finalised document on A4, to print or save as PDF from the browser. */
export function DocumentPrintPage() {
  const { entryId = '' } = useParams();
  const trpc = useTRPC();
  const doc = useQuery(trpc.documents.get.queryOptions({ entryId }));
  if (doc.isPending) return <p className="text-slate-500">読み込み中…</p>;
  if (doc.isError) return <Banner kind="error">{errorMessage(doc.error)}</Banner>;
  const d = doc.data;
  const last = d.versions.at(-1);
  if (!last) return <Banner kind="warn">確定していない文書は印刷できません。</Banner>;
  const issued = last.createdAt.toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });
  return (
    <div className="flex flex-col gap-3">
      <div className="no-print flex gap-2">
        <button type="button" className={buttonClass} onClick={() => window.print()}>
          印刷・PDF保存（A4）
        </button>
      </div>
      <article
        className="mx-auto w-[190mm] bg-white p-4 text-sm leading-relaxed text-black"
        aria-label={d.title}
      >
        <h1 className="mb-2 text-center text-2xl font-bold tracking-[0.3em]">{d.title}</h1>
        <p className="text-right">
          {toWareki(issued)}
          {last.version > 1 && `（第${last.version}版）`}
        </p>
        {d.patient && (
          <p className="my-2 border-y border-slate-400 py-1">
            患者 <span className="text-lg font-bold">{d.patient.name}</span>（{d.patient.kana}）{' '}
            {sexLabels[d.patient.sex]} {formatBirthDate(d.patient.birthDate)} 患者番号{' '}
            {d.patient.patientNumber}
          </p>
        )}
        <Sections sections={d.view.sections} />
        <p className="mt-6 text-right">医師 {d.responsibleDoctor}</p>
      </article>
    </div>
  );
}
