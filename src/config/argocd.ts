/**
 * The `argocd` section: where ArgoCD reads `dist/` from and deploys it to. Schema and defaults.
 */
import * as z from 'zod';
import { dnsLabel, flag, hasInvisible, httpUrlProblem, obj, report, text, type Verdict } from './fields';

const REPO_EXAMPLE = 'https://git.example.com/platform/obs-stack.git';
const SSH_URL = /^ssh:\/\/(?:([^@/]*)@)?[A-Za-z0-9.-]+(?::\d{1,5})?\/\S+$/;
const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^/\s]\S*$/;

/** Why `v` is not a Git URL ArgoCD can read without credentials in it. */
function repoUrlProblem(v: string): Verdict {
  if (/^https?:\/\//i.test(v)) return httpUrlProblem(v, REPO_EXAMPLE, { path: true });
  if (!hasInvisible(v) && SCP_LIKE.test(v)) return undefined;
  const ssh = SSH_URL.exec(v);
  if (ssh && !hasInvisible(v)) {
    if (ssh[1] !== undefined && ssh[1].includes(':')) {
      return ['carries a password (user:password@), which would be written into the output', 'use an SSH key: register the repository in ArgoCD with its credentials, e.g. "ssh://git@git.example.com/platform/obs-stack.git"'];
    }
    return undefined;
  }
  return ['is not a Git repository URL', `use e.g. "${REPO_EXAMPLE}" or "git@git.example.com:platform/obs-stack.git"`];
}

// A branch, tag or commit as Git spells refs (git check-ref-format), or HEAD.
const GIT_REF = /^(?!-)(?!\/)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)[A-Za-z0-9._+/-]+(?<!\/)(?<!\.)(?<!\.lock)$/;

export const argoCdSchema = obj({
  /** Git repository ArgoCD reads `dist/` from (never with credentials in it: register those in ArgoCD). */
  repoURL: text(['is not a Git repository URL', `use e.g. "${REPO_EXAMPLE}"`], repoUrlProblem),
  /** Branch, tag or commit. */
  targetRevision: text(['must be a string', 'use a branch, tag or commit, e.g. "main"'], (v) => {
    if (v === '') return ['must not be empty', 'use a branch, tag or commit, e.g. "main"'];
    if (!GIT_REF.test(v)) return ['is not a Git branch, tag or commit', 'use letters, digits and "-", "_", ".", "/", e.g. "main" or "v1.2.0"'];
    return undefined;
  }),
  /** Destination cluster API server (https, never with credentials in it). */
  destinationServer: text(['is not an API server URL', 'use e.g. "https://kubernetes.default.svc"'], (v) => {
    if (!/^https:\/\//.test(v)) return ['is not an API server URL', 'use e.g. "https://kubernetes.default.svc"'];
    return httpUrlProblem(v, 'https://kubernetes.default.svc', { path: true, ipv6Host: true });
  }),
  /** Namespace the Application objects live in. */
  namespace: dnsLabel('argocd'),
  /** Let ArgoCD sync on every commit (opt-in). */
  automated: flag(),
  /** With `automated`: delete objects that left `dist/` (opt-in). */
  prune: flag(),
}).superRefine((a, ctx) => {
  if (a.prune && !a.automated) report(ctx, ['prune'], a.prune, 'has no effect without argocd.automated', 'set argocd.automated: true as well, or prune: false');
}).readonly();

export type ArgoCdConfig = z.infer<typeof argoCdSchema>;

export const ARGOCD_DEFAULTS: ArgoCdConfig = {
  repoURL: REPO_EXAMPLE,
  targetRevision: 'main',
  destinationServer: 'https://kubernetes.default.svc',
  namespace: 'argocd',
  automated: false,
  prune: false,
};
