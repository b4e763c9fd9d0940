export * from './types.ts';
export { parseInstant, formatInstant } from './instant.ts';
export { formatPath, type ParseFailure, type ParseResult, type ParseSuccess, type PathSegment } from './parse-result.ts';
export {
  parseSimulationInput,
  metricSchema,
  instantSchema,
  ticketStatusSchema,
  metricEventKindSchema,
  pauseStatusesSchema,
  eventTypeSchema,
  MAX_TARGET_MINUTES,
  type ParsedSimulation,
} from './simulation-schema.ts';
export { computeClocks, evaluationInstant, metricCalendar } from './compute-clocks.ts';
export { cycleSteps, eventKind, isPaused, isBuiltInMetricName, isCustomMetric, type CycleStep, type RuleContext } from './metric-rules.ts';
export { formatClockState, formatMetric } from './format-result.ts';
export { simulateSla, runSimulation } from './simulate.ts';
