import { lowerCase } from "./text.ts";

/**
 * Words that announce a one-time code, in the languages sign-up mail usually arrives in.
 *
 * One case-insensitive alternation of plain stems finds them fast; word boundaries, suffixes
 * (kod → kodunuz, код → кода) and compounds (Bestätigungscode, verificatiecode, passcode) are
 * then checked in code. Chinese, Japanese and Korean have no word boundaries to check.
 */
const COMPOUND_STEMS = ["code", "kode", "コード", "코드"];
const WORD_STEMS = [
  "kod",
  "код",
  "codic",
  "c[oó]dig",
  "otp",
  "one[- ]?time",
  "single[- ]use",
  "v[eé]rif",
  "weryfik",
  "do[gğ]rula",
  "2fa",
  "two[- ](?:factor|step)",
  "2-step",
  "mfa",
  "token",
  "einmal",
  "eenmalig",
  "jednorazow",
  "одноразов",
  "проверочн",
  "tek kullanımlık",
  "usage unique",
  "solo uso",
  "uso único",
  "monouso",
  "pin",
];
const CJK_WORDS = [
  "認証",
  "认证",
  "認證",
  "验证",
  "驗證",
  "确认码",
  "確認碼",
  "校验码",
  "校驗碼",
  "动态码",
  "動態碼",
  "动态密码",
  "安全码",
  "安全碼",
  "ワンタイム",
  "パスコード",
  "暗証番号",
  "인증",
  "일회용",
];
// Searched in lower-cased text (see lowerCase).
const STEMS = new RegExp([...COMPOUND_STEMS, ...WORD_STEMS, ...CJK_WORDS].join("|"), "g");

// Codes that are not one-time codes: promo, postal, QR, source, error codes … (tested lower-cased)
const NOT_A_CODE_WORD =
  /^(?:(?:en|de|uni|bar|qr|post|zip|geo|trans|op|short|hard|source|promo|promotions?|rabatt|gutschein|aktions|kortings|actie|kupon)-?code|codec|coder|codein|kodi|кодир|промокод)/;
const NOT_A_CODE_BEFORE = new Set(
  `promo promotion promotional discount coupon voucher gift card referral reference ref ref. booking
  reservation customer client member article vat postal zip post area country dial dialing dialling qr
  bar source error status response http tracking product item sku tax sort swift bic bank dress rabatt
  gutschein indirim posta kupon`.split(/\s+/),
);
const NOT_A_CODE_BEFORE_CJK = ["クーポン", "プロモーション", "优惠", "優惠", "쿠폰", "할인"];
const NOT_A_CODE_AFTER =
  /^\s*(?:promo|postal|postale|de (?:réduction|descuento|desconto|promo)|sconto|fiscale|pocztowy|rabatowy|of conduct|de conduite|de conducta)/;

interface Word {
  start: number;
  end: number;
}

/** Start offsets of the code keywords among the first `maxHits` keyword-like words of a text. */
export function keywordOffsets(text: string, maxHits = Number.POSITIVE_INFINITY): number[] {
  const lower = lowerCase(text);
  const offsets: number[] = [];
  let hits = 0;
  for (const match of lower.matchAll(STEMS)) {
    if (++hits > maxHits) break;
    const word = keywordAt(text, match.index, match[0]);
    if (word && !negated(lower, word)) offsets.push(word.start);
  }
  return offsets;
}

function keywordAt(text: string, at: number, stem: string): Word | undefined {
  if (isCjk(stem)) return { start: at, end: at + stem.length };
  const end = wordEnd(text, at + stem.length);
  if (COMPOUND_STEMS.includes(stem)) {
    const start = wordStart(text, at);
    return NOT_A_CODE_WORD.test(lowerCase(text.slice(start, end))) ? undefined : { start, end };
  }
  if (isWordChar(text[at - 1])) return undefined;
  // Lower-case "pin" is a verb; only "PIN" is the noun.
  if (stem === "pin" && text.slice(at, end) !== "PIN") return undefined;
  return { start: at, end };
}

function negated(lower: string, { start, end }: Word): boolean {
  const before = lower.slice(Math.max(0, start - 24), start);
  const lineBefore = before.slice(before.lastIndexOf("\n") + 1).replace(/[\s-]+$/, "");
  const previousWord = lineBefore.slice(
    Math.max(lineBefore.lastIndexOf(" "), lineBefore.lastIndexOf("-")) + 1,
  );
  return (
    NOT_A_CODE_BEFORE.has(previousWord) ||
    NOT_A_CODE_BEFORE_CJK.some((word) => lineBefore.endsWith(word)) ||
    NOT_A_CODE_AFTER.test(lower.slice(end, end + 24))
  );
}

const isCjk = (stem: string) => stem.charCodeAt(0) >= 0x2e80;
// Cased letters (Latin, Greek, Cyrillic …) and digits; enough for the languages above.
const isLetter = (char: string | undefined) =>
  char !== undefined && char.toLowerCase() !== char.toUpperCase();
const isWordChar = (char: string | undefined) =>
  isLetter(char) || (char !== undefined && char >= "0" && char <= "9");

// Longer "words" are not language (and scanning them per hit would be quadratic).
const MAX_WORD = 40;

function wordStart(text: string, at: number): number {
  let start = at;
  const isPart = (i: number) => isLetter(text[i]) || (text[i] === "-" && isLetter(text[i - 1]));
  while (at - start < MAX_WORD && isPart(start - 1)) start--;
  return start;
}

function wordEnd(text: string, at: number): number {
  let end = at;
  while (end - at < MAX_WORD && isLetter(text[end])) end++;
  return end;
}
