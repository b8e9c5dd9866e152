/**
 * The report's charts, drawn by echarts on the server and inlined as SVG (no script, no network
 * needed to show them). Each chart also returns which drill-down key each clickable element opens;
 * echarts marks those elements with `ecmeta_series_index` / `ecmeta_data_index` attributes.
 */
import type * as Echarts from "echarts";
import { similarityScoreRange } from "../judges/similarity-llm-judge.ts";
import { terminalSafeLine } from "../text/terminal-text.ts";
import type { ChartDrillMap } from "./html-data.ts";
import { drillKeys } from "./html-data.ts";
import { pValueLabel } from "./number-format.ts";
import type { IceView, LineageView, RseView } from "./report-model.ts";
import { iceMetrics } from "./report-model.ts";
import type { Bounds } from "./result-schema.ts";

export interface RenderedChart {
  id: string;
  title: string;
  svg: string;
  drill: ChartDrillMap[string];
}

const metricColours = { loose: "#8fb3e8", strict: "#3569c4", hard: "#15306b" } as const;

// echarts' option types for custom series are very wide; the options below are checked by rendering.
type Option = Record<string, unknown>;
interface RenderApi {
  value(dimension: number): number;
  coord(point: number[]): number[];
  size(point: number[]): number[];
}

// echarts costs about a second of CPU to load, so only a command that draws a chart loads it.
let echarts: typeof Echarts | undefined;

/** Loads echarts; await it before calling any chart function below (renderHtml does). */
export async function loadChartLibrary(): Promise<void> {
  echarts ??= await import("echarts");
}

function render(option: Option, width: number, height: number): string {
  if (echarts === undefined) throw new Error("loadChartLibrary() must be awaited before a chart is drawn");
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({ animation: false, ...option } as Echarts.EChartsOption);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

function line(x1: number, y1: number, x2: number, y2: number, colour = "#222"): Option {
  return { type: "line", shape: { x1, y1, x2, y2 }, style: { stroke: colour, lineWidth: 1.2 } };
}

/**
 * A name from input as a chart shows it: controls and bidi overrides as visible `\uXXXX` (an SVG text
 * cannot hold the table's isolated marks, and an RLO would reverse the name), then cut to `length`.
 */
function shortLabel(text: string, length = 28): string {
  const safe = terminalSafeLine(text);
  return safe.length > length ? `${safe.slice(0, length - 1)}…` : safe;
}

/**
 * Left margin that keeps the first slanted category label inside the chart: a label rotated by
 * `degrees` reaches left of its tick by about its width times cos(degrees) (12 px labels: ~6.5 px a
 * character). At least the axis' own 56 px, at most 180 px.
 */
export function leftMarginForSlantedLabels(labels: readonly string[], degrees: number): number {
  if (degrees === 0 || labels.length === 0) return 56;
  const reach = (labels[0]?.length ?? 0) * 6.5 * Math.cos((degrees * Math.PI) / 180);
  return Math.round(Math.min(180, Math.max(56, reach + 8)));
}

const barGroupShare = 0.7;

/** One group of bars: a value per category, its interval, and the drill-down key of each bar. */
interface BarGroup {
  name: string;
  colour?: string;
  values: Array<number | undefined>;
  intervals: Array<Bounds | undefined>;
  drillKeys: Array<string | null>;
}

interface GroupedBarOptions {
  id: string;
  title: string;
  categories: string[];
  groups: BarGroup[];
  yName: string;
  yMin?: number;
  yMax?: number;
}

/**
 * The value axis of a bar chart: from `yMin` to `yMax` when given (a score's whole scale, so that a
 * 1% difference does not look like double), else fitted to the bars.
 */
export function valueAxis(options: Pick<GroupedBarOptions, "yName" | "yMin" | "yMax">): Option {
  return {
    type: "value",
    name: options.yName,
    ...(options.yMin === undefined ? { scale: true } : { min: options.yMin }),
    ...(options.yMax === undefined ? {} : { max: options.yMax }),
  };
}

/** Grouped bars with interval error bars (echarts custom series drawn in data coordinates). */
function groupedBarChart(options: GroupedBarOptions): RenderedChart {
  const { categories, groups } = options;
  const width = Math.max(760, Math.min(1150, 160 + categories.length * 30 * Math.max(3, groups.length)));
  const series: Option[] = groups.map((group) => ({
    type: "bar",
    name: terminalSafeLine(group.name),
    data: group.values.map((value) => (value !== undefined && Number.isFinite(value) ? value : null)),
    ...(group.colour ? { itemStyle: { color: group.colour } } : {}),
  }));
  groups.forEach((group, groupIndex) => {
    series.push({
      type: "custom",
      name: `${terminalSafeLine(group.name)} 95% interval`,
      data: group.intervals.flatMap((bounds, categoryIndex) =>
        bounds ? [[categoryIndex, bounds.low, bounds.high]] : [],
      ),
      renderItem: (_params: unknown, api: RenderApi) => {
        const categoryWidth = api.size([1, 0])[0] ?? 0;
        const barWidth = (categoryWidth * barGroupShare) / groups.length;
        const offset = -(categoryWidth * barGroupShare) / 2 + (groupIndex + 0.5) * barWidth;
        const low = api.coord([api.value(0), api.value(1)]);
        const high = api.coord([api.value(0), api.value(2)]);
        const x = (low[0] ?? 0) + offset;
        const cap = Math.min(6, barWidth / 3);
        return {
          type: "group",
          children: [
            line(x, low[1] ?? 0, x, high[1] ?? 0),
            line(x - cap, low[1] ?? 0, x + cap, low[1] ?? 0),
            line(x - cap, high[1] ?? 0, x + cap, high[1] ?? 0),
          ],
        };
      },
      z: 10,
    });
  });
  const labels = categories.map((category) => shortLabel(category));
  const rotate = categories.length > 6 ? 35 : 0;
  const svg = render(
    {
      legend: { top: 0, data: groups.map((group) => terminalSafeLine(group.name)) },
      grid: { left: leftMarginForSlantedLabels(labels, rotate), right: 16, top: 36, bottom: 96 },
      xAxis: {
        type: "category",
        data: labels,
        axisLabel: { rotate, interval: 0 },
      },
      yAxis: valueAxis(options),
      barGap: "0%",
      barCategoryGap: `${Math.round((1 - barGroupShare) * 100)}%`,
      series,
    },
    width,
    400,
  );
  const drill: ChartDrillMap[string] = {};
  groups.forEach((group, groupIndex) => {
    drill[groupIndex] = group.drillKeys;
    // The error bars sit on top of the bars: a click on one opens the same list as its bar.
    drill[groups.length + groupIndex] = group.intervals.flatMap((bounds, categoryIndex) =>
      bounds ? [group.drillKeys[categoryIndex] ?? null] : [],
    );
  });
  return { id: options.id, title: options.title, svg, drill };
}

/** ICE loose/strict/hard per target with interval error bars; click a bar for its items. */
export function iceBarChart(views: IceView[]): RenderedChart {
  return groupedBarChart({
    id: "ice-bars",
    title: "Identity consistency: loose, strict and hard per target",
    categories: views.map((view) => view.label),
    groups: iceMetrics.map((metric) => ({
      name: metric,
      colour: metricColours[metric],
      values: views.map((view) => view.scores[metric]),
      intervals: views.map((view) => view.intervals[metric]),
      drillKeys: views.map((_, targetIndex) => drillKeys.ice(targetIndex, metric)),
    })),
    yName: "share of answers",
    yMin: 0,
  });
}

/** RSE overall similarity per target and prompt set (the paper's Table 3 as bars); click for the items. */
export function rseDatasetChart(views: RseView[]): RenderedChart {
  // One bar group per target and reference ("target vs reference" when a result has several).
  const rows = views.flatMap((view, targetIndex) =>
    view.byReference.map((reference) => ({
      view,
      targetIndex,
      reference,
      label:
        view.byReference.length > 1
          ? `${shortLabel(view.label, 12)} vs ${shortLabel(reference.reference, 12)}`
          : view.label,
    })),
  );
  const names = [
    ...new Set(rows.flatMap(({ reference }) => reference.datasets.map((dataset) => dataset.name))),
  ];
  return groupedBarChart({
    id: "rse-bars",
    title: "Response similarity per prompt set (overall, 95% intervals)",
    categories: rows.map((row) => row.label),
    groups: names.map((name) => ({
      name,
      values: rows.map(
        ({ reference }) => reference.datasets.find((dataset) => dataset.name === name)?.scores.overall,
      ),
      intervals: rows.map(
        ({ reference }) => reference.datasets.find((dataset) => dataset.name === name)?.interval,
      ),
      drillKeys: rows.map(({ view, targetIndex }) => {
        const datasetIndex = view.datasets.findIndex((dataset) => dataset.name === name);
        return datasetIndex < 0 ? null : drillKeys.rse(targetIndex, datasetIndex);
      }),
    })),
    yName: "similarity",
    yMin: similarityScoreRange.low,
    yMax: similarityScoreRange.high,
  });
}

function errorBarSeries(points: Array<{ x: Bounds; y: Bounds; centre: [number, number] }>): Option {
  return {
    type: "custom",
    name: "95% intervals",
    data: points.map((point) => [
      point.centre[0],
      point.centre[1],
      point.x.low,
      point.x.high,
      point.y.low,
      point.y.high,
    ]),
    clip: true,
    renderItem: (_params: unknown, api: RenderApi) => {
      const left = api.coord([api.value(2), api.value(1)]);
      const right = api.coord([api.value(3), api.value(1)]);
      const bottom = api.coord([api.value(0), api.value(4)]);
      const top = api.coord([api.value(0), api.value(5)]);
      return {
        type: "group",
        children: [
          line(left[0] ?? 0, left[1] ?? 0, right[0] ?? 0, right[1] ?? 0, "#777"),
          line(bottom[0] ?? 0, bottom[1] ?? 0, top[0] ?? 0, top[1] ?? 0, "#777"),
        ],
      };
    },
    z: 1,
  };
}

/** The range of finite values with 5% padding on each side, rounded outwards to two decimals. */
function paddedExtent(values: number[]): Bounds {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return { low: 0, high: 1 };
  const low = Math.min(...finite);
  const high = Math.max(...finite);
  const padding = Math.max((high - low) * 0.05, 0.01);
  return { low: Math.floor((low - padding) * 100) / 100, high: Math.ceil((high + padding) * 100) / 100 };
}

/** The 1-2-5 step nearest above `span`: 0.02, 0.05, 0.1, 0.2... */
function niceStep(span: number): number {
  if (!(span > 0)) return 0.01;
  const magnitude = 10 ** Math.floor(Math.log10(span));
  const step = [1, 2, 5, 10].find((factor) => factor * magnitude >= span - 1e-12) ?? 10;
  return step * magnitude;
}

/**
 * A scatter axis: the padded range of `values`, kept within the metric's scale (a rate never reads
 * past 1), and widened to whole steps so that its ends are ticks like the others (no "1.05" label
 * crowding the "1" under it).
 */
export function scatterAxisExtent(values: number[], scale: Bounds): Bounds {
  const padded = paddedExtent(values);
  const low = Math.max(scale.low, padded.low);
  const high = Math.min(scale.high, padded.high);
  const step = niceStep((high - low) / 5);
  const round = (value: number) => Number(value.toFixed(10));
  return {
    low: Math.max(scale.low, round(Math.floor(round(low / step)) * step)),
    high: Math.min(scale.high, round(Math.ceil(round(high / step)) * step)),
  };
}

/** The paper's Figure 1: RSE overall (x) against ICE strict (y), intervals on both axes. */
export function iceRseScatter(pairs: Array<{ ice: IceView; rse: RseView; iceIndex: number }>): RenderedChart {
  const points = pairs.map(({ ice, rse }) => ({
    centre: [rse.scores.overall, ice.scores.strict] as [number, number],
    x: rse.intervals.overall ?? { low: rse.scores.overall, high: rse.scores.overall },
    y: ice.intervals.strict ?? { low: ice.scores.strict, high: ice.scores.strict },
  }));
  const xExtent = scatterAxisExtent(
    points.flatMap((point) => [point.x.low, point.x.high, point.centre[0]]),
    similarityScoreRange,
  );
  const yExtent = scatterAxisExtent(
    points.flatMap((point) => [point.y.low, point.y.high, point.centre[1]]),
    { low: 0, high: 1 },
  );
  const svg = render(
    {
      grid: { left: 64, right: 110, top: 28, bottom: 56 },
      xAxis: {
        type: "value",
        name: "RSE overall similarity",
        nameLocation: "middle",
        nameGap: 32,
        min: xExtent.low,
        max: xExtent.high,
      },
      yAxis: { type: "value", name: "ICE strict", min: yExtent.low, max: yExtent.high },
      series: [
        {
          type: "scatter",
          name: "targets",
          symbolSize: 12,
          data: points.map((point) => point.centre),
          label: {
            show: true,
            position: "right",
            formatter: (parameters: { dataIndex: number }) =>
              shortLabel(pairs[parameters.dataIndex]?.ice.label ?? "", 24),
            // An interval line or an axis under a name would strike it through.
            backgroundColor: "rgba(255,255,255,0.9)",
            padding: [1, 3],
          },
          labelLayout: { moveOverlap: "shiftY" },
          itemStyle: { color: metricColours.strict },
          z: 5,
        },
        errorBarSeries(points),
      ],
    },
    720,
    440,
  );
  return {
    id: "ice-rse-scatter",
    title: "ICE strict versus RSE overall (as the paper's Figure 1)",
    svg,
    drill: { 0: pairs.map((pair) => drillKeys.ice(pair.iceIndex, "strict")) },
  };
}

/** Lineage similarity heatmap; click a cell for example prompt pairs of those two models. */
export function lineageHeatmap(view: LineageView, lineageIndex: number): RenderedChart {
  const { rows, columns, values } = view.matrix;
  const data: Array<[number, number, number | string]> = [];
  const drillKeysByCell: string[] = [];
  let minimum = Number.POSITIVE_INFINITY;
  let maximum = Number.NEGATIVE_INFINITY;
  rows.forEach((_, rowIndex) => {
    columns.forEach((_, columnIndex) => {
      const value = values[rowIndex]?.[columnIndex];
      const finite = value !== undefined && Number.isFinite(value);
      if (finite && rows[rowIndex] !== columns[columnIndex]) {
        minimum = Math.min(minimum, value);
        maximum = Math.max(maximum, value);
      }
      data.push([columnIndex, rowIndex, finite ? Number(value.toFixed(4)) : "-"]);
      drillKeysByCell.push(drillKeys.lineagePair(lineageIndex, rowIndex, columnIndex));
    });
  });
  if (!Number.isFinite(minimum)) [minimum, maximum] = [0, 1];
  const cell = Math.max(10, Math.min(28, Math.floor(760 / Math.max(1, columns.length))));
  const width = 200 + cell * columns.length + 90;
  const height = 40 + cell * rows.length + 170;
  const svg = render(
    {
      grid: { left: 190, top: 24, width: cell * columns.length, height: cell * rows.length },
      xAxis: {
        type: "category",
        data: columns.map((column) => shortLabel(column, 24)),
        axisLabel: { rotate: 60, interval: 0, fontSize: 10 },
        splitArea: { show: false },
      },
      yAxis: {
        type: "category",
        data: rows.map((row) => shortLabel(row, 28)),
        axisLabel: { interval: 0, fontSize: 10 },
        inverse: true,
      },
      visualMap: {
        min: minimum,
        max: maximum === minimum ? minimum + 1 : maximum,
        calculable: false,
        orient: "vertical",
        right: 0,
        top: 24,
        itemHeight: Math.min(200, cell * rows.length),
        precision: 2,
        text: [maximum.toFixed(2), minimum.toFixed(2)],
        inRange: { color: ["#f7fbff", "#6baed6", "#08306b"] },
      },
      series: [
        { type: "heatmap", name: "similarity", data, emphasis: { itemStyle: { borderColor: "#000" } } },
      ],
    },
    width,
    height,
  );
  return {
    id: `lineage-heatmap-${lineageIndex}`,
    title:
      view.matrix.source === "result"
        ? "Lineage: pairwise similarity"
        : "Lineage: similarity of each model to each candidate",
    svg,
    drill: { 0: drillKeysByCell },
  };
}

/** What a grey node means: no teacher supported, not tested (too few models for a test), or either. */
function greyLegend(view: LineageView): string {
  const untested = view.attributions.filter((attribution) => attribution.untested).length;
  if (untested === 0) return "none supported";
  return untested === view.attributions.length ? "not tested" : "none supported or not tested";
}

/** Attribution graph: each model points to the teacher it was attributed to (p-value on the edge). */
export function attributionGraph(view: LineageView, lineageIndex: number): RenderedChart {
  const names = [
    ...new Set([...view.candidates, ...view.attributions.map((attribution) => attribution.model)]),
  ];
  const attributionByModel = new Map(
    view.attributions.map((attribution, index) => [attribution.model, index]),
  );
  const nodes = names.map((name) => {
    const isCandidate = view.candidates.includes(name);
    const label = shortLabel(name, 20);
    const attributed = view.attributions.find((attribution) => attribution.model === name);
    return {
      name,
      symbolSize: isCandidate ? 22 : 14,
      itemStyle: { color: isCandidate ? "#c4563a" : attributed?.teacher ? "#3569c4" : "#9a9a9a" },
      // A function, not a template string: a model name holding {a}, {b} or {c} is shown as written.
      label: { show: true, formatter: () => label, fontSize: 10 },
    };
  });
  const links = view.attributions.flatMap((attribution) =>
    attribution.teacher === null
      ? []
      : [
          {
            source: attribution.model,
            target: attribution.teacher,
            label: { show: true, formatter: () => pValueLabel(attribution.pValue), fontSize: 9 },
          },
        ],
  );
  const size = Math.max(600, Math.min(960, 320 + names.length * 14));
  const svg = render(
    {
      series: [
        {
          type: "graph",
          layout: "circular",
          circular: { rotateLabel: true },
          data: nodes,
          links,
          edgeSymbol: ["none", "arrow"],
          edgeSymbolSize: 8,
          lineStyle: { color: "#555", width: 1.4, curveness: 0.15 },
          // Room for the longest (20-character) label rotated outward on every side.
          left: 140,
          right: 140,
          top: 110,
          bottom: 110,
        },
      ],
    },
    size,
    size,
  );
  return {
    id: `lineage-graph-${lineageIndex}`,
    title: `Lineage: attributed teachers (red: candidates; blue: attributed; grey: ${greyLegend(view)})`,
    svg,
    drill: {
      0: names.map((name) => {
        const attributionIndex = attributionByModel.get(name);
        return attributionIndex === undefined ? null : drillKeys.attribution(lineageIndex, attributionIndex);
      }),
    },
  };
}
