import type { BillDraft } from '@karte/domain';
import { useEffect } from 'react';
import { isEdited, keepBillDraft, tabStorage } from './draftStore';

/**
 * Keeps the 会計 being edited in the tab (see draftStore) and, while it is unsaved, asks before the page is
 * closed or reloaded, as the chart does.
 */
export function useKeptDraft(props: {
  visitId: string;
  version: number;
  server: BillDraft;
  draft: BillDraft;
  correcting: string | null;
  editable: boolean;
}) {
  const { visitId, version, server, draft, correcting, editable } = props;
  const edited = editable && isEdited(draft, server, correcting);
  useEffect(() => {
    if (!editable) return;
    keepBillDraft(tabStorage(), visitId, server, { baseVersion: version, draft, correcting });
  }, [editable, visitId, version, server, draft, correcting]);
  useEffect(() => {
    if (!edited) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [edited]);
}
