import type { StaffPrincipal } from '../../core/auth/principal.ts';
import type { AppContext } from '../context.ts';
import { createArticle, createCategory } from '../triage/manage-kb.ts';
import { createMacro } from '../triage/manage-macros.ts';
import { createTrigger } from '../triage/manage-triggers.ts';
import { trainClassifier } from '../triage/train-classifier.ts';

// Labelled history for the classifier (and its accuracy report, `npm run bench:classifier`): resolved
// tickets in English, Russian, Chinese and Bulgarian generated from templates, written in one bulk
// statement per language so seeding stays fast. Type comes from the request's topic, priority from its
// wording; the fillers vary the text so the classifier has to generalise, not memorise.

type Lang = 'en' | 'ru' | 'zh' | 'bg';
type Templates = { products: string[]; types: Record<string, string[]>; priorities: Record<string, string[]>; fillers: string[] };

// Type follows what the request is about: anything broken — errors, crashes, "production is down",
// "не работает", "系统宕机", "не работи" — is a technical question; a quote is about prices, seats and
// proposals; a complaint about money or service received. Priority phrases carry urgency only (no outage
// words), so the type model cannot learn "down" from a price request that happened to be urgent.
const T: Record<Lang, Templates> = {
  en: {
    products: ['the dashboard', 'the mobile app', 'the API', 'exports', 'the billing page', 'single sign-on', 'the server', 'the printer integration'],
    types: {
      technical_question: ['Error when using {p}', '{p} shows an error after the update', 'I cannot log in to {p}', '{p} crashes when I save', 'Why does {p} fail to load?',
        'Production is down: {p} does not respond', 'Outage: {p} is down for all users', '{p} is not working since this morning', '{p} returns 500 errors and times out',
        'The system is down, nobody can use {p}', '{p} stopped working after the restart',
        '{p} keeps crashing', 'Printing from {p} fails and the app crashes'],
      information_request: ['Does {p} support CSV?', 'Where can I find the settings for {p}?', 'What are the limits of {p}?', 'Is there documentation for {p}?', 'How do I enable {p} for my team?',
        'Can I change the language of {p}?', 'Which browsers does {p} support?', 'How do I export data from {p}?'],
      complaint: ['We were charged twice for {p}', 'Very disappointed with {p}', 'Refund request for {p}', 'Your support about {p} was rude', 'Invoice for {p} is wrong',
        'Nobody answered our request about {p} for a week', 'We want our money back for {p}'],
      quote: ['Please send a quote for {p}', 'Pricing for 50 seats of {p}', 'Offer for an annual plan with {p}', 'How much does {p} cost for enterprises?',
        'We would like a commercial proposal for {p}', 'Price list and volume discount for {p}', 'Can you prepare a proposal with prices for {p}?'],
    },
    priorities: {
      low: ['No rush, whenever you have time.', 'Just curious, not urgent.'],
      normal: ['Thanks in advance.', 'Let me know.'],
      high: ['This is important for our team this week.', 'Please look at this soon, it matters to us.'],
      urgent: ['URGENT: we need an answer today!', 'Critical for us, please reply right now!'],
    },
    fillers: ['Hello,', 'Hi team,', 'Best regards, Sam', 'Kind regards', 'We use the Pro plan.', 'Screenshot attached.', ''],
  },
  ru: {
    products: ['панель управления', 'мобильное приложение', 'API', 'выгрузка отчётов', 'страница оплаты', 'единый вход', 'сервер', 'интеграция с принтером'],
    types: {
      technical_question: ['Ошибка в разделе {p}', '{p} выдаёт ошибку после обновления', 'Не могу войти в {p}', '{p} падает при сохранении', 'Почему {p} не загружается?',
        '{p} не работает', 'Сбой: {p} недоступен для всех пользователей', 'Всё упало, {p} не отвечает', 'Система не работает, {p} выдаёт ошибку 500',
        'С утра не работает {p}', '{p} перестал работать после перезапуска',
        '{p} постоянно вылетает', 'Печать из {p} не работает, программа падает'],
      information_request: ['Поддерживает ли {p} формат CSV?', 'Где найти настройки для {p}?', 'Какие ограничения у {p}?', 'Есть ли документация по {p}?', 'Как включить {p} для команды?',
        'Можно ли сменить язык в {p}?', 'Какие браузеры поддерживает {p}?', 'Как выгрузить данные из {p}?'],
      complaint: ['С нас дважды списали деньги за {p}', 'Очень недовольны работой {p}', 'Прошу вернуть деньги за {p}', 'Поддержка по {p} ответила грубо', 'Неверный счёт за {p}',
        'Неделю никто не отвечает по поводу {p}', 'Требуем возврат средств за {p}'],
      quote: ['Пришлите коммерческое предложение на {p}', 'Стоимость 50 мест для {p}', 'Предложение на годовой тариф с {p}', 'Сколько стоит {p} для крупной компании?',
        'Нужен прайс и скидка за объём на {p}', 'Подготовьте, пожалуйста, предложение с ценами на {p}', 'Какая цена {p} при оплате за год?'],
    },
    priorities: {
      low: ['Не срочно, когда будет время.', 'Просто интересуюсь.'],
      normal: ['Заранее спасибо.', 'Жду ответа.'],
      high: ['Это важно для нашей команды на этой неделе.', 'Посмотрите, пожалуйста, поскорее, это для нас важно.'],
      urgent: ['СРОЧНО: нужен ответ сегодня!', 'Критично для нас, ответьте прямо сейчас!'],
    },
    fillers: ['Здравствуйте!', 'Добрый день,', 'С уважением, Олег', 'Спасибо', 'У нас тариф Про.', 'Скриншот во вложении.', ''],
  },
  zh: {
    products: ['控制面板', '移动应用', 'API接口', '报表导出', '付款页面', '单点登录', '服务器', '打印机集成'],
    types: {
      technical_question: ['{p}出现错误', '更新后{p}报错', '我无法登录{p}', '保存时{p}崩溃', '为什么{p}无法加载？',
        '系统宕机，{p}无法访问', '{p}宕机了，所有用户都无法使用', '{p}从早上开始就不能用了', '{p}返回500错误并且超时', '重启后{p}停止工作',
        '{p}总是崩溃', '从{p}打印时程序崩溃'],
      information_request: ['{p}支持CSV格式吗？', '在哪里可以找到{p}的设置？', '{p}有什么限制？', '有{p}的文档吗？', '如何为团队开启{p}？',
        '{p}可以切换语言吗？', '{p}支持哪些浏览器？', '如何从{p}导出数据？'],
      complaint: ['{p}被重复扣费', '对{p}非常失望', '申请{p}退款', '关于{p}的客服态度很差', '{p}的发票有误',
        '关于{p}的问题一周没人回复', '要求退还{p}的费用'],
      quote: ['请发送{p}的报价', '{p}五十个席位的价格', '{p}年度套餐的报价', '大企业使用{p}多少钱？',
        '请提供{p}的商业方案和价格', '{p}的价格表和批量折扣', '能否为{p}准备一份报价方案？'],
    },
    priorities: {
      low: ['不着急，有空再处理。', '只是问问，不紧急。'],
      normal: ['提前感谢。', '请告知。'],
      high: ['这周对我们团队很重要。', '请尽快查看，这对我们很重要。'],
      urgent: ['紧急：今天必须答复！', '非常紧急，请马上回复！'],
    },
    fillers: ['您好，', '你好，', '谢谢，李伟', '此致', '我们使用专业版。', '附上截图。', ''],
  },
  bg: {
    products: ['контролния панел', 'мобилното приложение', 'API', 'експорта на отчети', 'страницата за плащане', 'единния вход', 'сървъра', 'интеграцията с принтера'],
    types: {
      technical_question: ['Грешка в {p}', '{p} дава грешка след обновяването', 'Не мога да вляза в {p}', '{p} се срива при запис', 'Защо {p} не се зарежда?',
        '{p} не работи', 'Срив: {p} е недостъпен за всички потребители', 'Системата не работи, {p} не отговаря', '{p} връща грешка 500',
        'От сутринта {p} не работи', '{p} спря да работи след рестарта',
        '{p} постоянно се срива', 'Печатът от {p} дава грешка и програмата се срива'],
      information_request: ['Поддържа ли {p} CSV формат?', 'Къде са настройките на {p}?', 'Какви са ограниченията на {p}?', 'Има ли документация за {p}?', 'Как да включа {p} за екипа?',
        'Може ли да сменя езика на {p}?', 'Кои браузъри поддържа {p}?', 'Как да изнеса данни от {p}?'],
      complaint: ['Таксувани сме два пъти за {p}', 'Много сме недоволни от {p}', 'Искаме възстановяване на сумата за {p}', 'Поддръжката за {p} беше груба', 'Фактурата за {p} е грешна',
        'Седмица никой не отговаря за {p}', 'Искаме парите си обратно за {p}'],
      quote: ['Моля, изпратете оферта за {p}', 'Цена за 50 места за {p}', 'Оферта за годишен план с {p}', 'Колко струва {p} за голяма фирма?',
        'Нужна ни е търговска оферта с цени за {p}', 'Ценова листа и отстъпка за обем за {p}', 'Можете ли да подготвите предложение с цени за {p}?'],
    },
    priorities: {
      low: ['Не е спешно, когато имате време.', 'Просто питам.'],
      normal: ['Благодаря предварително.', 'Очаквам отговор.'],
      high: ['Това е важно за екипа ни тази седмица.', 'Моля, погледнете скоро, важно е за нас.'],
      urgent: ['СПЕШНО: трябва ни отговор днес!', 'Критично е за нас, отговорете веднага!'],
    },
    fillers: ['Здравейте,', 'Добър ден,', 'Поздрави, Мария', 'Благодаря', 'Ползваме плана Про.', 'Прилагам екранна снимка.', ''],
  },
};

const PRIORITY_WEIGHTS: [string, number][] = [['low', 0.2], ['normal', 0.45], ['high', 0.2], ['urgent', 0.15]];

export type LabelledTicket = { language: Lang; subject: string; body: string; type: string; priority: string };

/** Deterministic labelled tickets: `perLanguage` in each of the four languages. */
export function labelledTickets(perLanguage: number, rand: () => number): LabelledTicket[] {
  const pick = <X,>(xs: readonly X[]): X => xs[Math.floor(rand() * xs.length)] as X;
  const out: LabelledTicket[] = [];
  for (const language of ['en', 'ru', 'zh', 'bg'] as const) {
    const t = T[language];
    for (let i = 0; i < perLanguage; i += 1) {
      const type = pick(Object.keys(t.types));
      let r = rand();
      let priority = 'normal';
      for (const [p, w] of PRIORITY_WEIGHTS) {
        if (r < w) {
          priority = p;
          break;
        }
        r -= w;
      }
      const subject = pick(t.types[type] ?? []).replace('{p}', pick(t.products));
      const detail = pick(t.types[type] ?? []).replace('{p}', pick(t.products));
      const body = [pick(t.fillers), detail, pick(t.priorities[priority] ?? []), pick(t.fillers)].filter(Boolean).join(' ');
      out.push({ language, subject, body, type, priority });
    }
  }
  return out;
}

/** Bulk-writes resolved labelled tickets (ticket, first message, created event) for the given requesters. */
export async function seedLabelledTickets(ctx: AppContext, requesterIds: readonly string[], groupId: string | null, perLanguage: number, rand: () => number): Promise<number> {
  const rows = labelledTickets(perLanguage, rand);
  const now = ctx.now().getTime();
  const cols = { subject: [] as string[], body: [] as string[], type: [] as string[], priority: [] as string[], language: [] as string[], requester: [] as string[], at: [] as Date[] };
  for (const [i, r] of rows.entries()) {
    cols.subject.push(r.subject);
    cols.body.push(r.body);
    cols.type.push(r.type);
    cols.priority.push(r.priority);
    cols.language.push(r.language);
    cols.requester.push(requesterIds[i % requesterIds.length] as string);
    // Spread over the past 60–90 days, resolved a day later: history, outside any repeat-contact window.
    cols.at.push(new Date(now - (60 + rand() * 30) * 86_400_000));
  }
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::timestamptz[]) AS x(subject, body, type, priority, language, requester_id, at)),
       made AS (
         INSERT INTO tickets (subject, type, priority, status, stage, channel, requester_id, organization_id, group_id, language, created_at, updated_at, solved_at, closed_at)
         SELECT i.subject, i.type, i.priority, 'closed', 'archived', 'email', i.requester_id, c.organization_id, $8, i.language, i.at, i.at + interval '1 day', i.at + interval '1 day', i.at + interval '1 day'
         FROM input i JOIN contacts c ON c.id = i.requester_id
         RETURNING id, subject, created_at, requester_id)
       INSERT INTO messages (ticket_id, kind, author_kind, author_id, body_text, body_html, created_at)
       SELECT m.id, 'public', 'contact', m.requester_id, i.body, '<p>' || i.body || '</p>', m.created_at
       FROM made m JOIN input i ON i.subject = m.subject AND i.at = m.created_at AND i.requester_id = m.requester_id`,
      [cols.subject, cols.body, cols.type, cols.priority, cols.language, cols.requester, cols.at, groupId]);
  });
  return rows.length;
}

/** Demo triggers, macros and knowledge-base articles, then a first classifier training run. */
export async function seedTriageDemo(ctx: AppContext, admin: StaffPrincipal, ids: { billing: string; engineering: string }): Promise<void> {
  await createTrigger(ctx, admin, {
    name: 'Outage words are urgent', conditions: [{ field: 'text', op: 'matches', value: '\\b(outage|down|СРОЧНО|срочно|спешно|宕机)\\b' }],
    actions: { priority: 'urgent', add_tags: ['outage'], internal_note: 'Possible outage: check the status page before replying.' },
  });
  await createTrigger(ctx, admin, {
    name: 'Invoices and refunds to Billing', conditions: [{ field: 'text', op: 'contains_any', value: ['invoice', 'refund', 'счёт', 'фактура', '发票', '退款'] }],
    actions: { group_id: ids.billing },
  });
  await createMacro(ctx, admin, { title: 'Need more details', language: 'en', shared: true, actions: { status: 'pending' },
    body: 'Hi {{requester.name}},\n\nthanks for your request {{ticket.number}}. Could you send a screenshot and the time it happened?\n\n{{agent.name}}' });
  await createMacro(ctx, admin, { title: 'Нужны подробности', language: 'ru', shared: true, actions: { status: 'pending' },
    body: 'Здравствуйте, {{requester.name}}!\n\nСпасибо за обращение {{ticket.number}}. Пришлите, пожалуйста, скриншот.\n\n{{agent.name}}' });
  const accounts = await createCategory(ctx, admin, { name: 'Accounts and sign-in' });
  const billing = await createCategory(ctx, admin, { name: 'Billing' });
  const reset = await createArticle(ctx, admin, { category_id: accounts.id, status: 'published', language: 'en', title: 'Resetting your password',
    body: 'Open Settings → Security and click "Reset password". The link we e-mail you is valid for one hour. Check your spam folder if it does not arrive.' });
  for (const [language, title, body] of [
    ['ru', 'Как сбросить пароль', 'Откройте Настройки → Безопасность и нажмите «Сбросить пароль». Ссылка действует один час.'],
    ['bg', 'Как да смените паролата', 'Отворете Настройки → Сигурност и натиснете „Нулиране на паролата“. Връзката важи един час.'],
    ['zh', '如何重置密码', '打开设置→安全，点击“重置密码”。邮件中的链接一小时内有效。'],
  ] as const) await createArticle(ctx, admin, { category_id: accounts.id, status: 'published', language, title, body, original_id: reset.id });
  await createArticle(ctx, admin, { category_id: billing.id, status: 'published', language: 'en', title: 'Why was I charged twice?',
    body: 'A second charge is usually a pending authorisation that disappears within three days. If it does not, ask for a refund from the billing page.' });
  await createArticle(ctx, admin, { category_id: billing.id, status: 'internal', language: 'en', title: 'Issuing refunds (internal)',
    body: 'Refunds above 500 EUR need a supervisor. Use the payment provider dashboard, never a manual transfer.' });
  await trainClassifier(ctx, admin);
}
