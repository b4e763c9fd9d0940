-- The KPI rollup's coarse level (issue 18 item 5; docs/kpis.md "The rollup"): per UTC day × at most one facet, so a
-- report with no filter or one of group, agent, type, priority, channel reads a few rows per day instead of one per
-- ticket. Written only by app/reports/kpi-rollup.ts, from kpi_rollup, in the same transaction as the hours it sums.
-- dim: '' (every ticket; key '') or group / assignee / type / priority / channel; key: the facet's value as text,
-- '' for none (no group, unassigned, no type). Counts as kpi_rollup's (total: the sum of the durations, or of the
-- ratings); ids: the reassigned tickets (kind moved; repeated across hours, counted distinct when read); hourly: n
-- per UTC hour 0…23 of the day (the heatmap's cells in the viewer's zone).
CREATE TABLE kpi_lite (
  day timestamptz NOT NULL,
  kind text NOT NULL,
  metric text NOT NULL,
  dim text NOT NULL,
  key text NOT NULL,
  n int NOT NULL,
  open int NOT NULL,
  flag int NOT NULL,
  total float8 NOT NULL,
  ids uuid[] NOT NULL,
  hourly int[] NOT NULL
);
CREATE INDEX kpi_lite_dim_day_idx ON kpi_lite (dim, key, day);
CREATE INDEX kpi_lite_day_idx ON kpi_lite (day);

-- Exact percentiles through bins (core/reports/duration-bins.ts): per UTC day × level × kind (created: first
-- response, asked: response, solved: resolution) × fine duration bin, the count and the values themselves. A
-- percentile sums the counts to find its rank's bin, then sorts that bin's values only.
CREATE TABLE kpi_lite_bins (
  day timestamptz NOT NULL,
  kind text NOT NULL,
  dim text NOT NULL,
  key text NOT NULL,
  bin int NOT NULL,
  n int NOT NULL,
  vals float8[] NOT NULL
);
CREATE INDEX kpi_lite_bins_count_idx ON kpi_lite_bins (dim, key, kind, day) INCLUDE (bin, n);
CREATE INDEX kpi_lite_bins_bin_idx ON kpi_lite_bins (dim, key, kind, bin, day);
CREATE INDEX kpi_lite_bins_day_idx ON kpi_lite_bins (day);

-- Built by the worker's next turn from the hourly rows already there (or with them, when they are rebuilt too);
-- reports read the base tables until then.
ALTER TABLE kpi_rollup_cursor ADD COLUMN levels_built boolean NOT NULL DEFAULT false;
