/**
 * Allergies, 薬剤禁忌, infections and lab results entered or corrected by hand feed the safety checks: doctors and
 * nurses change them (the server refuses anyone else); clerks import the lab's CSV as received.
 */
export const changesSafetyData = (role: string) => role === 'doctor' || role === 'nurse';
