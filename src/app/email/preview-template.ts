import type { Principal } from '../../core/auth/principal.ts';
import type { CustomerLanguage } from '../../core/email/language.ts';
import { blankTemplateValues, describeTarget, formatPromiseTime, renderTemplate, type TemplateKey, type TemplateValues } from '../../core/email/templates.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { parseInput } from '../shared/parse-input.ts';
import { assertKnownPlaceholders, templateInput, templateParams } from './manage-templates.ts';

/** The example request the preview fills in, in the template's language. */
const SAMPLE: Record<CustomerLanguage, { subject: string; summary: string; name: string; agent: string; reply: string; message: string; kb: string }> = {
  en: { subject: 'Cannot export invoices', summary: 'The export button shows an error since this morning.', name: 'Anna Example', agent: 'Alex',
    reply: 'We found the cause and fixed it; please try the export again.', message: 'We need a little more time to check the logs.', kb: '- Exporting invoices: https://help.example/kb/12' },
  ru: { subject: 'Не выгружаются счета', summary: 'С утра кнопка выгрузки показывает ошибку.', name: 'Анна Пример', agent: 'Алекс',
    reply: 'Мы нашли причину и исправили её; попробуйте выгрузку ещё раз.', message: 'Нам нужно немного больше времени, чтобы проверить журналы.', kb: '- Выгрузка счетов: https://help.example/kb/12' },
  zh: { subject: '无法导出发票', summary: '从今天早上开始，导出按钮显示错误。', name: '示例安娜', agent: '亚历克斯',
    reply: '我们已找到原因并修复，请再次尝试导出。', message: '我们需要更多时间检查日志。', kb: '- 导出发票：https://help.example/kb/12' },
  bg: { subject: 'Фактурите не се експортират', summary: 'От сутринта бутонът за експорт показва грешка.', name: 'Анна Пример', agent: 'Алекс',
    reply: 'Открихме причината и я поправихме; опитайте експорта отново.', message: 'Нуждаем се от малко повече време, за да проверим журналите.', kb: '- Експорт на фактури: https://help.example/kb/12' },
};

/** Every placeholder filled for an example ticket, times in Europe/Berlin relative to `now`. */
export function sampleValues(language: CustomerLanguage, now: Date, prefix: string, publicUrl: string): TemplateValues {
  const s = SAMPLE[language];
  const zone = 'Europe/Berlin';
  const inHours = (h: number) => formatPromiseTime(new Date(now.getTime() + h * 3_600_000), zone, language);
  const follow = `${publicUrl}/portal/requests/1042#example`;
  return {
    ...blankTemplateValues(),
    'ticket.number': '1042', 'ticket.ref': `${prefix}1042`, 'ticket.subject': s.subject, 'ticket.summary': s.summary,
    'ticket.url': follow, 'follow.url': follow, 'follow.days': '14',
    'requester.name': s.name, 'requester.email': 'anna@example.com',
    'promise.local': inHours(4), 'promise.within': describeTarget(240, true, language), 'promise.zone': zone,
    'team.back_local': inHours(16), 'kb.suggestions': s.kb, 'promise.message': s.message,
    'agent.name': s.agent, 'reply.body': s.reply,
    'closure.solved_url': `${publicUrl}/closure/example#solved`, 'closure.not_solved_url': `${publicUrl}/closure/example#not-solved`,
    'closure.closes_local': inHours(96), 'signin.url': `${publicUrl}/portal/sign-in#example`,
  };
}

export type TemplatePreview = { key: TemplateKey; language: CustomerLanguage; subject: string; body: string };

/**
 * The template being edited, rendered for an example request, through the same renderer the mails use.
 * Unknown placeholders are refused exactly as saving refuses them (400, each field named), so the editor
 * shows the problem beside the field before anything is saved. Nothing is written.
 */
export async function previewTemplate(ctx: AppContext, actor: Principal, params: unknown, raw: unknown): Promise<TemplatePreview> {
  requireStaff(actor, MANAGERS);
  const { key, language } = parseInput(templateParams, params);
  const input = parseInput(templateInput, raw);
  assertKnownPlaceholders(input, key);
  const values = sampleValues(language, ctx.now(), ctx.settings.ticketPrefix, ctx.settings.publicUrl);
  return { key, language, subject: renderTemplate(input.subject, values).replace(/\s+/g, ' ').trim(), body: renderTemplate(input.body, values) };
}
