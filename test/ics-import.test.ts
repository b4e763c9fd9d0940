import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPublicUrl, isPrivateAddress } from '../src/app/shared/fetch-public-url.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

// A yearly company holiday on 1 August plus a one-off closure, as a feed server would publish it.
const FEED = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Replyby test//EN',
  'BEGIN:VEVENT', 'UID:company-day@test', 'DTSTAMP:20240101T000000Z', 'DTSTART;VALUE=DATE:20240801', 'DTEND;VALUE=DATE:20240802', 'RRULE:FREQ=YEARLY', 'SUMMARY:Company day', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:move@test', 'DTSTAMP:20240101T000000Z', 'DTSTART;VALUE=DATE:20250304', 'DTEND;VALUE=DATE:20250305', 'SUMMARY:Office move', 'END:VEVENT',
  'END:VCALENDAR', '',
].join('\r\n');

let t: TestApp;
let sup: string;
let server: Server;
let feedUrl: string;

beforeAll(async () => {
  t = await startTestApp();
  sup = await t.signIn('super@test.dev');
  server = createServer((req, res) => {
    if (req.url === '/holidays.ics') res.writeHead(200, { 'content-type': 'text/calendar' }).end(FEED);
    else if (req.url === '/endless') {
      // No content-length: only counting the streamed bytes can stop this one.
      res.writeHead(200, { 'content-type': 'text/calendar' });
      const timer = setInterval(() => res.write('X'.repeat(64 * 1024)), 1);
      res.on('close', () => clearInterval(timer));
    } else if (req.url === '/nul.ics') res.writeHead(200, { 'content-type': 'text/calendar' }).end(FEED.replace('SUMMARY:', 'SUMMARY:New\u0000'));
    else if (req.url === '/moved') res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/holidays.ics`;
});
afterAll(async () => {
  server.close();
  await t.close();
});

async function newCalendar(name: string): Promise<string> {
  const res = await t.call('POST', '/api/v1/sla/calendars', sup, {
    name, spec: { timezone: 'Europe/Berlin', hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] } },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function dueFrom(calendarSpec: unknown, createdAt: string): Promise<string> {
  const sim = await t.call('POST', '/api/v1/sla/simulate', sup, {
    calendar: calendarSpec, metrics: [{ name: 'first_response', target_minutes: 60 }], events: [{ at: createdAt, type: 'created' }],
  });
  expect(sim.status).toBe(200);
  return sim.body.metrics.first_response.due_at;
}

describe('iCalendar holiday import', () => {
  it('refuses private addresses unless allowed', async () => {
    const id = await newCalendar('Private');
    const res = await t.call('POST', `/api/v1/sla/calendars/${id}/ics`, sup, { url: feedUrl });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', path: 'url' });
    const blocked = ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '224.0.0.1', '255.255.255.255',
      '::1', '::', 'fd00::1', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '[::ffff:7f00:1]', '0:0:0:0:0:ffff:a9fe:a9fe',
      '::127.0.0.1', '64:ff9b::7f00:1', '2002:7f00:1::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2', 'not-an-ip'];
    expect(blocked.filter((ip) => !isPrivateAddress(ip))).toEqual([]);
    expect(['8.8.8.8', '1.1.1.1', '2001:4860:4860::8888', '172.32.0.1', '::ffff:8.8.8.8', '2a00:1450:4001:80b::200e'].filter(isPrivateAddress)).toEqual([]);
  });

  it('checks the address it connects to: names are resolved inside the connection, written addresses before it', async () => {
    const port = (server.address() as AddressInfo).port;
    const options = { maxBytes: 1_000_000, timeoutMs: 5_000 };
    // feed.invalid resolves nowhere but through this resolver, so a fetched body proves the connection used its answer.
    const toLoopback = async () => ['127.0.0.1'];
    expect(await fetchPublicUrl(`http://feed.invalid:${port}/holidays.ics`, 'url', { ...options, allowPrivate: true, resolve: toLoopback })).toBe(FEED);
    await expect(fetchPublicUrl(`http://feed.invalid:${port}/holidays.ics`, 'url', { ...options, allowPrivate: false, resolve: toLoopback }))
      .rejects.toMatchObject({ code: 'invalid_input', path: 'url', message: expect.stringContaining('private') });
    // One private answer among public ones is enough to refuse.
    await expect(fetchPublicUrl(`http://feed.invalid:${port}/holidays.ics`, 'url', { ...options, allowPrivate: false, resolve: async () => ['93.184.216.34', '10.0.0.7'] }))
      .rejects.toMatchObject({ code: 'invalid_input', path: 'url' });
    await expect(fetchPublicUrl(`http://[::ffff:7f00:1]:${port}/holidays.ics`, 'url', { ...options, allowPrivate: false }))
      .rejects.toMatchObject({ code: 'invalid_input', path: 'url' });
    await expect(fetchPublicUrl(`http://user:pw@feed.invalid:${port}/`, 'url', { ...options, allowPrivate: true, resolve: toLoopback }))
      .rejects.toMatchObject({ code: 'invalid_input', path: 'url' });
  });

  it('cuts a body off at the size cap while streaming, and follows no redirect', async () => {
    const port = (server.address() as AddressInfo).port;
    const options = { allowPrivate: true, maxBytes: 256 * 1024, timeoutMs: 5_000 };
    await expect(fetchPublicUrl(`http://127.0.0.1:${port}/endless`, 'url', options))
      .rejects.toMatchObject({ code: 'unprocessable', path: 'url', message: expect.stringContaining(`larger than ${256 * 1024} bytes`) });
    await expect(fetchPublicUrl(`http://127.0.0.1:${port}/moved`, 'url', options))
      .rejects.toMatchObject({ code: 'unprocessable', path: 'url', message: expect.stringContaining('302') });
  });

  it('imports a feed from a URL, expanding its yearly rule', async () => {
    t.ctx.settings.allowPrivateUrls = true;
    const id = await newCalendar('From URL');
    const res = await t.call('POST', `/api/v1/sla/calendars/${id}/ics`, sup, { url: feedUrl });
    expect(res.status).toBe(200);
    // Friday 1 August 2025 is closed by the yearly rule: Thursday 16:30 + 60 min → Monday 09:30 CEST.
    expect(await dueFrom(res.body.spec, '2025-07-31T14:30:00Z')).toBe('2025-08-04T07:30:00Z');
    // Tuesday 4 March 2025 is closed by the one-off event: Monday 16:30 + 60 → Wednesday 09:30 CET.
    expect(await dueFrom(res.body.spec, '2025-03-03T15:30:00Z')).toBe('2025-03-05T08:30:00Z');
  });

  it('imports the text of a file and rejects a broken feed naming the field', async () => {
    const id = await newCalendar('From file');
    expect((await t.call('POST', `/api/v1/sla/calendars/${id}/ics`, sup, { ics: FEED })).status).toBe(200);
    const broken = await t.call('POST', `/api/v1/sla/calendars/${id}/ics`, sup, { ics: 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:nope\r\n' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.path).toBe('ics');
    const nul = await t.call('POST', `/api/v1/sla/calendars/${id}/ics`, sup, { url: feedUrl.replace('/holidays.ics', '/nul.ics') });
    expect(nul.status).toBe(422);
    expect(nul.body.error).toMatchObject({ code: 'unprocessable', path: 'url' });
    const missing = await t.call('POST', `/api/v1/sla/calendars/${id}/ics`, sup, { url: `${feedUrl}.missing` });
    expect(missing.status).toBe(422);
    expect((await t.call('POST', `/api/v1/sla/calendars/${id}/ics`, sup, {})).body.error.path).toBe('url');
  });
});
