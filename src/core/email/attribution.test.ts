import { describe, expect, it } from 'vitest';
import { isAttributionLine } from './attribution.ts';
import { htmlToPlainText, splitHtmlQuote } from './html-quote.ts';
import { automaticReason, foldQuoted, headerLookup } from './mail-headers.ts';

// Review 2026-12-07 item 29: a German client's attribution line stayed in the message. The lines below
// are what the clients write (Gmail, Apple Mail, Thunderbird, Outlook, Yandex, Mail.ru, QQ) in each language.

const ATTRIBUTIONS: Record<string, string[]> = {
  en: [
    'On Mon, Dec 7, 2026 at 9:00 AM Replyby <support@replyby.test> wrote:',
    'On 07/12/2026 09:00, Replyby wrote:',
    'On Dec 7, 2026, at 09:00, Replyby <support@replyby.test> wrote:',
    'Replyby <support@replyby.test> wrote on 7 Dec 2026 09:00:',
  ],
  de: [
    'Am Mo., 7. Dez. 2026 schrieb Replyby:',
    'Am Mo., 7. Dez. 2026 um 09:00 Uhr schrieb Replyby <support@replyby.test>:',
    'Am 07.12.2026 um 09:00 schrieb Replyby:',
    'Replyby <support@replyby.test> schrieb am 07.12.2026 09:00:',
  ],
  fr: [
    'Le lun. 7 déc. 2026 à 09:00, Replyby <support@replyby.test> a écrit :',
    'Le 07/12/2026 à 09:00, Replyby a\u00a0écrit\u00a0:',
  ],
  es: [
    'El lun, 7 dic 2026 a las 9:00, Replyby (<support@replyby.test>) escribió:',
    'El 07/12/2026 a las 09:00, Replyby escribió:',
  ],
  ru: [
    'пн, 7 дек. 2026 г. в 09:00, Replyby <support@replyby.test>:',
    '07.12.2026 9:00, Replyby пишет:',
    '07.12.2026, 09:00, "Replyby" <support@replyby.test>:',
    'Понедельник, 7 декабря 2026, 9:00 +03:00 от Replyby <support@replyby.test>:',
    'Иван Петров написал(а):',
  ],
  bg: [
    'На пн, 7.12.2026 г. в 9:00 ч. Replyby <support@replyby.test> написа:',
    'пон., 7 дек. 2026 г. в 9:00 ч. Replyby написа:',
  ],
  zh: [
    '在 2026年12月7日 09:00，Replyby <support@replyby.test> 写道：',
    'Replyby <support@replyby.test> 于2026年12月7日周一 09:00写道：',
    'Replyby <support@replyby.test> 於 2026年12月7日 週一 上午9:00 寫道：',
  ],
};

const NOT_ATTRIBUTIONS = [
  'The invoice was written on Monday.',
  'I wrote to you yesterday about this.',
  'Am Montag schrieb ich Ihnen schon einmal.',
  'Le client a écrit une lettre.',
  'Вчера я писал вам об этом.',
  '我昨天写道这个问题。',
  'Error at 09:00: the server did not answer.',
  'De: 10h à 12h nous sommes fermés.',
];

describe('attribution lines (review item 29)', () => {
  it.each(Object.entries(ATTRIBUTIONS))('%s: every client wording is recognised', (_lang, lines) => {
    for (const line of lines) expect(isAttributionLine(line), line).toBe(true);
  });

  it("a person's own sentences are not", () => {
    for (const line of NOT_ATTRIBUTIONS) expect(isAttributionLine(line), line).toBe(false);
  });

  it.each(Object.entries(ATTRIBUTIONS))('%s: plain text folds at the attribution line', (_lang, lines) => {
    for (const line of lines) {
      const mail = `Danke, es geht jetzt.\nGruß, Anna\n\n${line}\n> Bitte starten Sie den Drucker neu.\n> Replyby`;
      expect(foldQuoted(mail), line).toEqual({ visible: 'Danke, es geht jetzt.\nGruß, Anna', quoted: `${line}\n> Bitte starten Sie den Drucker neu.\n> Replyby` });
    }
  });

  it('the German review case: the history below the attribution is folded even when it is not marked with ">"', () => {
    const mail = 'Das Problem ist gelöst.\n\nAm Mo., 7. Dez. 2026 schrieb Replyby:\nWir haben Ihre Anfrage #1042 erhalten.\nWir antworten bis morgen.';
    const folded = foldQuoted(mail);
    expect(folded.visible).toBe('Das Problem ist gelöst.');
    expect(folded.quoted.startsWith('Am Mo., 7. Dez. 2026 schrieb Replyby:')).toBe(true);
  });

  it('an attribution the client wrapped over two lines folds at its first line', () => {
    const mail = 'Thanks!\n\nOn Mon, Dec 7, 2026 at 9:00 AM Replyby Support <\nsupport@replyby.test> wrote:\n> old text';
    expect(foldQuoted(mail)).toEqual({ visible: 'Thanks!', quoted: 'On Mon, Dec 7, 2026 at 9:00 AM Replyby Support <\nsupport@replyby.test> wrote:\n> old text' });
    const de = 'Danke!\n\nAm Mo., 7. Dez. 2026 um 09:00 Uhr schrieb Replyby Support\n<support@replyby.test>:\n> alt';
    expect(foldQuoted(de).visible).toBe('Danke!');
  });

  it('quoted header blocks in German, French, Spanish and Chinese (Outlook) fold at their first field', () => {
    const blocks = [
      'Von: Replyby <support@replyby.test>\nGesendet: Montag, 7. Dezember 2026 09:00\nAn: anna@example.de\nBetreff: Ihre Anfrage',
      'De : Replyby <support@replyby.test>\nEnvoyé : lundi 7 décembre 2026 09:00\nÀ : anna@example.fr',
      'De: Replyby <support@replyby.test>\nEnviado: lunes, 7 de diciembre de 2026 9:00\nPara: ana@example.es',
      '发件人：Replyby <support@replyby.test>\n发送时间：2026年12月7日 9:00\n收件人：wang@example.cn',
      '-----Ursprüngliche Nachricht-----\nVon: Replyby',
      '-----Message d\'origine-----\nDe : Replyby',
      '-----Mensaje original-----\nDe: Replyby',
    ];
    for (const block of blocks) expect(foldQuoted(`Neue Zeile.\n\n${block}\n\nalter Text`), block).toEqual({ visible: 'Neue Zeile.', quoted: `${block}\n\nalter Text` });
    // One line starting "De:" inside the customer's own text is not a header block.
    expect(foldQuoted('Horaires:\nDe: 10h à 12h\nMerci').quoted).toBe('');
  });

  it('no attribution, nothing folded', () => {
    for (const line of NOT_ATTRIBUTIONS) expect(foldQuoted(`Hello.\n${line}\nBye.`).quoted, line).toBe('');
  });

  it.each(Object.entries(ATTRIBUTIONS))('%s: HTML folds at an attribution line right before the <blockquote>', (_lang, lines) => {
    for (const line of lines) {
      const escaped = line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      for (const html of [
        `<div>Neue Antwort.</div><div>${escaped}<br></div><blockquote style="margin:0 0 0 .8ex">alt</blockquote>`,
        `<p>Neue Antwort.</p>${escaped}<br><blockquote>alt</blockquote>`,
      ]) {
        const split = splitHtmlQuote(html);
        expect(split?.client, html).toBe('attribution');
        expect(htmlToPlainText(split?.visible ?? ''), html).toBe('Neue Antwort.');
        expect(htmlToPlainText(split?.quoted ?? ''), html).toContain('alt');
      }
    }
  });

  it('HTML: an address inside a mailto link in the attribution still counts; a quotation the customer typed does not', () => {
    const linked = '<div>Merci.</div><div>Le lun. 7 déc. 2026 à 09:00, Replyby &lt;<a href="mailto:support@replyby.test">support@replyby.test</a>&gt; a écrit&nbsp;:<br></div><blockquote>alt</blockquote>';
    expect(splitHtmlQuote(linked)).toMatchObject({ client: 'attribution', visible: '<div>Merci.</div>' });
    expect(splitHtmlQuote('<p>Die Anleitung sagt:</p><blockquote>Drucker neu starten</blockquote>')).toBeNull();
  });

  it('HTML: a bold "Von:" / "De :" header block (Outlook in German and French) is history', () => {
    expect(splitHtmlQuote('<p>Neu.</p><p><b>Von:</b> Replyby<br><b>Gesendet:</b> Montag</p><p>alt</p>')).toMatchObject({ client: 'separator', visible: '<p>Neu.</p>' });
    expect(splitHtmlQuote('<p>Nouveau.</p><p><b>De&nbsp;:</b> Replyby<br><b>Envoyé&nbsp;:</b> lundi</p><p>ancien</p>')).toMatchObject({ client: 'separator', visible: '<p>Nouveau.</p>' });
  });
});

describe('header lookup over raw header lines (review item 9)', () => {
  it('finds List-* headers by name in any case, unfolded, and the bulk check sees them', () => {
    const lines = [
      { key: 'from', line: 'From: news@shop.example' },
      { key: 'list-unsubscribe', line: 'List-Unsubscribe: <mailto:u@shop.example>,\r\n <https://shop.example/u>' },
    ];
    const header = headerLookup(lines);
    expect(header('List-Unsubscribe')).toBe('<mailto:u@shop.example>, <https://shop.example/u>');
    expect(header('list-id')).toBeUndefined();
    expect(automaticReason(header, 'news@shop.example')).toBe('mailing list (list-unsubscribe)');
    expect(automaticReason(headerLookup([{ key: 'list-id', line: 'List-Id: Dev <dev.lists.example>' }]), 'dev@lists.example')).toBe('mailing list (list-id)');
    expect(automaticReason(headerLookup([{ key: 'list-post', line: 'List-Post: <mailto:dev@lists.example>' }]), 'dev@lists.example')).toBe('mailing list (list-post)');
    expect(automaticReason(headerLookup(lines.slice(0, 1)), 'news@shop.example')).toBeNull();
  });
});
