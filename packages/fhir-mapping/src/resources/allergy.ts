import type { AllergyIntolerance, Reference } from 'fhir/r4';
import type { AllergyRecord } from '../records';
import { type Flag, institutionExtension, meta, resourceIdentifier, SD } from './common';

const JFAGY = 'http://jpfhir.jp/fhir/core/CodeSystem/';
const CATEGORY = { food: 'food', environment: 'environment', drug: 'medication', other: undefined } as const;
// Uncodable allergens: D9M (drug), D9F (food), D9N (neither) + 000000000, with code.text (NOTES.md §2.3).
const UNCODED = { drug: 'D9M', food: 'D9F', environment: 'D9N', other: 'D9N' } as const;
const CRITICALITY = { low: 'low', high: 'high', unknown: 'unable-to-assess' } as const;

/**
 * JP_AllergyIntolerance_eCS: 食物 / 環境 / その他 (no category), and 薬剤禁忌 as category medication with
 * the YJ-based JFAGY code (YCM + 12-digit YJ). A drug contraindication is long-term information (LTS).
 */
export function toAllergyEcs(
  a: AllergyRecord,
  ctx: { institutionCode: string; subject: Reference },
): AllergyIntolerance {
  const flags: Flag[] = a.category === 'drug' ? ['LTS'] : [];
  const category = CATEGORY[a.category];
  const coding =
    a.category === 'drug' && a.drugCode
      ? {
          system: `${JFAGY}YCM/JP_JfagyMedicationAllergen_CS`,
          code: `YCM${a.drugCode}`,
          display: a.substance,
        }
      : { system: uncodedSystem(a.category), code: `${UNCODED[a.category]}000000000`, display: a.substance };
  return {
    resourceType: 'AllergyIntolerance',
    meta: meta(`${SD}JP_AllergyIntolerance_eCS`, a.updatedAt, flags),
    extension: [institutionExtension(ctx.institutionCode)],
    identifier: [resourceIdentifier(`${ctx.institutionCode}-${a.id}-${a.version}`)],
    clinicalStatus: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
          code: a.status,
          display: a.status[0]?.toUpperCase() + a.status.slice(1),
        },
      ],
    },
    verificationStatus: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
          code: 'confirmed',
          display: 'Confirmed',
        },
      ],
    },
    ...(category ? { category: [category] } : {}),
    criticality: CRITICALITY[a.criticality],
    code: { coding: [coding], text: a.substance },
    patient: ctx.subject,
    ...(a.onsetDate ? { onsetDateTime: a.onsetDate } : {}),
    recordedDate: a.updatedAt.toISOString(),
    ...(a.reaction ? { reaction: [{ manifestation: [{ text: a.reaction }] }] } : {}),
  };
}

function uncodedSystem(category: AllergyRecord['category']) {
  if (category === 'drug') return `${JFAGY}GCM/JP_JfagyMedicationAllergen_CS`;
  if (category === 'food') return `${JFAGY}JP_JfagyFoodAllergen_CS`;
  return `${JFAGY}JP_JfagyNonFoodNonMedicationAllergen_CS`;
}
