import { type DocumentContent, documentTypeLabels } from '@karte/domain';
import { Link } from 'react-router';

/** A document in the chart's timeline: what it is and where to open it. */
export function DocumentSummary({ c, entryId }: { c: DocumentContent; entryId?: string }) {
  const to =
    c.type === 'referral' && 'toFacilityName' in c.fields && c.fields.toFacilityName
      ? `（${c.fields.toFacilityName} 宛）`
      : '';
  return (
    <p className="text-sm">
      <span className="font-medium">{documentTypeLabels[c.type]}</span>
      {to}
      {entryId && (
        <Link className="no-print ml-2 text-sky-800 underline" to={`/documents/${entryId}`}>
          文書を開く
        </Link>
      )}
    </p>
  );
}
