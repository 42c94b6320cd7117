/**
 * The one maximal configuration of the test suites: every optional feature switched on and every
 * optional field set, so invariant tests (security, verification, disruption budgets, NetworkPolicies)
 * also cover the objects that only appear when a user opts in. Add a new option here, not in a suite.
 */
import type { EnvironmentDefinition, StackOverrides } from '../../src/config/types';

export const MAXIMAL_OVERRIDES: StackOverrides = {
  common: {
    clusterName: 'maximal',
    labels: { team: 'platform', 'example.com/cost-center': 'obs' },
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
  },
  cadvisor: { enabled: true, privileged: true },
  loki: { enabled: true, tenant: 'team-a', storage: { persistent: true, size: '20Gi' } },
  logAgent: 'alloy',
  tempo: {
    enabled: true,
    storage: { persistent: true, size: '20Gi' },
    receivers: { otlpGrpc: true, otlpHttp: true, jaeger: true, zipkin: true },
    metricsGenerator: true,
  },
  grafana: {
    enabled: true,
    storage: { persistent: true, size: '2Gi' },
    adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
    ingress: { enabled: true, host: 'grafana.example.com', className: 'nginx', tlsSecretName: 'grafana-tls' },
  },
  alerts: {
    enabled: true,
    alertmanagers: [{
      url: 'https://alertmanager.example.com', pathPrefix: '/alertmanager',
      basicAuth: { username: 'prometheus', secretName: 'alertmanager-auth', passwordKey: 'password' },
    }],
  },
  // Every signal of the example services over OTLP to the gateway.
  demo: { enabled: true, otlp: 'all' },
  // Every receiver integration, a route tree, a user template, the Watchdog to a dead man's switch, three meshed peers.
  alertmanager: {
    enabled: true,
    replicas: 3,
    storage: { persistent: true, size: '2Gi' },
    route: {
      receiver: 'team-email',
      routes: [
        { receiver: 'pager', matchers: ['severity="critical"'], continue: true, group_wait: '10s' },
        { receiver: 'team-a-slack', matchers: ['namespace=~"team-a-.*"'], group_by: ['alertname', 'service'], repeat_interval: '12h' },
        { receiver: 'ops-teams', matchers: ['component!=""'] },
      ],
    },
    receivers: [
      { name: 'team-email', email_configs: [{ to: 'oncall@example.com', from: 'alertmanager@example.com', smarthost: 'smtp.example.com:587', auth_username: 'alertmanager', auth_password_file: { secretName: 'alertmanager-receivers', key: 'smtp-password' } }] },
      { name: 'pager', pagerduty_configs: [{ routing_key_file: { secretName: 'alertmanager-receivers', key: 'pagerduty-routing-key' }, severity: 'critical' }], opsgenie_configs: [{ api_key_file: { secretName: 'opsgenie', key: 'api-key' }, api_url: 'https://api.eu.opsgenie.com/', priority: 'P1' }] },
      { name: 'team-a-slack', slack_configs: [{ api_url_file: { secretName: 'alertmanager-receivers', key: 'slack-webhook-url' }, channel: '#team-a', send_resolved: true }] },
      { name: 'ops-teams', msteamsv2_configs: [{ webhook_url_file: { secretName: 'alertmanager-receivers', key: 'teams-webhook-url' } }] },
      { name: 'deadmansswitch', webhook_configs: [{ url_file: { secretName: 'alertmanager-receivers', key: 'deadmansswitch-url' }, send_resolved: false, max_alerts: 1 }] },
    ],
    watchdog: { enabled: true, receiver: 'deadmansswitch', repeat_interval: '1m' },
    templates: { 'team.tmpl': '{{ define "team.footer" }}Runbook: {{ .CommonLabels.alertname }} in the team wiki{{ end }}\n' },
  },
  otlpGateway: { enabled: true, replicas: 2 },
  kafka: {
    enabled: true,
    storage: { persistent: true, size: '10Gi', storageClassName: 'fast-ssd' },
    retention: '72h',
    topic: { name: 'orders.v1', partitions: 6 },
  },
  argocd: { automated: true, prune: true },
  nodeExporter: { textfileDirectory: '/var/lib/node-exporter/textfile' },
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
