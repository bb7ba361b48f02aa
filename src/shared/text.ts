/**
 * The one rule for text people type or import (docs/security-notes/hostile-input.md):
 *
 * - Everything is NFC-normalised, so "é" typed as e + U+0301 and as U+00E9 is the same name and
 *   the same key (codes and natural keys stay unique after normalisation).
 * - Names and codes (areas, organizations, users, 姓名/名称 and the natural keys of ledgers) are one
 *   line of visible text: control characters, zero-width characters, direction marks and
 *   overrides (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, U+FEFF, …) are refused, since they make
 *   two different names look alike or reorder what is shown.
 * - Free text (topics, contents, minutes) keeps emoji, tabs and line breaks; it refuses NUL and
 *   the other C0 controls, the direction overrides and isolates (text that displays in another
 *   order than it is stored) and U+FFFD (the mark of text already garbled by a wrong encoding).
 *
 * Pure and isomorphic: the server validates with it, the web app may show the same messages.
 */

/** Control and format characters (Unicode Cc, Cf) plus the line and paragraph separators. */
const NAME_FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029\uFFFD]/u;
/** C0 controls except tab, line feed and carriage return; DEL; bidi overrides/isolates; lone surrogates; U+FFFD. */
const FREE_TEXT_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069\uFFFD\p{Cs}]/u;

export function normalizeText(text: string): string {
  return text.normalize('NFC');
}

function describe(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp === 0) return `空字符（${hex}）`;
  if (cp >= 0xd800 && cp <= 0xdfff) return `不完整的字符（${hex}）`;
  if (cp === 0xfffd) return `乱码替换符“�”（${hex}，通常是文件编码有误）`;
  if (cp === 0x09 || cp === 0x0a || cp === 0x0d) return `制表符或换行（${hex}）`;
  if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0)) return `控制字符（${hex}）`;
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200e || cp === 0x200f || cp === 0x061c) return `文字方向控制字符（${hex}）`;
  return `不可见字符（${hex}）`;
}

/** Why a name or code is refused (a Chinese sentence starting with the label), or null. */
export function nameProblem(text: string, label: string): string | null {
  const m = NAME_FORBIDDEN.exec(text);
  return m ? `“${label}”含有${describe(m[0])}，请删除后重试` : null;
}

/** Why free text is refused, or null. */
export function freeTextProblem(text: string, label: string): string | null {
  const m = FREE_TEXT_FORBIDDEN.exec(text);
  return m ? `“${label}”含有${describe(m[0])}，请删除后重试` : null;
}

/**
 * A file name fit to show and to put in a Content-Disposition: no directories (either slash),
 * no control, format or direction characters, no leading dots, NFC, at most `max` characters
 * (whole characters: an emoji is never cut in half). The file is never stored under this name.
 */
export function displayFileName(name: string, max = 120): string {
  const base = normalizeText(name).split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029\uFFFD]/gu, '').replace(/^[.\s]+/, '').trim();
  const chars = [...clean];
  if (chars.length <= max) return clean || 'file';
  // Keep the extension when cutting.
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
  return chars.slice(0, max - [...ext].length).join('') + ext;
}

/** RFC 5987 / 6266 value for `filename*=UTF-8''…` (also escapes ' ( ) * which encodeURIComponent leaves). */
export function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `attachment; filename="<ascii fallback>"; filename*=UTF-8''<name>` for a download. */
export function contentDisposition(name: string, asciiFallback = 'download'): string {
  const safe = displayFileName(name);
  return `attachment; filename="${asciiFallback.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${rfc5987(safe)}`;
}
