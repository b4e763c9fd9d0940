// The 1 M-ticket seed of bench:scale (issue 17 item 3): a helpdesk two years old, in bulk SQL only (INSERT … SELECT
// over generate_series, never the API). It runs on a database the server has migrated and demo-seeded, and clones
// the demo's 40 tickets that have a full event log — each new ticket copies one template of its class (new, open,
// pending, closed) with every timestamp shifted to its own creation time: its row (SLA columns, promise), its
// messages (new ids, bodies from a vocabulary in the requester's language), its events (message ids and the
// assignee remapped, so the timeline and the SLA replay read them as the server wrote them) and, for unsolved
// tickets, its `sla_clocks` (actions already past left unscheduled, as if fired). Around them: extra groups and
// agents, organizations and contacts.
//
// Shape: 2 % of tickets unsolved (new 20 %, open 50 %, pending 20 %, on hold 10 %; created within 30 days, most
// recently; 75 % of the opened ones assigned; 2 % of the pending ones snoozed), 0.5 % solved within the last four
// days, the rest closed over two years (archived 30 days after closing, as the lifecycle sweep does by default).
// Triggers and foreign-key checks are off for the seeding session (`session_replication_role = replica`): the rows
// are consistent by construction, and archived tickets' messages could not be inserted otherwise.
import type pg from 'pg';

const EN = `account access admin api app attachment authentication backup billing browser bug cancel card certificate
change charge checkout cloud configuration connection contract credit crash csv dashboard data database delay delete
delivery discount domain download duplicate email error export failed feature file firewall form gateway help import
integration invoice issue key language latency license limit link login mailbox message migration mobile monthly
network notification order outage page password payment permission phone plan portal price printer problem profile
quota receipt refund renewal report request reset restore role saml schedule screen seat server session settings setup
share signature slow sms ssl storage subscription support sync tax team template ticket timeout token trial update
upgrade upload user vat verify version webhook website widget workflow please urgent again since yesterday today cannot
does not work still broken help thanks hello regards customer order number invoice attached`.split(/\s+/);
const RU = `аккаунт доступ пароль вход ошибка оплата счёт счет возврат подписка тариф доставка заказ номер проблема
сервер сайт почта письмо уведомление отчёт отчет интеграция настройка пользователь роль права файл загрузка выгрузка
экспорт импорт принтер телефон приложение обновление версия ключ лицензия договор скидка цена карта платёж платеж
не работает снова вчера сегодня срочно пожалуйста помогите спасибо здравствуйте медленно сбой отказ данные база
резервная копия восстановление сертификат домен клиент менеджер поддержка заявка тикет`.split(/\s+/);
const BG = `акаунт достъп парола вход грешка плащане фактура възстановяване абонамент план доставка поръчка номер проблем
сървър сайт поща писмо известие отчет интеграция настройка потребител роля права файл качване изтегляне експорт
импорт принтер телефон приложение обновяване версия ключ лиценз договор отстъпка цена карта не работи отново вчера
днес спешно моля помогнете благодаря здравейте бавно срив данни база резервно копие сертификат домейн клиент
поддръжка заявка`.split(/\s+/);
const ZH = `账户 登录 密码 错误 付款 发票 退款 订阅 套餐 订单 编号 问题 服务器 网站 邮件 通知 报告 集成 设置 用户 权限 文件
上传 下载 导出 导入 打印机 手机 应用 更新 版本 许可证 合同 折扣 价格 无法 使用 昨天 今天 紧急 请 帮助 谢谢 您好 很慢 故障 数据
备份 恢复 证书 域名 客户 支持`.split(/\s+/);
const FIRST = 'Anna Boris Chen Dana Elena Farid Georgi Hana Ivan Julia Kiril Lena Maria Nikolai Olga Petar Qing Rosa Sofia Tom Uma Vera Wei Xenia Yana Zoran'.split(' ');
const LAST = 'Adams Baker Chernova Dimitrov Evans Fischer Georgiev Huang Ivanova Jones Kowalski Li Markov Novak Orlov Petrova Quinn Rossi Smirnov Todorov Ueda Volkov Wang Xu Yankova Zhang'.split(' ');

export type ScaleSeedOptions = {
  tickets: number;
  log?: (line: string) => void;
  /**
   * bench:planning: every ticket arrives in the last `weeks` whole weeks (before this week's Monday 00:00 UTC) by one
   * generative process (bench/lib/planning-season.ts): per group (k, the seed's group draw), requester language and
   * channel, the channel's share [lo, hi) and the arrival's distribution over the weeks: the day (`days`), then the
   * hour of that day (`hours[day]`), as cumulative inner thresholds for width_bucket. The ticket's channel is the drawn one; its status follows from its age (the
   * still open ones are recent), so open and settled tickets alike follow the season. Instead of two years, evenly.
   */
  season?: { weeks: number; rows: { k: number; gk: number; language: string; channel: string; lo: number; hi: number; days: number[]; hours: number[][] }[] };
};

// bench:planning's draws beyond the base ones come from hashes of the row number, so the random stream (and
// bench:scale's data) stay as they were.
const UNIFORM = (salt: number) => `((hashint4extended(b.g, ${salt}) & 2147483647)::float8 / 2147483648)`;
// The arrival of a ticket: its day from the season (r_age through the row's distribution), its hour of that day, a
// uniform minute in it.
const PLACED_AT = `(date_trunc('week', now()) - interval '1 week' * $4::int + interval '1 day' * b.season_day
  + interval '1 hour' * (width_bucket(${UNIFORM(3)}, sd.hours) + ${UNIFORM(2)}))`;
// Status by age before the history's end: a ticket still open is a recent one.
const STATUS_BY_AGE = `CASE WHEN b.placed_at IS NULL THEN NULL
  WHEN date_trunc('week', now()) - b.placed_at < interval '2 days' THEN
    CASE WHEN b.r_cls < 0.2 THEN 'new' WHEN b.r_cls < 0.45 THEN 'open' WHEN b.r_cls < 0.55 THEN 'pending' WHEN b.r_cls < 0.6 THEN 'on_hold' WHEN b.r_cls < 0.8 THEN 'solved' ELSE 'closed' END
  WHEN date_trunc('week', now()) - b.placed_at < interval '4 days' THEN
    CASE WHEN b.r_cls < 0.1 THEN 'open' WHEN b.r_cls < 0.15 THEN 'pending' WHEN b.r_cls < 0.35 THEN 'solved' ELSE 'closed' END
  WHEN date_trunc('week', now()) - b.placed_at < interval '30 days' THEN
    CASE WHEN b.r_cls < 0.02 THEN 'open' WHEN b.r_cls < 0.03 THEN 'pending' WHEN b.r_cls < 0.035 THEN 'on_hold' ELSE 'closed' END
  ELSE 'closed' END`;
export type ScaleSeedResult = { seconds: number; steps: { step: string; seconds: number; rows: number }[]; counts: Record<string, number> };

/**
 * Seeds `tickets` tickets on a migrated, demo-seeded database (the connection must be a superuser's: triggers and
 * foreign-key checks are switched off for the session). Returns the time of each step and the table sizes.
 */
export async function seedScale(c: pg.Client, opts: ScaleSeedOptions): Promise<ScaleSeedResult> {
  const n = opts.tickets;
  const log = opts.log ?? (() => undefined);
  const steps: ScaleSeedResult['steps'] = [];
  const t0 = performance.now();
  const step = async (name: string, sql: string, params: unknown[] = []): Promise<void> => {
    const s = performance.now();
    const res = await c.query(sql, params);
    const seconds = (performance.now() - s) / 1000;
    steps.push({ step: name, seconds, rows: res.rowCount ?? 0 });
    log(`  seed: ${name.padEnd(28)} ${String(res.rowCount ?? 0).padStart(10)} rows  ${seconds.toFixed(1)} s`);
  };
  const contacts = Math.max(1000, Math.round(n / 20));
  const texts = Math.max(2000, Math.min(40_000, Math.round(n / 25)));

  await c.query(`SELECT setseed(0.17)`);
  // People first, with triggers on (groups bump the configuration version intake reads).
  await step('groups', `INSERT INTO groups (name, description, is_default, created_at)
    SELECT name, '', false, now() FROM unnest(ARRAY['Accounts','Integrations','Mobile','Enterprise','Returns']) name
    ON CONFLICT (name) DO NOTHING`);
  await step('agents', `INSERT INTO users (email, name, role, password_hash, created_at, updated_at)
    SELECT 'agent' || g || '@scale.replyby.dev', 'Scale Agent ' || g, 'agent', (SELECT password_hash FROM users WHERE email = 'alex@demo.replyby.dev'), now(), now()
      FROM generate_series(1, 40) g ON CONFLICT (email) DO NOTHING`);
  await step('group members', `INSERT INTO group_members (group_id, user_id)
    SELECT gr.id, u.id FROM (SELECT id, row_number() OVER (ORDER BY name) - 1 AS k, count(*) OVER () AS n FROM groups) gr
      JOIN (SELECT id, row_number() OVER (ORDER BY email) - 1 AS k FROM users WHERE email LIKE '%@scale.replyby.dev') u
        ON gr.k = u.k % gr.n OR (u.k % 3 = 0 AND gr.k = (u.k + 3) % gr.n)
    ON CONFLICT DO NOTHING`);
  await step('organizations', `INSERT INTO organizations (name, tier, domains, created_at, updated_at)
    SELECT 'Scale Org ' || g, (ARRAY['standard','standard','standard','priority','enterprise','vip'])[1 + g % 6], ARRAY['org' || g || '.example'], now(), now()
      FROM generate_series(1, 500) g ON CONFLICT (name) DO NOTHING`);

  await c.query(`SET session_replication_role = replica; SET synchronous_commit = off; SET work_mem = '256MB'; SET maintenance_work_mem = '512MB'`);
  // Secondary indexes of the bulk-loaded tables are dropped and built again after the load (a build from sorted
  // input is several times faster than a million insertions into 21 indexes on tickets and a GIN on messages).
  // Constraints (primary keys, unique numbers) stay. The definitions are read from the catalog, so the schema
  // after the seed is the migrated one.
  const { rows: indexes } = await c.query<{ name: string; def: string }>(`SELECT indexname AS name, indexdef AS def FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename IN ('tickets', 'messages', 'ticket_events', 'sla_clocks', 'ticket_search_docs')
       AND indexname NOT IN (SELECT conname FROM pg_constraint)`);
  for (const ix of indexes) await c.query(`DROP INDEX ${ix.name}`);
  // en 60 %, ru 15 %, bg 15 %, zh 10 %, as contacts; a requester writes in their language.
  await step('contacts', `INSERT INTO contacts (email, name, language, time_zone, organization_id, created_at, updated_at)
    SELECT 'customer' || g || '@org' || (g % 700) || '.example', ($2::text[])[1 + g % 26] || ' ' || ($3::text[])[1 + (g / 26) % 26],
           CASE WHEN g % 20 < 12 THEN 'en' WHEN g % 20 < 15 THEN 'ru' WHEN g % 20 < 18 THEN 'bg' ELSE 'zh' END,
           CASE WHEN g % 20 < 12 THEN 'Europe/London' WHEN g % 20 < 15 THEN 'Europe/Moscow' WHEN g % 20 < 18 THEN 'Europe/Sofia' ELSE 'Asia/Shanghai' END,
           CASE WHEN g % 700 < 500 THEN (SELECT id FROM organizations WHERE name = 'Scale Org ' || (1 + g % 700)) END,
           now() - interval '2 years', now() - interval '2 years'
      FROM generate_series(1, $1::int) g`, [contacts, FIRST, LAST]);
  await step('contact index', `CREATE UNLOGGED TABLE _seed_contacts AS
    SELECT id, organization_id, language, row_number() OVER (PARTITION BY language ORDER BY email) - 1 AS k, count(*) OVER (PARTITION BY language) AS n
      FROM contacts WHERE email LIKE 'customer%@org%.example'`);
  // Subjects and bodies: words drawn with a skew (common words often, rare ones seldom), a few thousand per language.
  await step('texts', `CREATE UNLOGGED TABLE _seed_texts AS
    WITH v(lang, words, sep) AS (VALUES ('en', $2::text[], ' '), ('ru', $3::text[], ' '), ('bg', $4::text[], ' '), ('zh', $5::text[], ''))
    SELECT lang, k, n,
           (SELECT string_agg(words[1 + floor(power(random(), 2) * cardinality(words))::int + 0 * w], sep) FROM generate_series(1, 3 + (k % 5)) w) AS subject,
           (SELECT string_agg(words[1 + floor(power(random(), 1.5) * cardinality(words))::int + 0 * w], sep) FROM generate_series(1, 12 + (k % 40)) w) AS body
      FROM v, LATERAL (SELECT k, $1::int AS n FROM generate_series(0, $1::int - 1) k) ks`, [texts, EN, RU, BG, ZH]);
  await step('templates', `CREATE UNLOGGED TABLE _seed_tpl AS
    SELECT t.*, row_number() OVER (PARTITION BY t.cls ORDER BY t.number) - 1 AS k, count(*) OVER (PARTITION BY t.cls) AS kn
      FROM (SELECT t.*, CASE WHEN t.status IN ('solved', 'closed') THEN 'closed' ELSE t.status END AS cls FROM tickets t
             WHERE EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'created') AND t.merged_into_id IS NULL) t`);
  await step('member index', `CREATE UNLOGGED TABLE _seed_members AS
    SELECT m.group_id, m.user_id, row_number() OVER (PARTITION BY m.group_id ORDER BY m.user_id) - 1 AS k
      FROM group_members m JOIN users u ON u.id = m.user_id WHERE u.role = 'agent'`);
  await step('group index', `CREATE UNLOGGED TABLE _seed_groups AS
    SELECT g.id, row_number() OVER (ORDER BY g.is_default DESC, g.name) - 1 AS k,
           (SELECT count(*) FROM _seed_members m WHERE m.group_id = g.id) AS members FROM groups g`);
  const { rows: [groupCount] } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM _seed_groups');
  const seasonRows = opts.season?.rows ?? [];
  await step('season', `CREATE UNLOGGED TABLE _seed_season AS
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(k int, gk int, language text, channel text, lo float8, hi float8, days float8[])`,
    [JSON.stringify(seasonRows.map(({ hours: _hours, ...row }) => row))]);
  await step('season days', `CREATE UNLOGGED TABLE _seed_season_day AS
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(k int, day int, hours float8[])`,
    [JSON.stringify(seasonRows.flatMap((row) => row.hours.map((hours, day) => ({ k: row.k, day, hours }))))]);
  await c.query('ANALYZE _seed_season; ANALYZE _seed_season_day');

  // One row per new ticket: class, creation time, template, group, assignee, requester, text. Every join below is
  // on keys computed from the left side alone (hash joins), the sizes coming from tiny lookups first.
  await step('ticket plan', `CREATE UNLOGGED TABLE _seed_map AS
    WITH base AS (
      SELECT g, random() AS r_cls, random() AS r_age, random() AS r_tpl, random() AS r_grp, random() AS r_mem, random() AS r_asg,
             random() AS r_who, random() AS r_lang, random() AS r_txt, random() AS r_txt2, random() AS r_snz
        FROM generate_series(1, $1::int) g),
    drawn AS (
      SELECT b.*, least(floor(power(b.r_grp, 1.6) * $2::int)::int, $2::int - 1) AS gk,
             CASE WHEN r_lang < 0.6 THEN 'en' WHEN r_lang < 0.75 THEN 'ru' WHEN r_lang < 0.9 THEN 'bg' ELSE 'zh' END AS language
        FROM base b),
    seasoned AS (
      SELECT b.*, ss.channel AS season_channel, ss.k AS season_k, width_bucket(b.r_age, ss.days) AS season_day
        FROM drawn b LEFT JOIN _seed_season ss ON $4::int IS NOT NULL AND ss.gk = b.gk % (SELECT max(gk) + 1 FROM _seed_season)
         AND ss.language = b.language AND ${UNIFORM(1)} >= ss.lo AND ${UNIFORM(1)} < ss.hi),
    placed AS (
      SELECT b.*, ${PLACED_AT} AS placed_at FROM seasoned b LEFT JOIN _seed_season_day sd ON sd.k = b.season_k AND sd.day = b.season_day),
    cls AS (
      SELECT b.*, s.status, CASE s.status WHEN 'on_hold' THEN 'open' WHEN 'solved' THEN 'closed' ELSE s.status END AS tcls,
             CASE WHEN b.placed_at IS NOT NULL THEN now() - b.placed_at
                  WHEN s.status = 'new' THEN interval '2 days' * power(r_age, 2) + interval '1 minute'
                  WHEN s.status IN ('open', 'pending', 'on_hold') THEN interval '30 days' * power(r_age, 2) + interval '1 minute'
                  WHEN s.status = 'solved' THEN interval '4 days' * r_age + interval '1 hour'
                  ELSE interval '1 day' + interval '729 days' * r_age END AS age
        FROM placed b, LATERAL (SELECT COALESCE(${STATUS_BY_AGE},
                                          CASE WHEN b.r_cls < 0.004 THEN 'new' WHEN b.r_cls < 0.014 THEN 'open' WHEN b.r_cls < 0.018 THEN 'pending'
                                          WHEN b.r_cls < 0.020 THEN 'on_hold' WHEN b.r_cls < 0.025 THEN 'solved' ELSE 'closed' END) AS status) s),
    keyed AS (
      SELECT l.*, floor(l.r_tpl * tn.kn)::int AS tk, floor(power(l.r_who, 1.3) * cn.n)::int AS ck,
             floor(l.r_txt * $3::int)::int AS xk
        FROM cls l
        JOIN (SELECT DISTINCT cls, kn FROM _seed_tpl) tn ON tn.cls = l.tcls
        JOIN (SELECT DISTINCT language, n FROM _seed_contacts) cn ON cn.language = l.language),
    grouped AS (
      SELECT k.*, gr.id AS group_id, floor(k.r_mem * gr.members)::int AS mk FROM keyed k JOIN _seed_groups gr ON gr.k = k.gk)
    SELECT a.g, gen_random_uuid() AS id, a.status, a.r_snz, now() - a.age AS created_at, tp.id AS tpl_id, (now() - a.age) - tp.created_at AS delta,
           a.group_id, a.season_channel,
           CASE WHEN a.status = 'new' OR (a.status IN ('open', 'pending', 'on_hold') AND a.r_asg > 0.75) THEN NULL ELSE mb.user_id END AS assignee_id,
           ct.id AS requester_id, ct.organization_id, a.language, tx.subject, a.r_txt2
      FROM grouped a
      JOIN _seed_tpl tp ON tp.cls = a.tcls AND tp.k = a.tk
      LEFT JOIN _seed_members mb ON mb.group_id = a.group_id AND mb.k = a.mk
      JOIN _seed_contacts ct ON ct.language = a.language AND ct.k = a.ck
      JOIN _seed_texts tx ON tx.lang = a.language AND tx.k = a.xk`, [n, groupCount?.n ?? 1, texts, opts.season?.weeks ?? null]);

  // Rows in creation order, so numbers follow time as they do in a live system.
  await step('tickets', `INSERT INTO tickets (id, subject, type, priority, status, stage, channel, requester_id, organization_id, group_id, assignee_id, tags,
      created_at, updated_at, first_responded_at, solved_at, closed_at, sla_policy_id, sla_next_due_at, sla_breached, sla_state, urgency, urgency_suggestion,
      promised_reply_at, original_promised_reply_at, promise, language, triage_suggestion, diagnosis, repeat_of_id, snoozed_until, snooze_until_reply,
      merged_into_id, follow_up_of, archived_at, support_address)
    SELECT m.id, initcap(left(m.subject, 1)) || substr(m.subject, 2), tp.type, tp.priority, m.status,
           CASE WHEN m.status = 'closed' AND tp.closed_at + m.delta + interval '30 days' < now() THEN 'archived'
                WHEN m.status = 'closed' OR m.status = 'solved' THEN 'resolution' ELSE tp.stage END,
           COALESCE(m.season_channel, tp.channel), m.requester_id, m.organization_id, m.group_id, m.assignee_id, tp.tags,
           m.created_at, least(now(), tp.updated_at + m.delta), tp.first_responded_at + m.delta,
           CASE WHEN m.status IN ('solved', 'closed') THEN tp.solved_at + m.delta END,
           CASE WHEN m.status = 'closed' THEN tp.closed_at + m.delta END,
           tp.sla_policy_id, CASE WHEN m.status IN ('new', 'open', 'pending', 'on_hold') THEN tp.sla_next_due_at + m.delta END,
           CASE WHEN m.status IN ('new', 'open', 'pending', 'on_hold') THEN tp.sla_breached OR COALESCE(tp.sla_next_due_at + m.delta < now(), false) ELSE tp.sla_breached END,
           tp.sla_state, tp.urgency, tp.urgency_suggestion, tp.promised_reply_at + m.delta, tp.original_promised_reply_at + m.delta, tp.promise,
           m.language, tp.triage_suggestion, tp.diagnosis, NULL,
           CASE WHEN m.status = 'pending' AND m.r_snz < 0.02 THEN now() + interval '3 days' * m.r_snz / 0.02 + interval '1 hour' END, false,
           NULL, NULL,
           CASE WHEN m.status = 'closed' AND tp.closed_at + m.delta + interval '30 days' < now() THEN tp.closed_at + m.delta + interval '30 days' END,
           tp.support_address
      FROM _seed_map m JOIN _seed_tpl tp ON tp.id = m.tpl_id
     ORDER BY m.created_at`);

  // Messages: the template's, with new ids (md5 of the ticket and the template message, so the events below name
  // them without a lookup table); customers' bodies in the requester's language, staff's the same way.
  await step('messages', `INSERT INTO messages (id, ticket_id, kind, author_kind, author_id, body_text, body_html, created_at, delivery_status)
    SELECT md5(m.id::text || tm.id::text)::uuid, m.id, tm.kind, tm.author_kind,
           CASE WHEN tm.author_kind = 'contact' THEN m.requester_id ELSE tm.author_id END,
           tx.body, '<p>' || tx.body || '</p>', tm.created_at + m.delta, tm.delivery_status
      FROM _seed_map m
      JOIN _seed_tpl tp ON tp.id = m.tpl_id
      JOIN messages tm ON tm.ticket_id = m.tpl_id AND (m.status <> 'solved' OR tm.created_at <= tp.solved_at)
      JOIN _seed_texts tx ON tx.lang = m.language AND tx.k = (floor(m.r_txt2 * $1::int)::int + hashtext(tm.id::text) % 97 + 97) % $1::int`, [texts]);
  // Events in each template's order (seq follows it), message ids and the assignee remapped; a solved ticket stops at
  // its solving, an unarchived closed one before its archiving.
  await step('events', `INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, kind, before, after, created_at)
    SELECT m.id, e.actor_kind, CASE WHEN e.actor_kind = 'contact' THEN m.requester_id ELSE e.actor_id END, e.kind, e.before,
           CASE WHEN e.kind = 'message_added' THEN jsonb_set(e.after, '{message_id}', to_jsonb(md5(m.id::text || (e.after->>'message_id'))::uuid::text))
                WHEN e.kind = 'assignee_changed' THEN jsonb_set(e.after, '{assignee_id}', COALESCE(to_jsonb(m.assignee_id::text), 'null'::jsonb))
                WHEN e.kind = 'created' THEN jsonb_set(jsonb_set(jsonb_set(e.after, '{group_id}', to_jsonb(m.group_id::text)), '{assignee_id}', 'null'::jsonb), '{subject}', to_jsonb(m.subject))
                WHEN e.kind = 'repeat_contact' THEN e.after - 'repeat_of_id'
                ELSE e.after END,
           least(now(), e.created_at + m.delta)
      FROM _seed_map m
      JOIN _seed_tpl tp ON tp.id = m.tpl_id
      JOIN ticket_events e ON e.ticket_id = m.tpl_id
     WHERE (m.status <> 'solved' OR e.created_at <= tp.solved_at)
       AND NOT (m.status = 'closed' AND tp.closed_at + m.delta + interval '30 days' >= now() AND (e.kind = 'archived' OR e.after->>'stage' = 'archived'))
     ORDER BY m.created_at, m.id, e.seq`);
  await step('on-hold events', `INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, kind, before, after, created_at)
    SELECT m.id, 'user', m.assignee_id, 'status_changed', '{"status":"open"}', '{"status":"on_hold"}', m.created_at + (now() - m.created_at) / 2
      FROM _seed_map m WHERE m.status = 'on_hold' ORDER BY m.created_at`);
  // Unsolved tickets' clocks as the monitor keeps them: what is already past is not scheduled again.
  await step('sla clocks', `INSERT INTO sla_clocks (ticket_id, metric, policy_id, status, cycle_started_at, due_at, breached_at, fired, next_action_key, next_action_at, updated_at)
    SELECT m.id, c.metric, c.policy_id, c.status, c.cycle_started_at + m.delta, c.due_at + m.delta, c.breached_at + m.delta, c.fired,
           CASE WHEN c.next_action_at + m.delta > now() THEN c.next_action_key END, CASE WHEN c.next_action_at + m.delta > now() THEN c.next_action_at + m.delta END,
           least(now(), c.updated_at + m.delta)
      FROM _seed_map m JOIN sla_clocks c ON c.ticket_id = m.tpl_id WHERE m.status IN ('new', 'open', 'pending', 'on_hold')`);
  // Triggers are off: the search documents (migration 0145) are built as the migration builds them, for the new
  // tickets (the demo's already have theirs).
  const { rows: [docs] } = await c.query<{ t: string | null }>(`SELECT to_regclass('ticket_search_docs')::text AS t`);
  if (docs?.t) {
    await step('search documents', `INSERT INTO ticket_search_docs (ticket_id, doc)
      SELECT t.id, strip(to_tsvector('simple', COALESCE(t.subject, '')) || COALESCE(m.doc, ''::tsvector))
        FROM _seed_map s JOIN tickets t ON t.id = s.id
        LEFT JOIN (SELECT ticket_id, to_tsvector('simple', string_agg(body_text, E'\\n')) AS doc FROM messages GROUP BY ticket_id) m ON m.ticket_id = t.id`);
  }
  const ixStart = performance.now();
  for (const ix of indexes) await c.query(ix.def);
  steps.push({ step: 'indexes', seconds: (performance.now() - ixStart) / 1000, rows: indexes.length });
  log(`  seed: ${'indexes'.padEnd(28)} ${String(indexes.length).padStart(10)} built ${((performance.now() - ixStart) / 1000).toFixed(1)} s`);
  await c.query(`SET session_replication_role = DEFAULT`);
  // Triggers were off: what they keep is rebuilt as the migration that made it does (0031, the view counts' ledger).
  const { rows: [ledger] } = await c.query<{ t: string | null }>(`SELECT to_regclass('ticket_settled_counts')::text AS t`);
  if (ledger?.t) {
    await step('settled counts', `WITH gone AS (DELETE FROM ticket_settled_counts)
      INSERT INTO ticket_settled_counts (status, group_id, assignee_id, n)
      SELECT status, group_id, assignee_id, count(*) FROM tickets WHERE status IN ('solved', 'closed') GROUP BY 1, 2, 3`);
  }
  for (const t of ['_seed_map', '_seed_season', '_seed_season_day', '_seed_members', '_seed_groups', '_seed_tpl', '_seed_texts', '_seed_contacts']) await c.query(`DROP TABLE ${t}`);
  // A live database is vacuumed and analyzed by autovacuum; a fresh bulk load is not yet.
  const v = performance.now();
  for (const t of ['tickets', 'messages', 'ticket_events', 'sla_clocks', 'ticket_search_docs', 'contacts', 'organizations', 'users', 'groups', 'group_members']) await c.query(`VACUUM (ANALYZE) ${t}`);
  steps.push({ step: 'vacuum analyze', seconds: (performance.now() - v) / 1000, rows: 0 });
  log(`  seed: ${'vacuum analyze'.padEnd(28)} ${''.padStart(10)}       ${((performance.now() - v) / 1000).toFixed(1)} s`);
  const { rows: [counts] } = await c.query<Record<string, string>>(`SELECT
      (SELECT count(*) FROM tickets) AS tickets,
      (SELECT count(*) FROM tickets WHERE status IN ('new', 'open', 'pending', 'on_hold')) AS unsolved,
      (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM ticket_events) AS events,
      (SELECT count(*) FROM sla_clocks) AS sla_clocks, (SELECT count(*) FROM contacts) AS contacts`);
  return {
    seconds: (performance.now() - t0) / 1000,
    steps,
    counts: Object.fromEntries(Object.entries(counts ?? {}).map(([k, val]) => [k, Number(val)])),
  };
}
