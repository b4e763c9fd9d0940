import type { PromiseLanguage } from './promise-strings.ts';

// The customer's words for confirmed closure and the portal list, in the four languages (a local
// dictionary like promise-strings.ts; it can move into i18next resources unchanged).

type Strings = {
  question: string; intro: string; solved: string; notSolved: string;
  rating: string; ratingHint: string; comment: string; whatIsWrong: string; send: string;
  thanksSolved: string; thanksReopened: string; alreadyAnswered: string; notAnswerable: string; unknownLink: string;
  request: string; backToRequests: string;
  allRequests: string; openRequests: string; closedRequests: string; raisedBy: string; you: string; archived: string;
};

export const CLOSURE_STRINGS: Record<PromiseLanguage, Strings> = {
  en: {
    question: 'Is your problem solved?', intro: 'We believe this request is solved. Please tell us:', solved: 'Solved', notSolved: 'Not solved',
    rating: 'How satisfied are you with our help?', ratingHint: '1 = not at all, 5 = very (optional)', comment: 'Anything to add? (optional)', whatIsWrong: 'What is still wrong? (optional)', send: 'Send my answer',
    thanksSolved: 'Thank you! The request is now closed.', thanksReopened: 'Thank you. We have reopened the request and will get back to you.',
    alreadyAnswered: 'This question has already been answered.', notAnswerable: 'This request is no longer waiting for your confirmation.', unknownLink: 'This link is unknown or has expired. Sign in to the portal to follow your request.',
    request: 'Request', backToRequests: 'My requests',
    allRequests: 'All', openRequests: 'Open', closedRequests: 'Closed', raisedBy: 'Raised by', you: 'you', archived: 'archived',
  },
  ru: {
    question: 'Ваша проблема решена?', intro: 'Мы считаем, что этот запрос решён. Пожалуйста, сообщите нам:', solved: 'Решено', notSolved: 'Не решено',
    rating: 'Насколько вы довольны нашей помощью?', ratingHint: '1 — совсем нет, 5 — очень (необязательно)', comment: 'Хотите что-то добавить? (необязательно)', whatIsWrong: 'Что всё ещё не так? (необязательно)', send: 'Отправить ответ',
    thanksSolved: 'Спасибо! Запрос закрыт.', thanksReopened: 'Спасибо. Мы снова открыли запрос и свяжемся с вами.',
    alreadyAnswered: 'На этот вопрос уже ответили.', notAnswerable: 'Этот запрос больше не ждёт вашего подтверждения.', unknownLink: 'Ссылка неизвестна или устарела. Войдите на портал, чтобы следить за запросом.',
    request: 'Запрос', backToRequests: 'Мои запросы',
    allRequests: 'Все', openRequests: 'Открытые', closedRequests: 'Закрытые', raisedBy: 'Автор', you: 'вы', archived: 'в архиве',
  },
  zh: {
    question: '您的问题解决了吗？', intro: '我们认为此请求已经解决。请告诉我们：', solved: '已解决', notSolved: '未解决',
    rating: '您对我们的帮助满意吗？', ratingHint: '1 = 非常不满意，5 = 非常满意（可选）', comment: '还有什么要补充的吗？（可选）', whatIsWrong: '还有什么问题？（可选）', send: '提交答复',
    thanksSolved: '谢谢！该请求已关闭。', thanksReopened: '谢谢。我们已重新打开该请求，并会尽快回复您。',
    alreadyAnswered: '此问题已经答复过了。', notAnswerable: '此请求已不再等待您的确认。', unknownLink: '此链接无效或已过期。请登录门户查看您的请求。',
    request: '请求', backToRequests: '我的请求',
    allRequests: '全部', openRequests: '处理中', closedRequests: '已关闭', raisedBy: '提交人', you: '您', archived: '已归档',
  },
  bg: {
    question: 'Решен ли е проблемът ви?', intro: 'Смятаме, че тази заявка е решена. Моля, кажете ни:', solved: 'Решено', notSolved: 'Не е решено',
    rating: 'Колко сте доволни от помощта ни?', ratingHint: '1 = изобщо не, 5 = много (по желание)', comment: 'Искате ли да добавите нещо? (по желание)', whatIsWrong: 'Какво още не е наред? (по желание)', send: 'Изпрати отговора',
    thanksSolved: 'Благодарим! Заявката е затворена.', thanksReopened: 'Благодарим. Отворихме отново заявката и ще се свържем с вас.',
    alreadyAnswered: 'На този въпрос вече е отговорено.', notAnswerable: 'Тази заявка вече не очаква вашето потвърждение.', unknownLink: 'Връзката е непозната или е изтекла. Влезте в портала, за да следите заявката си.',
    request: 'Заявка', backToRequests: 'Моите заявки',
    allRequests: 'Всички', openRequests: 'Отворени', closedRequests: 'Затворени', raisedBy: 'Подадена от', you: 'вие', archived: 'архивирана',
  },
};
