/**
 * Kubernetes 1.28 API types (L1 constructs) for obs-stack.
 *
 * `cdk8s import k8s` downloads the API definitions at run time, which does not work on machines without
 * internet access. cdk8s-plus-28 ships exactly the classes that importer generates for Kubernetes 1.28
 * (same generator, same 139 `Kube*` classes), so this module re-exports them instead of vendoring a
 * 1.2 MB generated file. Upgrading Kubernetes means switching this one import to a newer cdk8s-plus-XX.
 */
export * from 'cdk8s-plus-28/lib/imports/k8s';
