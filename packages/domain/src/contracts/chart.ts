/** SOAP on the 2号用紙: S/O on the left (主訴・所見), A/P on the right (評価・処置・処方・検査). */
export interface SoapContent {
  s: string; // 主訴
  o: string; // 所見
  a: string; // 評価
  p: string; // 処置・処方・検査
}

export const emptySoap: SoapContent = { s: '', o: '', a: '', p: '' };

export const soapLabels: Record<keyof SoapContent, string> = {
  s: 'S 主訴',
  o: 'O 所見',
  a: 'A 評価',
  p: 'P 処置・処方・検査',
};
