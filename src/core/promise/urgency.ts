// Urgency is the customer's own statement of how pressing a request is, separate from its type. A request
// whose words say the service is down, that work is blocked, or that it is urgent — in English, Russian,
// Chinese or Bulgarian — is detected here with a confidence; intake applies a confident "critical" (which
// can only shorten the promise), and keeps anything weaker as a suggestion for the agent.

export const URGENCIES = ['low', 'normal', 'high', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

export function isUrgency(v: unknown): v is Urgency {
  return typeof v === 'string' && (URGENCIES as readonly string[]).includes(v);
}

/** Confidence at or above which a detected urgency is applied at intake without a person. */
export const URGENCY_APPLY_CONFIDENCE = 0.8;

type Signal = { kind: 'outage' | 'down' | 'blocked' | 'urgent' | 'soon'; pattern: RegExp; weight: number };

// Letters around a Cyrillic/Latin stem: JavaScript's \b only knows ASCII words.
const L = '\\p{L}';
const word = (body: string) => new RegExp(`(?<![${L}])(?:${body})(?![${L}])`, 'iu');
const stem = (body: string) => new RegExp(`(?<![${L}])(?:${body})`, 'iu');

// What can be "down": the service as a whole, not one button on it.
const EN_SYSTEM = 'site|website|web ?site|service|services|system|systems|server|servers|production|prod|app|application|platform|api|database|db|portal|checkout|network|everything|dashboard|store|shop|payments?|login|e-?mail|mail';
const RU_SYSTEM = 'сайт\\p{L}*|сервис\\p{L}*|систем\\p{L}*|сервер\\p{L}*|продакшн\\p{L}*|прод|приложени\\p{L}*|портал\\p{L}*|платформ\\p{L}*|баз\\p{L}* данных|api|вс[её]|оплат\\p{L}*|почт\\p{L}*|касс\\p{L}*';
const BG_SYSTEM = 'сайт\\p{L}*|услуг\\p{L}*|систем\\p{L}*|сървър\\p{L}*|продукци\\p{L}*|приложени\\p{L}*|портал\\p{L}*|платформ\\p{L}*|баз\\p{L}* данни|api|всичко|плащани\\p{L}*|пощ\\p{L}*';
const ZH_SYSTEM = '系统|網站|网站|服务器|服務|服务|生产|线上|平台|应用|數據庫|数据库|接口|支付|邮件|全部|所有';

const SIGNALS: readonly Signal[] = [
  // Outages stated outright.
  { kind: 'outage', weight: 0.95, pattern: word('outage|outages|emergency|(?:production|prod) (?:is |has gone |went )?down|down for every(?:one|body)|all (?:our |of our )?(?:customers|users|clients) (?:are |were )?(?:affected|impacted|blocked|down)|data loss|security breach') },
  { kind: 'outage', weight: 0.95, pattern: stem('авари[яийюе]|авари\\p{L}*|у всех не работает|вс[её] (?:упало|легло|сломалось|не работает)|потеря данных') },
  { kind: 'outage', weight: 0.95, pattern: stem('авари[яи]|всичко (?:спря|се срина|не работи)|загуба на данни') },
  { kind: 'outage', weight: 0.95, pattern: /(宕机|宕機|停机|瘫痪|癱瘓|全部中断|数据丢失|所有(?:用户|客户)都?(?:无法|不能))/u },
  // The service is down (a system noun and a "down" word close together).
  { kind: 'down', weight: 0.9, pattern: new RegExp(`(?<![${L}])(?:${EN_SYSTEM})(?![${L}])[^.!?\\n]{0,30}?(?<![${L}])(?:down|offline|unreachable|unavailable|not (?:working|loading|responding|available)|isn't working|is not working|stopped working|crash(?:ed|es|ing)?|broken|dead)(?![${L}])`, 'iu') },
  { kind: 'down', weight: 0.9, pattern: new RegExp(`(?<![${L}])(?:${RU_SYSTEM})[^.!?\\n]{0,30}?(?<![${L}])(?:не работа\\p{L}*|упал\\p{L}*|лежит|лежат|недоступ\\p{L}*|рухнул\\p{L}*|сломал\\p{L}*|не открыва\\p{L}*|не загружа\\p{L}*|перестал\\p{L}* работать|отказал\\p{L}*)`, 'iu') },
  { kind: 'down', weight: 0.9, pattern: new RegExp(`(?<![${L}])(?:не работа\\p{L}*|упал\\p{L}*|лежит|недоступ\\p{L}*|рухнул\\p{L}*)[^.!?\\n]{0,20}?(?<![${L}])(?:${RU_SYSTEM})`, 'iu') },
  { kind: 'down', weight: 0.9, pattern: new RegExp(`(?<![${L}])(?:${BG_SYSTEM})[^.!?\\n]{0,30}?(?<![${L}])(?:не работи|не работят|спря\\p{L}*|срина\\p{L}*|сринат\\p{L}*|недостъп\\p{L}*|не се зарежда|не се отваря|е долу|са долу|блокира\\p{L}*)`, 'iu') },
  { kind: 'down', weight: 0.9, pattern: new RegExp(`(?:${ZH_SYSTEM})[^。！？\\n]{0,12}?(?:挂了|崩溃|崩潰|无法访问|無法訪問|不能访问|打不开|打不開|无法使用|不能用|用不了|中断|故障|down)`, 'iu') },
  // Work is blocked.
  { kind: 'blocked', weight: 0.85, pattern: word("blocked|blocking|blocker|showstopper|show-stopper|can(?:no|')t work|cannot work|unable to work|(?:our |all )?work (?:has )?(?:stopped|halted)|we are stuck|completely stuck") },
  { kind: 'blocked', weight: 0.85, pattern: stem('заблокир\\p{L}*|блокир\\p{L}*|не мож(?:ем|ет|ете|у) работать|работа (?:стоит|встала|остановлена)|простаива\\p{L}*') },
  { kind: 'blocked', weight: 0.85, pattern: stem('блокиран\\p{L}*|не може(?:м|те)? да работ\\p{L}*|не мога да работя|работата (?:е )?спря\\p{L}*') },
  { kind: 'blocked', weight: 0.85, pattern: /(阻塞|受阻|无法工作|無法工作|无法办公|停工|被封|卡住了|业务中断)/u },
  // Urgent, said in so many words.
  { kind: 'urgent', weight: 0.85, pattern: word('urgent|urgently|critical|emergency') },
  { kind: 'urgent', weight: 0.85, pattern: stem('срочн\\p{L}*|критичн\\p{L}*|экстренн\\p{L}*|горит') },
  { kind: 'urgent', weight: 0.85, pattern: stem('спешн\\p{L}*|критичн\\p{L}*|неотложн\\p{L}*') },
  { kind: 'urgent', weight: 0.85, pattern: /(紧急|緊急|危急|十万火急|非常急|很急)/u },
  // "Soon" is a wish, not an impact: suggested as high, never applied by itself.
  { kind: 'soon', weight: 0.6, pattern: word('asap|as soon as possible|immediately|right away|quickly please') },
  { kind: 'soon', weight: 0.6, pattern: stem('немедленно|как можно (?:скорее|быстрее)|побыстрее|поскорее|незабавно|възможно най-скоро|по-бързо') },
  { kind: 'soon', weight: 0.6, pattern: /(尽快|儘快|马上|馬上|立即|立刻)/u },
];

// Said and taken back: "not urgent", "no rush", "не срочно", "不急" remove the words they negate.
const NEGATIONS: readonly RegExp[] = [
  new RegExp(`(?<![${L}])(?:not|isn't|is not|nothing|no)\\s+(?:very\\s+|that\\s+|too\\s+)?(?:urgent|critical|an emergency|a blocker|blocking|blocked|down)(?![${L}])`, 'giu'),
  new RegExp(`(?<![${L}])no (?:rush|hurry)(?![${L}])`, 'giu'),
  new RegExp(`(?<![${L}])(?:не\\s+(?:очень\\s+|особо\\s+)?срочн\\p{L}*|несрочн\\p{L}*|не\\s+критичн\\p{L}*|не\\s+горит|не\\s+е\\s+(?:много\\s+)?спешн\\p{L}*|неспешн\\p{L}*|не\\s+е\\s+критичн\\p{L}*|не\\s+бърза\\p{L}*)`, 'giu'),
  /(不急|不紧急|不緊急|不着急|不太急|并不紧急|不是很急|不严重)/gu,
];

export type UrgencyDetection = {
  /** The urgency the words say, or null when they say nothing pressing. */
  urgency: 'critical' | 'high' | null;
  /** 0..1; a critical detection is applied from URGENCY_APPLY_CONFIDENCE up. */
  confidence: number;
  /** What was said ("outage", "down", "blocked", "urgent", "soon") and the words, for the timeline. */
  signals: { kind: Signal['kind']; words: string }[];
};

/** Reads how pressing a request is from its words (subject and body), in en/ru/zh/bg. Pure. */
export function detectUrgency(text: string): UrgencyDetection {
  const cleaned = NEGATIONS.reduce((s, n) => s.replace(n, (m) => ' '.repeat(m.length)), text);
  const signals: UrgencyDetection['signals'] = [];
  let miss = 1;
  let critical = false;
  for (const s of SIGNALS) {
    const m = s.pattern.exec(cleaned);
    if (!m) continue;
    if (signals.some((x) => x.kind === s.kind)) continue;
    signals.push({ kind: s.kind, words: m[0].trim() });
    miss *= 1 - s.weight;
    if (s.kind !== 'soon') critical = true;
  }
  if (signals.length === 0) return { urgency: null, confidence: 0, signals };
  // Independent signals reinforce each other; rounded so that two strong signals never read as certainty.
  const confidence = Math.min(0.99, Math.round((1 - miss) * 1000) / 1000);
  return { urgency: critical ? 'critical' : 'high', confidence, signals };
}

/**
 * The urgency the words suggest above what the customer stated, or null. Kept for callers that only
 * want the level (the detection's confidence decides whether intake applies it).
 */
export function suggestUrgency(text: string, stated: Urgency = 'normal'): Urgency | null {
  const { urgency } = detectUrgency(text);
  if (urgency === null) return null;
  return URGENCIES.indexOf(urgency) > URGENCIES.indexOf(stated) ? urgency : null;
}

/** The urgency intake applies: a confident critical detection raises the stated urgency; nothing lowers it. */
export function urgencyAtIntake(stated: Urgency, detection: UrgencyDetection): { urgency: Urgency; applied: boolean; suggestion: Urgency | null } {
  const higher = detection.urgency !== null && URGENCIES.indexOf(detection.urgency) > URGENCIES.indexOf(stated);
  if (higher && detection.urgency === 'critical' && detection.confidence >= URGENCY_APPLY_CONFIDENCE) return { urgency: 'critical', applied: true, suggestion: null };
  return { urgency: stated, applied: false, suggestion: higher ? detection.urgency : null };
}
