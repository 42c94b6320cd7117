/**
 * The one maximal configuration of the test suites: every optional feature switched on and every
 * optional field set, so invariant tests (security, verification, disruption budgets, NetworkPolicies)
 * also cover the objects that only appear when a user opts in. Add a new option here, not in a suite.
 */
import { join } from 'node:path';
import type { EnvironmentDefinition, PodSettings, StackOverrides } from '../../src/config/types';

/** Placement and metadata every component of the maximal config gets (`<component>.pods`). */
export const MAXIMAL_PODS: PodSettings = {
  nodeSelector: { 'example.com/pool': 'observability' },
  tolerations: [{ key: 'example.com/dedicated', operator: 'Equal', value: 'observability', effect: 'NoSchedule' }],
  affinity: {
    nodeAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }] } }],
    },
  },
  labels: { 'example.com/tier': 'observability' },
  annotations: { 'example.com/owner': 'platform-team' },
};

export const MAXIMAL_OVERRIDES: StackOverrides = {
  common: {
    clusterName: 'maximal',
    labels: { team: 'platform', 'example.com/cost-center': 'obs' },
    annotations: { 'example.com/contact': 'platform@example.com' },
    storageClassName: 'fast-ssd',
    imageRegistry: 'registry.example.com/mirror',
    imagePullSecrets: ['regcred', 'regcred-backup'],
    priorityClassName: 'observability-critical',
    priorityClass: { create: true, value: 1000000, preemptionPolicy: 'PreemptLowerPriority' },
  },
  prometheus: {
    storage: { persistent: true, size: '20Gi', storageClassName: 'fast-ssd' },
    retentionSize: '15GB',
    externalLabels: { region: 'eu-west-1' },
    scrapeAnnotatedPods: true,
    extraScrapeConfigs: [
      {
        jobName: 'payments', scheme: 'https', scrapeInterval: '15s', scrapeTimeout: '5s', metricsPath: '/internal/metrics', sampleLimit: 20000,
        staticConfigs: [{ targets: ['payments.example.com:9443', 'payments-api.payments.svc:8443'], labels: { team: 'payments' } }],
        basicAuth: { username: 'prometheus', secretName: 'payments-scrape', passwordKey: 'password' },
        tlsConfig: { ca: { secretName: 'payments-scrape', key: 'ca.crt' }, serverName: 'payments.example.com' },
        metricRelabelConfigs: [{ sourceLabels: ['__name__'], regex: 'go_.*', action: 'drop' }],
      },
      {
        jobName: 'orders', honorLabels: true,
        kubernetesSdConfigs: [{
          role: 'pod', namespaces: { names: ['orders'] }, port: 'metrics',
          selector: { matchLabels: { 'app.kubernetes.io/name': 'orders' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'worker'] }] },
        }],
        relabelConfigs: [{ sourceLabels: ['__meta_kubernetes_pod_label_team'], targetLabel: 'team' }, { regex: '__meta_kubernetes_pod_annotation_(.+)', action: 'labelmap', replacement: 'annotation_$1' }],
      },
      {
        jobName: 'billing',
        kubernetesSdConfigs: [{ role: 'endpointslice', namespaces: { names: ['billing'] }, selector: { matchLabels: { app: 'billing' } }, port: 8080 }],
      },
      { jobName: 'search', kubernetesSdConfigs: [{ role: 'service', namespaces: { names: ['search'] }, port: 'http-metrics' }] },
    ],
    pods: MAXIMAL_PODS,
  },
  cadvisor: { enabled: true, privileged: true, pods: MAXIMAL_PODS },
  loki: { enabled: true, tenant: 'team-a', storage: { persistent: true, size: '20Gi' }, pods: MAXIMAL_PODS },
  logAgent: 'alloy',
  tempo: {
    enabled: true,
    storage: { persistent: true, size: '20Gi' },
    receivers: { otlpGrpc: true, otlpHttp: true, jaeger: true, zipkin: true },
    metricsGenerator: true,
    pods: MAXIMAL_PODS,
  },
  alloy: { pods: MAXIMAL_PODS },
  promtail: { pods: MAXIMAL_PODS },
  grafana: {
    enabled: true,
    storage: { persistent: true, size: '2Gi' },
    adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
    ingress: { enabled: true, host: 'grafana.example.com', className: 'nginx', tlsSecretName: 'grafana-tls' },
    dashboardsFolder: join(__dirname, 'dashboards'),
    extraDatasources: [
      {
        name: 'Billing DB', type: 'grafana-postgresql-datasource', uid: 'billing-db', url: 'billing-db.billing.svc:5432', user: 'grafana',
        jsonData: { database: 'billing', sslmode: 'require', maxOpenConns: 5 }, secureJsonData: { password: { secretName: 'billing-db-grafana', key: 'password' } },
      },
      {
        name: 'Search', type: 'elasticsearch', uid: 'search-logs', url: 'https://search.example.com:9200',
        basicAuth: { username: 'grafana', secretName: 'search-grafana', passwordKey: 'password' }, jsonData: { index: 'logs-*', timeField: '@timestamp' },
      },
    ],
    pods: MAXIMAL_PODS,
  },
  alerts: {
    enabled: true,
    alertmanagers: [{
      url: 'https://alertmanager.example.com', pathPrefix: '/alertmanager',
      basicAuth: { username: 'prometheus', secretName: 'alertmanager-auth', passwordKey: 'password' },
    }],
    extraRuleGroups: [{
      name: 'payments', interval: '1m', limit: 100,
      rules: [
        { record: 'job:up:sum', expr: 'sum by (job) (up{job=~"payments|orders"})' },
        {
          alert: 'PaymentsTargetDown', expr: 'up{job="payments"} == 0', for: '5m', keepFiringFor: '2m',
          labels: { severity: 'critical', team: 'payments' },
          annotations: { summary: 'Payments target {{ $labels.instance }} is down', description: 'up has been 0 for 5 minutes.' },
        },
      ],
    }],
  },
  demo: { enabled: true, pods: MAXIMAL_PODS },
  kafka: {
    enabled: true,
    storage: { persistent: true, size: '10Gi', storageClassName: 'fast-ssd' },
    retention: '72h',
    topic: { name: 'orders.v1', partitions: 6 },
    pods: MAXIMAL_PODS,
  },
  argocd: { automated: true, prune: true },
  nodeExporter: { textfileDirectory: '/var/lib/node-exporter/textfile', pods: MAXIMAL_PODS },
  kubeStateMetrics: { pods: MAXIMAL_PODS },
  kubernetes: { kubelet: { insecureSkipVerify: false } },
  networkPolicy: {
    enabled: true,
    kubeApiServer: { cidrs: ['172.18.0.0/16'], ports: [6443] },
    nodes: { cidrs: ['172.18.0.0/16'] },
    ingressController: { namespace: 'ingress-nginx', podSelector: { 'app.kubernetes.io/name': 'ingress-nginx' } },
  },
};

/** The maximal overrides on the prod profile, as an environment (the verification suite's `verify-maximal`). */
export const MAXIMAL: EnvironmentDefinition = { name: 'verify-maximal', profile: 'prod', overrides: MAXIMAL_OVERRIDES };
