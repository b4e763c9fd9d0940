export * from './model.ts';
export * from './skills.ts';
export * from './choose-agent.ts';
