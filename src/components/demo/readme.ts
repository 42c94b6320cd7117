/** The example services' parts of the environment's README: their image is built and loaded before applying. */
import type { ComponentReadme } from '../component';

export const demoReadme: ComponentReadme = {
  requirements: () => ['docker and kind (the example services\' image is built locally)'],
  beforeApply: (cfg) => ['', '# 3. the example services\' image: built from services/demo and loaded into the kind cluster (name: obs)',
    `docker build -t ${cfg.demo.image.repository}:${cfg.demo.image.tag} services/demo`,
    `kind load docker-image ${cfg.demo.image.repository}:${cfg.demo.image.tag} --name obs`,
    '#    without kind: push the image to a registry the cluster pulls from and set demo.image.repository to it'],
};
