/**
 * The skeleton every report chart shares: the title and subtitle, the notes, the empty state (a
 * placeholder that says why there is nothing to show), the task filter (one panel per task that
 * has rows, in the fixed task order) and the spec wrapper (schema, shared colour scale, config).
 * A chart module computes its rows and caption and builds its panels; {@link taskChart} does the
 * rest.
 *
 * @module
 */
import { type Chart, CONFIG, placeholderSpec, VL_SCHEMA, type VlSpec } from "./_common.ts";

/** The tasks in page order. */
export const CHART_TASKS = ["adding", "copy"] as const;

/** What {@link taskChart} needs. */
export interface TaskChartOptions<Row extends { task: string }> {
  name: string;
  title: string;
  subtitle: string;
  caption: string;
  notes: string[];
  rows: Row[];
  /** What the placeholder says when there are no rows. */
  empty: string;
  /** One panel per task with rows. */
  panel: (task: string, rows: Row[]) => VlSpec;
  /** Panels side by side (`hconcat`, default) or one under another (`vconcat`). */
  layout?: "hconcat" | "vconcat";
  table?: Chart["table"];
}

/** The tasks (in page order) that have rows. */
export function tasksOf(rows: { task: string }[]): string[] {
  return CHART_TASKS.filter((t) => rows.some((r) => r.task === t));
}

/** Wraps panels into a page chart: title, subtitle, shared colours, config. */
export function wrapSpec(title: string, subtitle: string, body: VlSpec): VlSpec {
  return {
    ...body,
    $schema: VL_SCHEMA,
    title: { text: title, subtitle },
    resolve: { scale: { color: "shared" }, ...(body.resolve as VlSpec | undefined) },
    config: CONFIG,
  };
}

/** A chart with one panel per task, or the placeholder when there are no rows. */
export function taskChart<Row extends { task: string }>(o: TaskChartOptions<Row>): Chart {
  const base = { name: o.name, title: o.title, caption: o.caption, notes: o.notes };
  const table = o.table ? { table: o.table } : {};
  if (o.rows.length === 0) {
    return { ...base, spec: placeholderSpec(o.title, o.empty), ...table };
  }
  const panels = tasksOf(o.rows).map((t) => o.panel(t, o.rows.filter((r) => r.task === t)));
  // Panels stay in a concat even alone: each keeps its own title under the chart's.
  const body = { [o.layout ?? "hconcat"]: panels };
  return { ...base, spec: wrapSpec(o.title, o.subtitle, body), ...table };
}
