/**
 * 公民身份号码 per GB 11643-1999: 6-digit address code, 8-digit birth date, 3-digit sequence
 * (odd for men, even for women), and an ISO 7064 MOD 11-2 check character.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export function idBirthDate(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

export function idGender(id: string): '男' | '女' {
  return Number(id[16]) % 2 === 1 ? '男' : '女';
}

/** Chinese problem with the number, or null when it is well formed (GB 11643-1999). */
export function idNumberProblem(raw: string, gender?: string | null, today?: string): string | null {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return '公民身份号码应为18位（最后一位可以是X）';
  const birth = idBirthDate(id);
  const d = new Date(`${birth}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== birth) return `公民身份号码中的出生日期${birth}不存在`;
  if (birth < '1900-01-01' || (today && birth > today)) return `公民身份号码中的出生日期${birth}不合理`;
  if (idCheckChar(id.slice(0, 17)) !== id[17]) return '公民身份号码校验位错误，请核对号码';
  if (gender && (gender === '男' || gender === '女') && idGender(id) !== gender) {
    return `公民身份号码第17位表示性别为“${idGender(id)}”，与填写的性别“${gender}”不一致`;
  }
  return null;
}

/** 3701**********1234: the first 4 and last 4 characters. */
export function maskIdNumber(id: string): string {
  return id.length <= 8 ? '*'.repeat(id.length) : `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/** 138****5678. */
export function maskPhone(phone: string): string {
  return phone.length <= 7 ? '*'.repeat(phone.length) : `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

export const PHONE_PATTERN = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;
