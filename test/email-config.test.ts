import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

// The e-mail limits (issue 8) come from the environment, validated at start like every other setting.
describe('e-mail limits in the configuration', () => {
  it('defaults: 10 MiB an attachment, 25 MiB a mail, 5 acknowledgements per sender an hour', () => {
    expect(loadConfig({}).email).toEqual({ attachmentMaxBytes: 10 * 1024 * 1024, attachmentsTotalMaxBytes: 25 * 1024 * 1024, acknowledgementsPerSenderPerHour: 5, attachmentsMaxCount: 10 });
  });

  it('reads the three variables', () => {
    const config = loadConfig({ REPLYBY_MAIL_ATTACHMENT_MAX_BYTES: '2048', REPLYBY_MAIL_ATTACHMENTS_TOTAL_MAX_BYTES: '4096', REPLYBY_ACK_PER_SENDER_PER_HOUR: '0' });
    expect(config.email).toEqual({ attachmentMaxBytes: 2048, attachmentsTotalMaxBytes: 4096, acknowledgementsPerSenderPerHour: 0, attachmentsMaxCount: 10 });
  });

  it('REPLYBY_ATTACHMENTS_MAX_COUNT caps the files of one message (review item 11)', () => {
    expect(loadConfig({ REPLYBY_ATTACHMENTS_MAX_COUNT: '3' }).email.attachmentsMaxCount).toBe(3);
    expect(() => loadConfig({ REPLYBY_ATTACHMENTS_MAX_COUNT: '0' })).toThrow(/^REPLYBY_ATTACHMENTS_MAX_COUNT:/);
  });

  it('refuses a bad value, naming the variable', () => {
    for (const [name, value] of [['REPLYBY_MAIL_ATTACHMENT_MAX_BYTES', '10MB'], ['REPLYBY_MAIL_ATTACHMENTS_TOTAL_MAX_BYTES', '12'], ['REPLYBY_ACK_PER_SENDER_PER_HOUR', '-1']] as const) {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}:`));
    }
  });
});
