/**
 * Building the stack's dashboards with the Grafana Foundation SDK (re-exported here, so the components
 * build through this one module): datasource references, the UIDs and files of the dashboards that link to
 * each other, panel helpers that set the options the SDK leaves unset (legend), the final pass that gives
 * every panel an id and every query a refId so the JSON is byte-for-byte stable, and the JSON text.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as tempo from '@grafana/grafana-foundation-sdk/tempo';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { memoByInput } from './memo';
import { type DatasourceRole, stackDatasourceIdentities } from './datasources';

export { common, dashboard, logs, stat, table, timeseries };

/** Dashboard UIDs: stable, so links, alert annotations and bookmarks keep working across upgrades. */
export const DASHBOARD_UIDS = {
  services: 'obs-stack-services',
  containers: 'obs-stack-containers',
  stackHealth: 'obs-stack-health',
} as const;

export const DASHBOARD_FILES = {
  services: 'services-red.json',
  containers: 'containers.json',
  stackHealth: 'stack-health.json',
} as const;

/** A row or panel of the stack-health dashboard, contributed by the component it watches. */
export type HealthItem = dashboard.RowBuilder | cog.Builder<dashboard.Panel>;

/** File name -> dashboard JSON (two-space indented, newline-terminated), built once per distinct input. */
export function dashboardRenderer<I>(build: (input: I) => Record<string, dashboard.Dashboard>): (input: I) => Record<string, string> {
  return memoByInput((input: I) => Object.fromEntries(Object.entries(build(input)).map(([file, d]) => [file, `${JSON.stringify(d, null, 2)}\n`])));
}

/** Tag on every stack dashboard; the "Stack dashboards" dropdown link lists dashboards by it. */
export const DASHBOARD_TAG = 'obs-stack';

/** Grafana path of a dashboard by UID (Grafana redirects `/d/<uid>` to the full slug URL). */
export const dashboardPath = (uid: string): string => `/d/${uid}`;

/** A dashboard's reference to a datasource. */
export interface DatasourceRef {
  readonly type: string;
  readonly uid: string;
}

const refs = new Map<DatasourceRole, DatasourceRef>();

/** The datasource serving `role`, by the uid and plugin its store declares (read when first asked: the registry loads after this module). */
function roleRef(role: DatasourceRole): DatasourceRef {
  let ref = refs.get(role);
  if (ref === undefined) {
    const ids = stackDatasourceIdentities().filter((i) => i.role === role);
    if (ids.length !== 1) throw new Error(`internal: ${ids.length} datasource identities declare the ${role} role; dashboards need exactly one`);
    ref = { type: ids[0].type, uid: ids[0].uid };
    refs.set(role, ref);
  }
  return ref;
}

/** The datasources dashboards query, by role (the metrics one whatever serves it: same uid). */
export const DS = {
  get metrics(): DatasourceRef { return roleRef('metrics'); },
  get logs(): DatasourceRef { return roleRef('logs'); },
  get traces(): DatasourceRef { return roleRef('traces'); },
};

/** A range PromQL query; exemplars only where asked (they cost a second request per panel). */
export function prom(expr: string, legend: string, opts: { exemplar?: boolean; instant?: boolean } = {}): prometheus.DataqueryBuilder {
  const q = new prometheus.DataqueryBuilder().datasource(DS.metrics).expr(expr).legendFormat(legend);
  if (opts.instant) q.instant().format(prometheus.PromQueryFormat.Table);
  else q.range();
  if (opts.exemplar) q.exemplar(true);
  return q;
}

export function logql(expr: string, legend?: string): loki.DataqueryBuilder {
  const q = new loki.DataqueryBuilder().datasource(DS.logs).expr(expr);
  if (legend !== undefined) q.legendFormat(legend);
  return q;
}

export function traceql(query: string, limit: number): tempo.DataqueryBuilder {
  return new tempo.DataqueryBuilder().datasource(DS.traces).queryType('traceql').query(query).limit(limit)
    .tableType(tempo.SearchTableType.Traces);
}

/** A time series panel with a visible legend (the SDK's default hides it) and a shared tooltip. */
export function timeseriesPanel(title: string, description: string, unit: string, w = 8, h = 8): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .unit(unit)
    .span(w)
    .height(h)
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .legend(new common.VizLegendOptionsBuilder()
      .showLegend(true)
      .displayMode(common.LegendDisplayMode.List)
      .placement(common.LegendPlacement.Bottom)
      .calcs([]))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
}

/** Link to another stack dashboard that carries the time range and the variables both share. */
export function dashboardLink(title: string, uid: string, tooltip: string): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder(title)
    .type(dashboard.DashboardLinkType.Link)
    .url(dashboardPath(uid))
    .tooltip(tooltip)
    .icon('dashboard')
    .keepTime(true)
    .includeVars(true)
    .targetBlank(false)
    .asDropdown(false)
    .tags([]);
}

/** Dropdown of every stack dashboard (by tag). */
export function stackDashboardsLink(): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder('Stack dashboards')
    .type(dashboard.DashboardLinkType.Dashboards)
    .tags([DASHBOARD_TAG])
    .asDropdown(true)
    .keepTime(true)
    .includeVars(false)
    .targetBlank(false)
    .icon('external link')
    .tooltip('')
    .url('');
}

/** A Prometheus label-values variable. */
export function promVariable(name: string, label: string, query: string, opts: { includeAll?: boolean; multi?: boolean; hide?: boolean } = {}): dashboard.QueryVariableBuilder {
  const v = new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(DS.metrics)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .includeAll(opts.includeAll ?? false)
    .multi(opts.multi ?? false);
  // ".*" rather than Grafana's "a|b|c": it also matches series without the label (span metrics have no namespace).
  if (opts.includeAll) v.allValue('.*');
  if (opts.hide) v.hide(dashboard.VariableHide.HideVariable);
  return v;
}

/** A Loki label-values variable (`type: 1` is Grafana's LokiVariableQueryType.LabelValues). */
export function lokiVariable(name: string, label: string, lokiLabel: string, stream: string, opts: { hide?: boolean } = {}): dashboard.QueryVariableBuilder {
  const v = new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(DS.logs)
    .query({ type: 1, label: lokiLabel, stream, refId: 'LokiVariableQueryEditor-VariableQuery' })
    .definition(`label_values(${stream}, ${lokiLabel})`)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    // No allValue: "All" then expands to the list of pods, which the link to Containers passes on as a regex.
    .includeAll(true)
    .multi(true);
  if (opts.hide) v.hide(dashboard.VariableHide.HideVariable);
  return v;
}

interface PanelJson { id?: number; type?: string; panels?: PanelJson[]; targets?: Array<{ refId?: string }> }

/**
 * Numbers panels 1..n in layout order and names their queries A, B, ... Grafana would do this itself
 * on first load, but then the provisioned JSON and the one in Grafana differ, and ids change when a panel
 * is added above.
 */
export function finalize(d: dashboard.Dashboard): dashboard.Dashboard {
  let id = 0;
  const visit = (panels: PanelJson[] | undefined) => {
    for (const p of panels ?? []) {
      p.id = ++id;
      (p.targets ?? []).forEach((t, i) => { t.refId = String.fromCharCode(65 + i); });
      visit(p.panels);
    }
  };
  visit(d.panels as PanelJson[]);
  return d;
}

/** A dashboard skeleton every stack dashboard starts from. */
export function baseDashboard(title: string, uid: string, description: string): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags([DASHBOARD_TAG])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .timezone('browser')
    .refresh('30s')
    .time({ from: 'now-1h', to: 'now' })
    .timepicker(new dashboard.TimePickerBuilder().refreshIntervals(['10s', '30s', '1m', '5m', '15m']));
}
