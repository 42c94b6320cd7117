/** What cAdvisor's series cost the scraper's node-containers job. */

/** Series cAdvisor exports per container with the cpu, memory, network, disk and diskIO groups (about 70 in 0.60.5), rounded up. */
export const CADVISOR_SERIES_PER_CONTAINER = 100;
