import type { BillDraft } from '@karte/domain';
import { describe, expect, it } from 'vitest';
import { billDraftKey, forgetBillDraft, keepBillDraft, loadBillDraft } from './draftStore';
import { addProcedure, removeItem } from './money';

class MemoryStorage implements Storage {
  private data = new Map<string, string>();
  get length() {
    return this.data.size;
  }
  clear() {
    this.data.clear();
  }
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  key(i: number) {
    return [...this.data.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
}

const visitId = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const proposal: BillDraft = {
  visitKind: 'revisit',
  visitKindReason: '',
  items: [
    { kind: 'procedure', code: '112007410', count: 1, source: 'proposed' },
    { kind: 'procedure', code: '112011010', count: 1, source: 'proposed' },
  ],
  removed: [],
  selfPay: [],
  publicSubsidyIds: [],
  elsewhere: [],
};

describe('the unsaved 会計 in the tab', () => {
  it('keeps edits and reasons and gives them back for the same version', () => {
    const store = new MemoryStorage();
    const edited = removeItem(addProcedure(proposal, '140000610'), '112011010', '患者希望なし');
    keepBillDraft(store, visitId, proposal, { baseVersion: 0, draft: edited, correcting: null });
    expect(loadBillDraft(store, visitId, 0)).toEqual({ baseVersion: 0, draft: edited, correcting: null });
  });
  it('forgets the copy when the edits are undone, and on 会計済', () => {
    const store = new MemoryStorage();
    const edited = addProcedure(proposal, '140000610');
    keepBillDraft(store, visitId, proposal, { baseVersion: 0, draft: edited, correcting: null });
    keepBillDraft(store, visitId, proposal, { baseVersion: 0, draft: proposal, correcting: null });
    expect(store.getItem(billDraftKey(visitId))).toBeNull();
    keepBillDraft(store, visitId, proposal, { baseVersion: 0, draft: edited, correcting: null });
    forgetBillDraft(store, visitId);
    expect(loadBillDraft(store, visitId, 0)).toBeNull();
  });
  it('does not restore edits made on another version, nor a damaged copy', () => {
    const store = new MemoryStorage();
    const edited = addProcedure(proposal, '140000610');
    keepBillDraft(store, visitId, proposal, { baseVersion: 1, draft: edited, correcting: '金額誤り' });
    expect(loadBillDraft(store, visitId, 2)).toBeNull();
    expect(loadBillDraft(store, visitId, 1)?.correcting).toBe('金額誤り');
    store.setItem(billDraftKey(visitId), '{not json');
    expect(loadBillDraft(store, visitId, 1)).toBeNull();
    expect(loadBillDraft(null, visitId, 1)).toBeNull();
  });
});
