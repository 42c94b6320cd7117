/**
 * The verification checks, as pure functions (objects in, problems out). test/verification runs each of
 * them over every environment plus a minimal and a maximal config; components added later are covered
 * by the same checks without new wiring. The query grammars and variable substitution live in
 * test/support/queries.ts; checks/queries.ts finds the queries in the output.
 */
export * from './problem';
export { checkSchema, loadK8sSchema, typeProblems, unknownFieldProblems } from './schema';
export { checkReferences, CLUSTER_SCOPED_KINDS } from './references';
export { checkWiring, checkWires, collectAddresses, externalAllowed, resolveServicePort } from './wiring';
export { checkWorkloadSafety, hostAgentExemptions, isPinnedImage, type SafetyExemption } from './safety';
export {
  KEYS_PROMTOOL_2_LACKS, checkKubernetesSd, checkOtlpSection, checkTsdbRetention, clusterNamespacesOf, findPrometheus, forPromtool, promtool, promtoolEach, promtoolMajor,
  substituteKubernetesSd,
} from './prometheus';
export {
  alloyBlocks, checkCorrelation, checkDashboardDatasourceUids, checkDatasourceUids, checkLokiStructuredMetadata, checkPrometheusFlags,
  checkTempoGenerator, checkTraceToLogsTags, logAgentPipelines, lokiConfigs, tempoConfigs,
  checkOtlpGateway, isOtlpGateway, lokiOtlpIndexLabels, ottlSetAttributes,
} from './correlation';
export { checkPodSettings } from './placement';
export { checkMetricNames, checkMetricScopes, checkQueries, extractQueries, type FoundQuery } from './queries';
export { dashboardFiles, datasourceFiles, panelsOf, provisionedDatasources } from './grafana';
export { kustomizeBuild, manifestsFolder } from './kustomize';
export {
  LIMITS, agentDeliveries, checkMemoryCeilings, checkTimeoutChains, lokiEmbeddedCacheBytes, parseByteSize, retryWindow, runnersOf,
} from './resources';
export { hasTool, itWithTool, runTool } from './tools';
export { checkAddressesWired, checkComponentsCovered, checkConfigChecksums } from './invariants';
export { adaptForAmtool, alertmanagerFiles, amtoolCheckConfig, amtoolRoute, amtoolVersion } from './amtool';
