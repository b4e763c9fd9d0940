// The bell (review 2026-12-07, item 12) and the agent's "Start work" (item 13). Typed by the OpenAPI document like lib/api.ts.

import { call, client } from '../../lib/api.ts';

export type AppNotification = {
  id: string;
  kind: string;
  ticket_id: string | null;
  ticket_number: number | null;
  ticket_subject: string | null;
  title: string;
  body: string;
  urgent: boolean;
  data: Record<string, unknown>;
  created_at: string;
  read_at: string | null;
};
export type NotificationPage = { data: AppNotification[]; next_cursor: string | null; unread_count: number };

export const notificationKeys = { all: ['notifications'] as const, page: ['notifications', 'page'] as const };

export const notificationsApi = {
  list: (cursor?: string | null) =>
    call<NotificationPage>(client.GET('/api/v1/notifications', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } })),
  markRead: (id: string) => call<{ unread_count: number }>(client.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
  markAllRead: () => call<{ unread_count: number }>(client.POST('/api/v1/notifications/read-all')),
  startWork: (ref: string | number) =>
    call<{ ticket_id: string; notice: 'sent_now' | 'sent_before' | 'not_sent' }>(client.POST('/api/v1/tickets/{ref}/start-work', { params: { path: { ref: String(ref) } } })),
};
