// The widget's words in its four languages (its own, not the app's i18n: the widget is a separate small bundle).
export type Lang = 'en' | 'ru' | 'zh' | 'bg';
export type Words = {
  open: string; close: string; online: string; offline: string; ahead: (n: number) => string; wait: (d: string) => string;
  name: string; email: string; emailOptional: string; message: string; start: string; send: string; typing: string; you: string; team: string;
  transcript: string; transcriptSent: (to: string) => string; failed: string; reconnecting: string; required: string; minutes: (n: number) => string; seconds: (n: number) => string;
  log: string;
};

export const WORDS: Record<Lang, Words> = {
  en: {
    open: 'Open chat', close: 'Close chat', online: 'We are online.', offline: 'Nobody is on duty right now: leave a message and we will reply by e-mail.',
    ahead: (n) => (n === 1 ? '1 chat is ahead of you.' : `${n} chats are ahead of you.`), wait: (d) => `Expected wait: about ${d}.`,
    name: 'Your name', email: 'E-mail', emailOptional: 'E-mail (for the transcript)', message: 'How can we help?', start: 'Start chat', send: 'Send',
    typing: 'An agent is typing…', you: 'You', team: 'Support', transcript: 'E-mail me the transcript', transcriptSent: (to) => `The transcript is on its way to ${to}.`,
    failed: 'Could not send. Check your connection and try again.', reconnecting: 'Reconnecting…', required: 'Please fill in this field.',
    minutes: (n) => (n === 1 ? '1 minute' : `${n} minutes`), seconds: (n) => `${n} seconds`, log: 'Conversation',
  },
  ru: {
    open: 'Открыть чат', close: 'Закрыть чат', online: 'Мы на связи.', offline: 'Сейчас никого нет на смене: оставьте сообщение, и мы ответим по e-mail.',
    ahead: (n) => `Перед вами в очереди: ${n}.`, wait: (d) => `Ожидание: около ${d}.`,
    name: 'Ваше имя', email: 'E-mail', emailOptional: 'E-mail (для записи чата)', message: 'Чем помочь?', start: 'Начать чат', send: 'Отправить',
    typing: 'Сотрудник печатает…', you: 'Вы', team: 'Поддержка', transcript: 'Прислать запись чата на e-mail', transcriptSent: (to) => `Запись чата отправлена на ${to}.`,
    failed: 'Не удалось отправить. Проверьте соединение и попробуйте снова.', reconnecting: 'Восстанавливаем связь…', required: 'Заполните это поле.',
    minutes: (n) => `${n} мин`, seconds: (n) => `${n} с`, log: 'Переписка',
  },
  zh: {
    open: '打开聊天', close: '关闭聊天', online: '我们在线。', offline: '目前没有客服值班：请留言，我们会通过电子邮件回复。',
    ahead: (n) => `您前面还有 ${n} 个对话。`, wait: (d) => `预计等待：约 ${d}。`,
    name: '您的姓名', email: '电子邮件', emailOptional: '电子邮件（用于发送聊天记录）', message: '需要什么帮助？', start: '开始聊天', send: '发送',
    typing: '客服正在输入…', you: '您', team: '客服', transcript: '通过电子邮件发送聊天记录', transcriptSent: (to) => `聊天记录已发送至 ${to}。`,
    failed: '发送失败。请检查网络后重试。', reconnecting: '正在重新连接…', required: '请填写此项。',
    minutes: (n) => `${n} 分钟`, seconds: (n) => `${n} 秒`, log: '对话',
  },
  bg: {
    open: 'Отвори чата', close: 'Затвори чата', online: 'На линия сме.', offline: 'В момента няма дежурен: оставете съобщение и ще отговорим по имейл.',
    ahead: (n) => `Пред вас в опашката: ${n}.`, wait: (d) => `Очаквано чакане: около ${d}.`,
    name: 'Вашето име', email: 'Имейл', emailOptional: 'Имейл (за записа на чата)', message: 'С какво да помогнем?', start: 'Започни чат', send: 'Изпрати',
    typing: 'Служител пише…', you: 'Вие', team: 'Поддръжка', transcript: 'Изпрати ми записа на чата', transcriptSent: (to) => `Записът на чата е изпратен на ${to}.`,
    failed: 'Не успяхме да изпратим. Проверете връзката и опитайте отново.', reconnecting: 'Свързваме се отново…', required: 'Попълнете това поле.',
    minutes: (n) => `${n} мин.`, seconds: (n) => `${n} сек.`, log: 'Разговор',
  },
};

/** The page's language (data-lang, then <html lang>, then the browser's), else English. */
export function pickLang(...candidates: (string | null | undefined)[]): Lang {
  for (const c of candidates) {
    const base = (c ?? '').slice(0, 2).toLowerCase();
    if (base === 'en' || base === 'ru' || base === 'zh' || base === 'bg') return base;
  }
  return 'en';
}
