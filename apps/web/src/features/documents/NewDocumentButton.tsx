import { type DocumentType, documentTypeLabels, documentTypes } from '@karte/domain';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Banner, inputClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';

/** 文書を作成: picks the kind, creates the draft on this encounter (chart items ticked) and opens it. */
export function NewDocumentButton(props: { encounterId: string; doctorId: string | null }) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const create = useMutation(
    trpc.documents.create.mutationOptions({
      onSuccess: (r) => {
        if (r.status === 'saved') navigate(`/documents/${r.entryId}`);
      },
    }),
  );
  return (
    <>
      <select
        aria-label="文書を作成"
        className={`${inputClass} py-1`}
        value=""
        disabled={create.isPending}
        onChange={(e) =>
          create.mutate({
            encounterId: props.encounterId,
            type: e.target.value as DocumentType,
            doctorId: props.doctorId,
          })
        }
      >
        <option value="">文書を作成…</option>
        {documentTypes.map((t) => (
          <option key={t} value={t}>
            {documentTypeLabels[t]}
          </option>
        ))}
      </select>
      {create.isError && <Banner kind="error">{errorMessage(create.error)}</Banner>}
    </>
  );
}
