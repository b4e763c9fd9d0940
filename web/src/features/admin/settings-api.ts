// API calls of the mail and notification admin screens (templates, support addresses, webhooks, customer
// notices), typed by the server's OpenAPI document through openapi-fetch.

import { call, client } from '../../lib/api.ts';
import { LANGUAGES } from '../../i18n/i18n.ts';
import type { paths } from '../../lib/api-schema.d.ts';

// The template keys are the server's (GET /api/v1/email/templates lists every key × language): no copy here
// to fall out of date when the server adds a kind of mail.
export const MAIL_LANGUAGES = LANGUAGES;
type Lang = (typeof MAIL_LANGUAGES)[number];

export type TemplateBody = paths['/api/v1/email/templates/{key}/{language}']['put']['requestBody']['content']['application/json'];
export type MailTemplate = TemplateBody & { key: string; language: Lang; customized: boolean; updated_at: string | null };
export type TemplatePreview = { subject: string; body: string };
export type SupportAddressBody = paths['/api/v1/email/support-addresses']['post']['requestBody']['content']['application/json'];
export type SupportAddress = { address: string; group_id: string | null; default_type: string; language: string; created_at: string };
export type WebhookBody = paths['/api/v1/webhooks']['post']['requestBody']['content']['application/json'];
export type Webhook = { id: string; url: string; events: string[]; active: boolean; created_at: string };
export type WebhookPatch = paths['/api/v1/webhooks/{id}']['patch']['requestBody']['content']['application/json'];
export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'dead';
export type Delivery = { id: string; webhook_id: string; event: string; ticket_id: string | null; status: DeliveryStatus; attempts: number; last_error: string | null; response_code: number | null; created_at: string; updated_at: string };
export type TokenScope = 'read' | 'tickets' | 'admin';
export type ApiToken = { id: string; name: string; created_at: string; last_used_at: string | null; revoked_at: string | null; scopes: TokenScope[]; rate_limit_per_minute: number | null; owner: { id: string; name: string; email: string } };
export type ApiTokenBody = paths['/api/v1/api-tokens']['post']['requestBody']['content']['application/json'];
export type ApiTokenPatch = paths['/api/v1/api-tokens/{id}']['patch']['requestBody']['content']['application/json'];
export type DeadLetter = { id: string; webhook_id: string | null; event: string | null; attempts: number; last_error: string | null; failed_at: string };
export type ChannelBody = paths['/api/v1/channels']['post']['requestBody']['content']['application/json'];
export type ChannelPatch = paths['/api/v1/channels/{id}']['patch']['requestBody']['content']['application/json'];
export type WidgetSettings = {
  allowed_origins: string[]; title: string; color: string; per_ip_per_minute: number; per_visitor_per_minute: number; first_response_seconds: number;
};
export type Channel = {
  id: string; kind: 'telegram' | 'webhook' | 'widget'; name: string; active: boolean; group_id: string | null; group_name: string | null;
  inbound_path: string; outbound_url: string | null; created_at: string; tickets: number;
  /** The chat widget's settings and embed tag (kind `widget`), else null. */
  widget: WidgetSettings | null; embed: string | null;
};
export type CreatedChannel = Channel & { secret: string; inbound_url: string };
export type LifecyclePatch = paths['/api/v1/admin/lifecycle-settings']['patch']['requestBody']['content']['application/json'];
export type NoticeKind = 'work_started' | 'waiting_on_you' | 'promise_about_to_pass' | 'closure_request';
export type LifecycleSettings = Required<Omit<LifecyclePatch, 'notices'>> & { notices: Record<NoticeKind, boolean> };

const tpl = (key: string, language: string) => ({ params: { path: { key, language } } });

export const settingsApi = {
  templates: async () => (await call<{ data: MailTemplate[] }>(client.GET('/api/v1/email/templates'))).data,
  previewTemplate: (key: string, language: string, body: TemplateBody) =>
    call<TemplatePreview>(client.POST('/api/v1/email/templates/{key}/{language}/preview', { ...tpl(key, language), body })),
  saveTemplate: (key: string, language: string, body: TemplateBody) => call<MailTemplate>(client.PUT('/api/v1/email/templates/{key}/{language}', { ...tpl(key, language), body })),
  resetTemplate: (key: string, language: string) => call<MailTemplate>(client.DELETE('/api/v1/email/templates/{key}/{language}', tpl(key, language))),
  supportAddresses: async () => (await call<{ data: SupportAddress[] }>(client.GET('/api/v1/email/support-addresses'))).data,
  saveSupportAddress: (body: SupportAddressBody) => call<SupportAddress>(client.POST('/api/v1/email/support-addresses', { body })),
  deleteSupportAddress: (address: string) => call<unknown>(client.DELETE('/api/v1/email/support-addresses/{address}', { params: { path: { address } } })),
  webhooks: async () => (await call<{ data: Webhook[] }>(client.GET('/api/v1/webhooks'))).data,
  createWebhook: (body: WebhookBody) => call<Webhook & { secret: string }>(client.POST('/api/v1/webhooks', { body })),
  deleteWebhook: (id: string) => call<unknown>(client.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } })),
  channels: async () => (await call<{ data: Channel[] }>(client.GET('/api/v1/channels'))).data,
  createChannel: (body: ChannelBody) => call<CreatedChannel>(client.POST('/api/v1/channels', { body })),
  updateChannel: (id: string, body: ChannelPatch) => call<Channel>(client.PATCH('/api/v1/channels/{id}', { params: { path: { id } }, body })),
  updateWebhook: (id: string, body: WebhookPatch) => call<Webhook>(client.PATCH('/api/v1/webhooks/{id}', { params: { path: { id } }, body })),
  deliveries: async (status: DeliveryStatus | '') => (await call<{ data: Delivery[] }>(client.GET('/api/v1/webhooks/deliveries', { params: { query: status ? { status, limit: 100 } : { limit: 100 } } }))).data,
  resendDelivery: (id: string) => call<unknown>(client.POST('/api/v1/webhooks/deliveries/{id}/resend', { params: { path: { id } } })),
  apiTokens: async () => (await call<{ data: ApiToken[] }>(client.GET('/api/v1/admin/api-tokens'))).data,
  createApiToken: (body: ApiTokenBody) => call<{ id: string; name: string; token: string }>(client.POST('/api/v1/api-tokens', { body })),
  updateApiToken: (id: string, body: ApiTokenPatch) => call<unknown>(client.PATCH('/api/v1/api-tokens/{id}', { params: { path: { id } }, body })),
  revokeApiToken: (id: string) => call<unknown>(client.DELETE('/api/v1/api-tokens/{id}', { params: { path: { id } } })),
  deadLetters: async () => (await call<{ data: DeadLetter[] }>(client.GET('/api/v1/webhooks/dead-letters'))).data,
  retryDeadLetter: (id: string) => call<unknown>(client.POST('/api/v1/webhooks/dead-letters/{id}/retry', { params: { path: { id } } })),
  lifecycle: () => call<LifecycleSettings>(client.GET('/api/v1/admin/lifecycle-settings')),
  saveLifecycle: (body: LifecyclePatch) => call<LifecycleSettings>(client.PATCH('/api/v1/admin/lifecycle-settings', { body })),
};
