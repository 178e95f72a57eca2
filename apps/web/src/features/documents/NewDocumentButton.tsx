import { type DocumentType, documentTypeLabels, documentTypes } from '@karte/domain';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Banner, inputClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';

/**
 * 文書を作成: picks the kind, creates the draft on this encounter (chart items ticked) and opens it. A nurse or
 * clerk writes for a doctor (代行入力): the responsible doctor is chosen here, the encounter's doctor by default.
 */
export function NewDocumentButton(props: {
  encounterId: string;
  /** null when the author is the doctor; otherwise the doctors to write for. */
  doctors: { id: string; name: string }[] | null;
  defaultDoctorId: string | null;
}) {
  const [doctorId, setDoctorId] = useState(props.defaultDoctorId ?? props.doctors?.[0]?.id ?? null);
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
      {props.doctors && (
        <select
          aria-label="文書の責任者の医師"
          className={`${inputClass} py-1`}
          value={doctorId ?? ''}
          onChange={(e) => setDoctorId(e.target.value || null)}
        >
          {props.doctors.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} 医師（代行入力）
            </option>
          ))}
        </select>
      )}
      <select
        aria-label="文書を作成"
        className={`${inputClass} py-1`}
        value=""
        disabled={create.isPending}
        onChange={(e) =>
          create.mutate({
            encounterId: props.encounterId,
            type: e.target.value as DocumentType,
            doctorId: props.doctors ? doctorId : null,
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
