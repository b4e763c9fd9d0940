export { erlangB, erlangC, erlangInputSchema, parseErlangInput, planErlang, serviceLevel, MAX_AGENTS, MAX_TRAFFIC_ERLANGS } from './erlang-c.ts';
export type { ErlangInput, ErlangResult } from './erlang-c.ts';
export { forecastArrivals, FORECAST_MODELS } from './forecast.ts';
export type { ArrivalSeries, Forecast, ForecastInterval, ForecastModel, ForecastOptions } from './forecast.ts';
export { EXCEPTION_KINDS, WEEKDAYS, nextOnDuty, onCallSpans, onDuty, rosterSchema, rosteredIntervals, shiftSpans, shiftsOnDate } from './roster.ts';
export type { Duty, Roster, RosterInput, RosteredInterval, Span } from './roster.ts';
export { PLAN_MODELS, modelForChannel, planChannel } from './plan.ts';
export type { ChannelPlanInput, ChannelPlanRow, PlanModel } from './plan.ts';
