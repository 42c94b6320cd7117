/** Grafana's parts of the environment's README: its admin password, and how to open it. */
import type { ComponentReadme } from '../component';
import { portForwardHint } from './grafana';

export const grafanaReadme: ComponentReadme = {
  ephemeralData: (cfg) => !cfg.grafana.storage.persistent,
  warnings: (cfg) => (cfg.grafana.adminSecret.name === ''
    ? ['Grafana uses its first-login admin password (admin/admin, change forced at first login); set grafana.adminSecret.name outside a laptop cluster']
    : []),
  // The admin Secret's command draws a random password (`adminSecretCommand`).
  requirements: (cfg) => (cfg.grafana.adminSecret.name !== '' ? ['openssl (a random Grafana admin password)'] : []),
  access: (build) => {
    const g = build.env.config.grafana;
    const out = ['## Open Grafana', ''];
    if (g.ingress.enabled) out.push(`${g.ingress.tlsSecretName !== undefined ? 'https' : 'http'}://${g.ingress.host}/`, '');
    else out.push('```sh', portForwardHint(build.endpoints.grafana.http).replace(', then ', '\n# then '), '```', '');
    return out;
  },
};
