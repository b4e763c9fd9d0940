// Knowledge-base search: p50/p95 of the search the API runs (PostgreSQL text search over a GIN index,
// one configuration per language, core-normalised Bulgarian and Chinese) against the plain alternative
// a team would write first (ILIKE '%term%' on title and body, every term required), over 10,000
// articles in four languages, bulk-inserted (unnest, 1,000 rows per statement), on PGlite and PostgreSQL.
//   BENCH_ARTICLES  (default 10000)   BENCH_QUERIES (default 300)   BENCH_ENGINES pglite,postgres
//   BENCH_PG_ADMIN_URL (default postgres://127.0.0.1:5432/test)  BENCH_PG_DATABASE (default triage_kb_bench, dropped after)
// Last lines: kb-bench: engine=E articles=N fts_p95_ms=… ilike_p95_ms=… ratio=…
import { articleVectorParams, searchArticles } from '../src/app/triage/kb-search.ts';
import { openDb, type Db } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 10_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',');

const WORDS: Record<string, string[]> = {
  en: 'password reset login account invoice refund payment export report dashboard mobile application settings security token webhook integration billing subscription plan seats error timeout server database backup restore import contacts users groups permissions notification email language calendar holiday schedule'.split(' '),
  ru: 'пароль сброс вход аккаунт счёт возврат оплата выгрузка отчёт панель приложение настройки безопасность токен интеграция подписка тариф ошибка сервер база резервная копия импорт контакты пользователи группы права уведомления почта язык календарь праздник расписание'.split(' '),
  bg: 'парола нулиране вход акаунт фактура възстановяване плащане експорт отчет панел приложение настройки сигурност интеграция абонамент план грешка сървър база архив импорт контакти потребители групи права известия поща език календар празник график'.split(' '),
  zh: '密码 重置 登录 账户 发票 退款 付款 导出 报表 面板 应用 设置 安全 令牌 集成 订阅 套餐 错误 超时 服务器 数据库 备份 恢复 导入 联系人 用户 群组 权限 通知 邮件 语言 日历 假日'.split(' '),
};
const LANGS = ['en', 'ru', 'bg', 'zh'];
let seed = 42;
const rand = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296;
};
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const sentence = (lang: string, n: number) => Array.from({ length: n }, () => pick(WORDS[lang] ?? [])).join(lang === 'zh' ? '' : ' ');

async function seedArticles(db: Db): Promise<void> {
  const now = new Date();
  for (let start = 0; start < ARTICLES; start += 1000) {
    const cols = { lang: [] as string[], title: [] as string[], body: [] as string[], cfg: [] as string[], tdoc: [] as string[], bdoc: [] as string[] };
    for (let i = start; i < Math.min(ARTICLES, start + 1000); i += 1) {
      const lang = LANGS[i % 4] as string;
      const title = sentence(lang, 5);
      const body = sentence(lang, 120);
      const [cfg, tdoc, bdoc] = articleVectorParams(lang, title, body);
      cols.lang.push(lang); cols.title.push(title); cols.body.push(body); cols.cfg.push(cfg); cols.tdoc.push(tdoc); cols.bdoc.push(bdoc);
    }
    await db.query(
      `INSERT INTO kb_articles (language, title, body, status, search, created_at, updated_at)
       SELECT lang, title, body, 'published', setweight(to_tsvector(cfg::regconfig, tdoc), 'A') || setweight(to_tsvector(cfg::regconfig, bdoc), 'B'), $7, $7
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(lang, title, body, cfg, tdoc, bdoc)`,
      [cols.lang, cols.title, cols.body, cols.cfg, cols.tdoc, cols.bdoc, now]);
  }
  await db.exec('ANALYZE kb_articles');
}

const ilike = (db: Db, q: string) => {
  const terms = q.split(/\s+/).filter(Boolean).map((t) => `%${t}%`);
  return db.query(`SELECT id, title FROM kb_articles WHERE status = 'published' AND ${terms.map((_, i) => `(title ILIKE $${i + 1} OR body ILIKE $${i + 1})`).join(' AND ')}
    ORDER BY updated_at DESC LIMIT 10`, terms);
};

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

async function run(engine: string): Promise<void> {
  let db: Db;
  let cleanup = async () => undefined as void;
  if (engine === 'postgres') {
    const adminUrl = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://127.0.0.1:5432/test';
    const name = process.env.BENCH_PG_DATABASE ?? 'triage_kb_bench';
    const admin = await openDb({ databaseUrl: adminUrl, poolSize: 1 });
    await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
    await admin.exec(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    db = await openDb({ databaseUrl: url.toString(), poolSize: 2 });
    cleanup = async () => {
      await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
      await admin.close();
    };
  } else db = await openDb({});
  await migrate(db);
  const t0 = performance.now();
  await seedArticles(db);
  const seedS = (performance.now() - t0) / 1000;
  // Queries as people type them: one to three words, the last possibly cut short.
  const queries = Array.from({ length: QUERIES }, (_, i) => {
    const lang = LANGS[i % 4] as string;
    const words = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(WORDS[lang] ?? []));
    const last = words.pop() ?? '';
    words.push(lang === 'zh' ? last : last.slice(0, Math.max(3, last.length - 2)));
    return words.join(' ');
  });
  const timed = async (fn: (q: string) => Promise<unknown[]>) => {
    for (const q of queries.slice(0, 20)) await fn(q); // warm-up
    const ms: number[] = [];
    let hits = 0;
    for (const q of queries) {
      const t = performance.now();
      hits += (await fn(q)).length;
      ms.push(performance.now() - t);
    }
    return { p50: pct(ms, 50), p95: pct(ms, 95), hits };
  };
  const fts = await timed((q) => searchArticles(db, q, { statuses: ['published'], limit: 10, mode: 'all' }));
  const scan = await timed((q) => ilike(db, q));
  await db.close();
  await cleanup();
  console.log(`${engine}: seeded ${ARTICLES} articles in ${seedS.toFixed(1)} s; ${QUERIES} queries`);
  console.log(`  full-text (GIN)  p50 ${fts.p50.toFixed(2)} ms  p95 ${fts.p95.toFixed(2)} ms  hits ${fts.hits}`);
  console.log(`  ILIKE scan       p50 ${scan.p50.toFixed(2)} ms  p95 ${scan.p95.toFixed(2)} ms  hits ${scan.hits}`);
  console.log(`kb-bench: engine=${engine} articles=${ARTICLES} fts_p95_ms=${fts.p95.toFixed(2)} ilike_p95_ms=${scan.p95.toFixed(2)} ratio=${(scan.p95 / fts.p95).toFixed(1)}`);
}

for (const engine of engines) await run(engine);
