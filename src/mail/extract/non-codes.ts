/**
 * Numbers that look like codes but are something else: dates, times, phone numbers, prices,
 * durations, URLs, order numbers, years, postal addresses.
 */
import { lowerCase } from "./text.ts";

// Replaces masked spans: neither a space nor a separator, so nothing joins across it, and a
// token touching it is rejected as part of something larger.
export const FILLER = "\ue000";

// Quantifiers are bounded so that a line of ten thousand digits stays linear.
const AMOUNT = "\\d(?:[\\d.,' ]{0,24}\\d)?";
const CURRENCY_CODES = "USD|EUR|GBP|CHF|JPY|CNY|RUB|PLN|TRY|KRW|INR|BRL|MXN|CAD|AUD|SEK|NOK|DKK|CZK|HUF";
const PHONE_LABELS =
  "tel|phone|fax|mobile|call(?: us)?(?: at| on)?|telefon|téléphone|tél|teléfono|telefone|telefono|телефон|電話|电话|致电|致電|拨打|撥打|热线|熱線|전화|고객센터";
const UNITS =
  "minutes?|mins?|hours?|hrs?|seconds?|secs?|days?|weeks?|months?|years?|minuten?|stunden?|sekunden|tag(?:e|en)?|minutos?|horas?|segundos?|d[ií]as?|heures?|secondes?|jours?|minuti|ore|giorni|uur|dagen|minut\\p{L}*|godzin\\p{L}*|минут\\p{L}*|час\\p{L}*|секунд\\p{L}*|дн\\p{L}*|dakika\\p{L}*|saat|gün|km|kg|mb|gb|kb|px|mm|cm|ms";
const CJK_UNITS = "分钟|分鐘|分|秒|小时|小時|時間|日|天|个月|か月|年|月|분|시간|초|일|년|월";

/** One alternation, searched in lower-cased text: one pass instead of one per pattern. */
const MASK = new RegExp(
  [
    "(?:https?://|www\\.)\\S+",
    "[^\\s@]{1,64}@[^\\s@]{1,255}\\.\\w+",
    `(?<![\\p{L}])(?:${PHONE_LABELS})\\.?\\s?[:：]?\\s?[+(]?\\d[\\d ()./-]{3,20}\\d`,
    "(?:ending(?: in| with)?|endet (?:auf|mit)|terminant par|termina(?:do)? en|che termina con|eindigend op)[\\s*•·x.-]{0,16}\\d{1,6}",
    "\\+\\d[\\d ().-]{5,20}\\d", // international phone
    "\\(\\d{2,5}\\) ?\\d[\\d .-]{3,16}\\d", // phone with an area code
    "(?<!\\d)\\d{3}[-. ]\\d{3}[-. ]\\d{4}(?!\\d)", // 555-123-4567
    "(?<!\\d)\\d{3}-\\d{2}-\\d{2}(?!\\d)", // 555-35-35
    "(?<!\\d)\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}(?!\\d)", // 2024-03-12
    "(?<!\\d)\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4}(?!\\d)", // 12.03.2024
    "(?<!\\d)\\d{1,2}:\\d{2}(?::\\d{2})?(?!\\d)", // 12:30
    `[$€£¥₹₽₩]\\s?${AMOUNT}`,
    `${AMOUNT}\\s?(?:[$€£¥₹₽₩円元원]|(?:kr|zł|tl|руб|р\\.)(?![\\p{L}]))`,
    "\\d{1,6}(?:[.,]\\d{1,6})? ?%",
    `\\d{1,6} ?(?:${UNITS})(?![\\p{L}])`,
    `\\d{1,6} ?(?:${CJK_UNITS})`,
  ].join("|"),
  "gu",
);
// Currency codes only in capitals: "try 4839" is not Turkish lira.
const CURRENCY_CODE_AMOUNT = new RegExp(
  `(?:\\b(?:${CURRENCY_CODES})|R\\$|US\\$)\\s?${AMOUNT}|${AMOUNT}\\s?(?:${CURRENCY_CODES})\\b`,
  "g",
);

/** The line with every date, time, phone number, amount, duration, URL and address masked. */
export function maskNonCodes(line: string): string {
  const masked = line.split("");
  for (const span of [...lowerCase(line).matchAll(MASK), ...line.matchAll(CURRENCY_CODE_AMOUNT)]) {
    masked.fill(FILLER, span.index, span.index + span[0].length);
  }
  return masked.join("");
}

const OTHER_NUMBER_LABEL =
  /(?<![\p{L}])(?:order|invoice|account|acct|customer|member(?:ship)?|booking|reservation|ticket|case|ref(?:erence)?|tracking|shipment|parcel|package|sku|item|receipt|transaction|serial|model|bestell\p{L}*|rechnung\p{L}*|kunden\p{L}*|sendungs\p{L}*|auftrag\p{L}*|commande|facture|pedido|factura|encomenda|ordine|fattura|bestelling|factuur|zamówieni\p{L}*|faktur\p{L}*|заказ\p{L}*|сч[её]т\p{L}*|sipariş\p{L}*|fatura\p{L}*|注文番号|订单号?|訂單編號|訂單|주문번호|주문|운송장번호|송장번호)\s*(?:number|no\.?|nr\.?|num\.?|#|id|nummer|numéro|número|n[°º]\.?|№|番号|号|編號|번호)?\s*(?:[:：#]|is|ist|est|es|è|é)?\s*$/u;

/** "Order 12345678", "Rechnungsnummer: 2024001": numbers labelled as something else. */
export function labelledAsOtherNumber(line: string, start: number): boolean {
  return OTHER_NUMBER_LABEL.test(lowerCase(line.slice(Math.max(0, start - 40), start)));
}

const DATE_CONTEXT =
  /(?<![\p{L}])(?:jan(?:uary|uar|vier)?|feb(?:ruary|ruar)?|févr(?:ier)?|mar(?:ch|s)?|märz|apr(?:il)?|avr(?:il)?|may|mai|june?|juni|juin|july?|juli|juil(?:let)?|aug(?:ust)?|août|sept?(?:ember|embre)?|oct(?:ober|obre)?|okt(?:ober)?|nov(?:ember|embre)?|dec(?:ember)?|dez(?:ember)?|déc(?:embre)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|januari|februari|maart|mei|augustus|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia|январ\p{L}*|феврал\p{L}*|март\p{L}*|апрел\p{L}*|ма[йя]|июн\p{L}*|июл\p{L}*|август\p{L}*|сентябр\p{L}*|октябр\p{L}*|ноябр\p{L}*|декабр\p{L}*|ocak|şubat|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık)\.?(?![\p{L}])|©|\(c\)|copyright/u;
const YEAR_PREFIX =
  /(?<![\p{L}])(?:in|since|until|till|through|by|seit|bis|im jahr|depuis|jusqu'en|en|desde|hasta|dal|nel|fino al|sinds|tot|od|do|с|до|year|jahr)\s*$/u;

/**
 * Tells the years among a line's candidates: 19xx/20xx in a line with a date or a copyright, or
 * right after "in"/"until". A bare 2024 can still be a code.
 */
export function yearsIn(line: string): (value: string, start: number) => boolean {
  let dated: boolean | undefined; // looked up once per line, and only if a year-like value shows up
  return (value, start) => {
    if (!/^(?:19|20)\d\d$/.test(value)) return false;
    dated ??= DATE_CONTEXT.test(lowerCase(line));
    return dated || YEAR_PREFIX.test(lowerCase(line.slice(Math.max(0, start - 16), start)));
  };
}

const ADDRESS_WORD =
  /(?<![\p{L}])(?:street|st\.|avenue|ave\.?|road|rd\.|blvd\.?|boulevard|suite|ste\.|floor|p\.?\s?o\.? box|postfach|rue|calle|avenida|rua|piazza|platz|laan|straat|ul\.|улица|ул\.)(?![\p{L}])|(?:straße|strasse|gasse|allee|weg)(?![\p{L}])/u;
// US "IL 62704", continental "10115 Berlin", UK "SW1A 1AA".
const POSTAL_CODE =
  /(?<![A-Za-z])[A-Z]{2} \d{5}(?:-\d{4})?(?!\d)|^\s*\d{4,5} \p{Lu}\p{Ll}+|(?<![A-Za-z])[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}(?![A-Za-z])/u;

/** A line of a postal address: its postal code is not a one-time code. */
export function looksLikeAddress(line: string): boolean {
  return POSTAL_CODE.test(line) || ADDRESS_WORD.test(lowerCase(line));
}
