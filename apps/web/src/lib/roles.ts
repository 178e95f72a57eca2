/**
 * Allergies, 薬剤禁忌, infections and lab results entered or corrected by hand feed the safety checks: doctors and
 * nurses change them (the server refuses anyone else), the lab's CSV import included, since its
 * infection results change the patient's infection status; clerks may preview a file.
 */
export const changesSafetyData = (role: string) => role === 'doctor' || role === 'nurse';
