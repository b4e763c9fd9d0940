export { erlangB, erlangC, erlangInputSchema, parseErlangInput, planErlang, serviceLevel, MAX_AGENTS, MAX_TRAFFIC_ERLANGS } from './erlang-c.ts';
export type { ErlangInput, ErlangResult } from './erlang-c.ts';
export { forecastArrivals, FORECAST_MODELS } from './forecast.ts';
export type { ArrivalSeries, Forecast, ForecastInterval, ForecastModel, ForecastOptions } from './forecast.ts';
export { calibrateEfficiency, dueAtArrival, firstResponseBreached, observedOutcomes, runWhatIf, simulateWhatIf, EFFICIENCY_RANGE, ROUTING_ORDERS } from './whatif.ts';
export type { Efficiency, HistoryTicket, Outcome, RoutingOrder, SimulatedOutcome, Staffing, WhatIfGroupResult, WhatIfPeriod, WhatIfSettings } from './whatif.ts';
