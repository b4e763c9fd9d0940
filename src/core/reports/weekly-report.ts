import { DateTime } from 'luxon';

// The weekly report by e-mail (docs/kpis.md "Weekly report"), pure: when a supervisor's week turns (Monday 08:00 in
// their zone) and the mail's words in en/ru/zh/bg.

export type WeeklyWindow = { weekStart: string; sendAt: Date; from: Date; to: Date };

/**
 * The latest Monday 08:00 at or before `now` in `zone` (`sendAt`), the ISO date of that Monday (`weekStart`, the
 * send's unique key) and last week's period: [the Monday before 00:00, that Monday 00:00) local, by Luxon (a week
 * with a DST change is 167 or 169 hours).
 */
export function weeklyWindow(now: Date, zone: string): WeeklyWindow {
  const local = DateTime.fromJSDate(now, { zone });
  let monday = local.startOf('week');
  if (local < monday.set({ hour: 8 })) monday = monday.minus({ weeks: 1 });
  return {
    weekStart: monday.toISODate() ?? '',
    sendAt: monday.set({ hour: 8 }).toJSDate(),
    from: monday.minus({ weeks: 1 }).toJSDate(),
    to: monday.toJSDate(),
  };
}

export type WeeklyNumbers = {
  volume: number; solved: number; firstResponseP50: number | null; averageResponseMean: number | null; resolutionP50: number | null;
  compliancePct: number | null; csatResponses: number; satisfiedPct: number | null; lowScores: number; followUpRatePct: number | null;
};

const WORDS = {
  en: { subject: 'Weekly support report', period: 'Week', volume: 'Tickets created', solved: 'Tickets solved', fr: 'First response (median)', ar: 'Average response', rs: 'Time to resolution (median)', sla: 'SLA compliance', csat: 'Satisfaction ratings', sat: 'Satisfied', low: 'Low scores', fu: 'Low scores followed up', min: 'min', none: '—', more: 'Details' },
  ru: { subject: 'Еженедельный отчёт поддержки', period: 'Неделя', volume: 'Создано обращений', solved: 'Решено обращений', fr: 'Первый ответ (медиана)', ar: 'Среднее время ответа', rs: 'Время решения (медиана)', sla: 'Соблюдение SLA', csat: 'Оценки удовлетворённости', sat: 'Довольны', low: 'Низкие оценки', fu: 'Низкие оценки с разбором', min: 'мин', none: '—', more: 'Подробнее' },
  zh: { subject: '每周支持报告', period: '周', volume: '新建工单', solved: '已解决工单', fr: '首次响应（中位数）', ar: '平均响应时间', rs: '解决时间（中位数）', sla: 'SLA 达成率', csat: '满意度评分', sat: '满意', low: '低分', fu: '已跟进的低分', min: '分钟', none: '—', more: '详情' },
  bg: { subject: 'Седмичен отчет на поддръжката', period: 'Седмица', volume: 'Създадени заявки', solved: 'Решени заявки', fr: 'Първи отговор (медиана)', ar: 'Средно време за отговор', rs: 'Време за решаване (медиана)', sla: 'Спазване на SLA', csat: 'Оценки за удовлетвореност', sat: 'Доволни', low: 'Ниски оценки', fu: 'Проследени ниски оценки', min: 'мин', none: '—', more: 'Подробности' },
} as const;
export const WEEKLY_LANGUAGES = Object.keys(WORDS) as (keyof typeof WORDS)[];

/** The mail in the supervisor's language (en when it is none of the four), numbers in its locale's format. */
export function renderWeeklyReport(language: string, zone: string, w: WeeklyWindow, n: WeeklyNumbers, reportsUrl: string): { subject: string; text: string } {
  const lang = (WEEKLY_LANGUAGES as string[]).includes(language) ? (language as keyof typeof WORDS) : 'en';
  const t = WORDS[lang];
  const fmt = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  const num = (v: number | null, unit = '') => (v === null ? t.none : `${fmt.format(v)}${unit}`);
  const first = DateTime.fromJSDate(w.from, { zone }).setLocale(lang).toLocaleString(DateTime.DATE_MED);
  const last = DateTime.fromJSDate(w.to, { zone }).minus({ days: 1 }).setLocale(lang).toLocaleString(DateTime.DATE_MED);
  const lines: [string, string][] = [
    [t.volume, num(n.volume)], [t.solved, num(n.solved)],
    [t.fr, num(n.firstResponseP50, ` ${t.min}`)], [t.ar, num(n.averageResponseMean, ` ${t.min}`)], [t.rs, num(n.resolutionP50, ` ${t.min}`)],
    [t.sla, num(n.compliancePct, ' %')], [t.csat, num(n.csatResponses)], [t.sat, num(n.satisfiedPct, ' %')],
    [t.low, num(n.lowScores)], [t.fu, num(n.followUpRatePct, ' %')],
  ];
  return {
    subject: `${t.subject}: ${first} – ${last}`,
    text: [`${t.period}: ${first} – ${last}`, '', ...lines.map(([k, v]) => `${k}: ${v}`), '', `${t.more}: ${reportsUrl}`, ''].join('\n'),
  };
}
