// The line a mail client writes above the history it quotes ("On Mon, 7 Dec 2026, A wrote:"), in the
// languages our customers' clients speak. Each client words it its own way and localises it, so the
// line is recognised by its shape in each language rather than by one English sentence:
//
//   en  On Mon, Dec 7, 2026 at 9:00 AM Replyby <support@x> wrote:         (Gmail, Apple Mail, Thunderbird)
//   de  Am Mo., 7. Dez. 2026 um 09:00 Uhr schrieb Replyby <support@x>:    (Gmail, Apple Mail, Thunderbird)
//       Replyby <support@x> schrieb am 07.12.2026 09:00:
//   fr  Le lun. 7 déc. 2026 à 09:00, Replyby <support@x> a écrit :
//   es  El lun, 7 dic 2026 a las 9:00, Replyby (<support@x>) escribió:
//   ru  пн, 7 дек. 2026 г. в 09:00, Replyby <support@x>:                  (Gmail: no verb at all)
//       07.12.2026 9:00, Replyby пишет: / Иван написал(а):                (Thunderbird, Yandex, Mail.ru)
//   bg  На пн, 7.12.2026 г. в 9:00 ч. Replyby <support@x> написа:
//   zh  在 2026年12月7日 09:00，Replyby <support@x> 写道：                    (Apple Mail, Thunderbird)
//       Replyby <support@x> 于2026年12月7日周一 09:00写道：                  (Gmail)
//
// A person's own sentence rarely ends in "wrote:" with a colon; the cost of a false cut is small anyway,
// since the quoted part stays on the ticket, folded underneath.

const COLON = '\\s*[:：]\\s*$';

/** The verbs an attribution line ends with (or, in German, names the writer after). */
const VERB_AT_END = [
  'wrote', 'writes', 'has written',
  'schrieb', 'hat geschrieben',
  'a écrit',
  'escribió', 'escribio', 'ha escrito',
  'написал', 'написала', 'написал\\(а\\)', 'написал\\(a\\)', 'пишет', 'писал',
  'написа', 'пише',
].join('|');

const ATTRIBUTION: readonly RegExp[] = [
  // "… wrote:", "… a écrit :", "… написал(а):", optionally "… schrieb am 07.12.2026 09:00:" / "… wrote on …:".
  new RegExp(`^.{0,250}(?:^|\\s|\\))(?:${VERB_AT_END})(?:\\s+(?:am|on|le|el)\\s.{1,120})?${COLON}`, 'iu'),
  // German puts the writer after the verb: "Am 7. Dez. 2026 um 09:00 schrieb Replyby <support@x>:".
  new RegExp(`^Am\\s.{3,200}\\sschrieb\\s.{1,200}${COLON}`, 'iu'),
  // Chinese: "在 … 写道：", "… 于 … 写道：" (traditional 寫道 too).
  new RegExp(`^.{0,250}(?:写道|寫道|寫到|写到)${COLON}`, 'u'),
  // A date-and-time and an address right before the colon: Gmail in Russian ("пн, 7 дек. 2026 г. в 09:00,
  // Replyby <support@x>:"), Yandex, Mail.ru ("… 9:00 +03:00 от Replyby <support@x>:").
  new RegExp(`^.{0,200}\\d{1,2}:\\d{2}.{0,200}<[^<>\\s@]+@[^<>\\s]+>\\)?${COLON}`, 'u'),
];

/** Whether a line (already trimmed of the mail's line breaks) introduces quoted history. */
export function isAttributionLine(line: string): boolean {
  const text = line.replace(/\s+/g, ' ').trim();
  if (text.length < 4 || text.length > 400) return false;
  return ATTRIBUTION.some((re) => re.test(text));
}

/** "-----Original Message-----" and its translations (Outlook's separator above its header block). */
export const ORIGINAL_MESSAGE = /^-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Originalnachricht|Message d'origine|Message d’origine|Mensaje original|Исходное сообщение|Оригинално съобщение|Пересылаемое сообщение|原始邮件|原始郵件)\s*-{2,}$/iu;

/** The first field of a quoted header block, in the languages above. */
const HEADER_FROM = /^(?:From|Von|De|От|Від|发件人|寄件者)\s*[:：]\s*\S/u;
/** The fields that follow it within a few lines (Sent, Date, To, Subject …). */
const HEADER_NEXT = /^(?:Sent|Date|To|Subject|Gesendet|Datum|An|Betreff|Envoyé|Date d'envoi|À|Objet|Enviado|Fecha|Para|Asunto|Отправлено|Дата|Кому|Тема|Изпратено|До|发送时间|日期|收件人|主题|時間|收件者|主旨)\s*[:：]/iu;

/**
 * Whether lines[i] opens a quoted header block: "Von: Replyby" followed within three lines by
 * "Gesendet:", "Betreff:" or the like (so one line starting "De: " in a sentence is not a header).
 */
export function opensHeaderBlock(lines: readonly string[], i: number): boolean {
  if (!HEADER_FROM.test((lines[i] ?? '').trim())) return false;
  return lines.slice(i + 1, i + 4).some((l) => HEADER_NEXT.test(l.trim()));
}
