import { describe, expect, it } from 'vitest';
import { detectLanguage, customerLanguage } from './language.ts';
import { htmlToPlainText, splitHtmlQuote } from './html-quote.ts';
import { automaticReason, foldQuoted, normalizeMessageId, subjectTicketNumber, threadCandidates, zoneFromDateHeader, zoneLabel } from './mail-headers.ts';
import { DEFAULT_TEMPLATES, TEMPLATE_KEYS, describeTarget, formatPromiseTime, renderTemplate, unknownPlaceholders, type TemplateValues } from './templates.ts';

const values = (over: Partial<TemplateValues> = {}): TemplateValues => ({
  'ticket.number': '1042', 'ticket.ref': '#1042', 'ticket.subject': 'Printer', 'ticket.summary': 'It is on fire', 'ticket.url': 'u', 'follow.url': 'f', 'follow.days': '7',
  'requester.name': 'Test Person', 'requester.email': 't@x', 'promise.local': 'Tue 25 Nov, 14:30 (Europe/Sofia)', 'promise.within': '4 business hours', 'promise.zone': 'Europe/Sofia', 'promise.date': '', 'promise.time': '', 'promise.reason': '',
  'team.back_local': '', 'kb.suggestions': '', 'promise.message': '', 'agent.name': 'Alex', 'closure.solved_url': 's', 'closure.not_solved_url': 'n', 'closure.closes_local': 'Fri 28 Nov, 09:00 (Europe/Sofia)', 'reply.body': 'Try turning it off', 'signin.url': 'https://x/s',
  'merge.into_ref': '#1050', 'merge.url': 'https://x/portal/tickets/1042', ...over,
});

describe('acknowledgement templates', () => {
  it('the English default reads as the promise the product makes, with a capital "We" after the greeting', () => {
    const text = renderTemplate(DEFAULT_TEMPLATES.acknowledgement.en.body, values());
    expect(text).toContain('Hello Test Person,\n\nWe received your request #1042:');
    expect(text).toContain('We will reply by Tue 25 Nov, 14:30 (Europe/Sofia) — within 4 business hours.');
    expect(text).not.toContain('team is away');
    expect(text).not.toContain('{{');
  });

  it('review item 19: after the greeting every customer mail, in every language, starts its sentence with a capital', () => {
    for (const key of TEMPLATE_KEYS) {
      for (const lang of ['en', 'ru', 'zh', 'bg'] as const) {
        const text = renderTemplate(DEFAULT_TEMPLATES[key][lang].body, values());
        const afterGreeting = text.split('\n\n')[1] ?? '';
        expect(afterGreeting, `${key}/${lang}`).not.toMatch(/^\p{Ll}/u);
        expect(text, `${key}/${lang}`).not.toMatch(/\{\{|Channel|\bApi\b/);
      }
    }
    expect(renderTemplate(DEFAULT_TEMPLATES.pending_reminder.ru.body, values())).toBe(
      'Здравствуйте, Test Person!\n\nМы всё ещё ждём вашего ответа по обращению #1042. Ответьте на это письмо или на странице u, чтобы мы могли продолжить.');
  });

  it('sections appear only with a value: the team-back line and up to three knowledge-base suggestions', () => {
    const text = renderTemplate(DEFAULT_TEMPLATES.acknowledgement.en.body, values({ 'team.back_local': 'Mon 1 Dec, 09:00 (Europe/Sofia)', 'kb.suggestions': '- Reset a printer: https://kb/1' }));
    expect(text).toContain('back on Mon 1 Dec, 09:00 (Europe/Sofia).');
    expect(text).toContain('These articles may already answer your question:\n- Reset a printer: https://kb/1');
  });

  it('the promise\'s notices: the customer\'s message only when there is one; closure links and the closing time filled in', () => {
    expect(renderTemplate(DEFAULT_TEMPLATES.promise_changed.en.body, values())).toBe(
      'Hello Test Person,\n\nWe need more time for your request #1042. Our new estimate is Tue 25 Nov, 14:30 (Europe/Sofia).\n\nFollow it at u');
    expect(renderTemplate(DEFAULT_TEMPLATES.promise_changed.en.body, values({ 'promise.message': 'The vendor answers on Monday.' }))).toBe(
      'Hello Test Person,\n\nWe need more time for your request #1042. Our new estimate is Tue 25 Nov, 14:30 (Europe/Sofia).\n\nThe vendor answers on Monday.\n\nFollow it at u');
    expect(renderTemplate(DEFAULT_TEMPLATES.closure_request.ru.body, values())).toBe(
      'Здравствуйте, Test Person!\n\nМы считаем, что ваш запрос #1042 («Printer») решён. Сообщите нам одним щелчком:\n\nРешено: s\nНе решено: n\n\nЕсли мы не получим ответа, запрос будет закрыт Fri 28 Nov, 09:00 (Europe/Sofia).');
    expect(renderTemplate(DEFAULT_TEMPLATES.work_started.bg.subject, values())).toBe('[#1042] Работим по вашата заявка');
  });

  it('a placeholder only another kind of mail fills is unknown for this one', () => {
    expect(unknownPlaceholders('{{closure.solved_url}} {{agent.name}} {{ticket.ref}}', 'closure_request')).toEqual(['agent.name']);
    expect(unknownPlaceholders('{{promise.message}}', 'acknowledgement')).toEqual(['promise.message']);
    for (const key of TEMPLATE_KEYS) {
      for (const lang of ['en', 'ru', 'zh', 'bg'] as const) expect(unknownPlaceholders(DEFAULT_TEMPLATES[key][lang].subject + DEFAULT_TEMPLATES[key][lang].body, key), `${key}/${lang}`).toEqual([]);
    }
  });

  it('every default template in every language uses known placeholders only', () => {
    for (const key of TEMPLATE_KEYS) {
      for (const lang of ['en', 'ru', 'zh', 'bg'] as const) {
        const t = DEFAULT_TEMPLATES[key][lang];
        expect(unknownPlaceholders(t.subject + t.body)).toEqual([]);
      }
    }
    expect(unknownPlaceholders('{{ticket.number}} {{ticket.price}} {{#nope}}x{{/nope}}')).toEqual(['ticket.price', 'nope']);
  });

  it('targets read naturally in each language, with plural forms', () => {
    expect(describeTarget(240, true, 'en')).toBe('4 business hours');
    expect(describeTarget(60, true, 'en')).toBe('1 business hour');
    // As the web form publishes the commitments: 24 and 72 hours, not "1 day".
    expect(describeTarget(1440, false, 'en')).toBe('24 hours');
    expect(describeTarget(1440, false, 'ru')).toBe('24 часов');
    expect(describeTarget(7 * 1440, false, 'en')).toBe('7 days');
    expect(describeTarget(30, false, 'en')).toBe('30 minutes');
    expect(describeTarget(240, true, 'ru')).toBe('4 рабочих часов');
    expect(describeTarget(60, true, 'ru')).toBe('1 рабочего часа');
    expect(describeTarget(240, true, 'bg')).toBe('4 работни часа');
    expect(describeTarget(240, true, 'zh')).toBe('4 个工作小时');
  });

  it('the promised time in the customer zone and language', () => {
    const at = new Date('2025-11-25T12:30:00Z');
    expect(formatPromiseTime(at, 'Europe/Sofia', 'en')).toBe('Tue 25 Nov, 14:30 (Europe/Sofia)');
    expect(formatPromiseTime(at, 'Europe/Moscow', 'ru')).toBe('вт 25 нояб., 15:30 (Europe/Moscow)');
    expect(formatPromiseTime(at, 'Etc/GMT-8', 'zh')).toBe('11月25日 (周二) 20:30 (UTC+8)');
    expect(formatPromiseTime(at, 'Not/AZone', 'en')).toBe('Tue 25 Nov, 12:30 (UTC)');
  });
});

describe('inbound headers', () => {
  it('knows automatic mail', () => {
    const h = (o: Record<string, string>) => (n: string) => o[n];
    expect(automaticReason(h({ 'auto-submitted': 'auto-replied' }), 'a@b.c')).toBe('Auto-Submitted: auto-replied');
    expect(automaticReason(h({ 'auto-submitted': 'no' }), 'a@b.c')).toBeNull();
    expect(automaticReason(h({ precedence: 'junk' }), 'a@b.c')).toBe('Precedence: junk');
    expect(automaticReason(h({ 'x-autoreply': 'yes' }), 'a@b.c')).toBe('X-Autoreply');
    expect(automaticReason(h({}), 'MAILER-DAEMON@mx.example')).toBe('sender mailer-daemon');
    expect(automaticReason(h({}), 'person@example.org')).toBeNull();
  });

  it('threading keys: message-ids, newest ancestor first; the subject token with the configured prefix', () => {
    expect(normalizeMessageId(' <Abc@x> ')).toBe('<Abc@x>');
    expect(normalizeMessageId('abc@x')).toBe('<abc@x>');
    expect(normalizeMessageId('garbage')).toBeNull();
    expect(threadCandidates('<c@x>', '<a@x> <b@x> <c@x>')).toEqual(['<c@x>', '<b@x>', '<a@x>']);
    expect(subjectTicketNumber('Re: [#1042] Printer', '#')).toBe(1042);
    expect(subjectTicketNumber('Re: [RB-7] Printer', 'RB-')).toBe(7);
    expect(subjectTicketNumber('Re: #1042 Printer', '#')).toBeNull();
  });

  it('a zone from the Date header offset, whole hours only', () => {
    expect(zoneFromDateHeader('Tue, 25 Nov 2025 10:00:00 +0300')).toBe('Etc/GMT-3');
    expect(zoneFromDateHeader('Tue, 25 Nov 2025 10:00:00 -0500 (EST)')).toBe('Etc/GMT+5');
    expect(zoneFromDateHeader('Tue, 25 Nov 2025 10:00:00 +0000')).toBe('UTC');
    expect(zoneFromDateHeader('Tue, 25 Nov 2025 10:00:00 +0530')).toBeNull();
    expect(zoneFromDateHeader(undefined)).toBeNull();
    expect(zoneLabel('Etc/GMT-3')).toBe('UTC+3');
    expect(zoneLabel('Europe/Sofia')).toBe('Europe/Sofia');
  });

  it('folds quoted history below the new text', () => {
    expect(foldQuoted('New text.\n\nOn Mon, 24 Nov 2025, A <a@b> wrote:\n> old')).toEqual({ visible: 'New text.', quoted: 'On Mon, 24 Nov 2025, A <a@b> wrote:\n> old' });
    expect(foldQuoted('Ответ.\n\n24.11.2025, 10:00, Иван написал:\n> старое').visible).toBe('Ответ.');
    expect(foldQuoted('> only a quote').visible).toBe('> only a quote');
  });
});

describe('language', () => {
  it('detects the four languages and maps browser tags', () => {
    expect(detectLanguage('Hello, my order has not arrived yet, could you please check the tracking?')).toBe('en');
    expect(detectLanguage('Здравствуйте, мой заказ до сих пор не пришёл, проверьте пожалуйста.')).toBe('ru');
    expect(detectLanguage('Здравейте, поръчката ми още не е пристигнала, моля проверете какво става.')).toBe('bg');
    expect(detectLanguage('您好，我的订单还没有到，请帮我查一下。')).toBe('zh');
    expect(detectLanguage('ok')).toBeNull();
    expect(customerLanguage('ru-RU')).toBe('ru');
    expect(customerLanguage('zh_CN')).toBe('zh');
    expect(customerLanguage('de-DE')).toBeNull();
  });
});

describe('quoted history in HTML mail', () => {
  it('Gmail: div.gmail_quote with its attribution', () => {
    const html = '<div dir="ltr">Thanks, that worked.<br></div><br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">On Mon, 24 Nov 2025 at 10:00, Support &lt;help@x&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px">Try a restart.</blockquote></div>';
    const split = splitHtmlQuote(html);
    expect(split?.client).toBe('gmail');
    expect(split?.visible).toBe('<div dir="ltr">Thanks, that worked.<br></div><br>');
    expect(split?.quoted).toContain('Try a restart.');
    expect(split?.quoted.startsWith('<div class="gmail_quote')).toBe(true);
  });

  it('Apple Mail: blockquote type=cite, the attribution inside it', () => {
    const html = '<html><body><div>Still broken.</div><div><br><blockquote type="cite"><div>On 24 Nov 2025, at 10:00, Support wrote:</div><div>Try a restart.</div></blockquote></div></body></html>';
    const split = splitHtmlQuote(html);
    expect(split?.client).toBe('apple');
    expect(htmlToPlainText(split?.visible ?? '')).toBe('Still broken.');
    expect(split?.quoted).toMatch(/^<blockquote type="cite">/);
  });

  it('Thunderbird: the moz-cite-prefix attribution goes with the quote', () => {
    const html = '<p>Ответ ниже.</p><div class="moz-cite-prefix">24.11.2025 10:00, Support пишет:<br></div><blockquote type="cite" cite="mid:a@b">старое</blockquote>';
    const split = splitHtmlQuote(html);
    expect(split?.client).toBe('thunderbird');
    expect(split?.visible).toBe('<p>Ответ ниже.</p>');
    expect(split?.quoted).toContain('пишет');
  });

  it('Outlook on the web: the <hr> and divRplyFwdMsg block, in another language too', () => {
    const html = '<div>Прикачвам фактурата.</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>От:</b> Support<br><b>Изпратено:</b> 24 ноември 2025</font></div><div>старо</div>';
    const split = splitHtmlQuote(html);
    expect(split?.client).toBe('outlook');
    expect(split?.visible).toBe('<div>Прикачвам фактурата.</div>');
    expect(split?.quoted.startsWith('<div id="appendonsend">')).toBe(true);
  });

  it('Outlook desktop: the border-top header block; any client: a bold From: separator', () => {
    const desktop = '<p class="MsoNormal">New words.</p><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>From:</b> Support</p></div><p>old</p>';
    expect(splitHtmlQuote(desktop)?.visible).toBe('<p class="MsoNormal">New words.</p>');
    const plain = '<p>新的问题。</p><p><b>发件人:</b> 客服</p><p>旧的</p>';
    expect(splitHtmlQuote(plain)).toMatchObject({ client: 'separator', visible: '<p>新的问题。</p>' });
    const attribution = '<div>See below.</div><div>On Mon, 24 Nov 2025, A &lt;a@b&gt; wrote:<br></div><blockquote>old</blockquote>';
    expect(splitHtmlQuote(attribution)).toMatchObject({ client: 'attribution', visible: '<div>See below.</div>' });
  });

  it('no history, or nothing above it, leaves the mail whole', () => {
    expect(splitHtmlQuote('<p>Just a <b>question</b>.</p><blockquote>a quotation I typed</blockquote>')).toBeNull();
    expect(splitHtmlQuote('<div><br></div><div class="gmail_quote">---------- Forwarded message ---------</div>')).toBeNull();
    expect(htmlToPlainText('<p>A &amp; B</p><p>C<br>D</p><style>p{}</style>')).toBe('A & B\nC\nD');
  });
});

