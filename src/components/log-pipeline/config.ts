/** The `logAgent` section: which agent ships container logs to the log store, and what each profile picks. */
import * as z from 'zod';
import { oneOf, type ProfileChanges } from '../../config/fields';

/** Which agent ships container logs to the log store. Promtail is end of life (March 2026); Alloy is its successor. */
export const logAgentSchema = oneOf(['promtail', 'alloy'], 'is not a known log agent', 'use "alloy" (maintained) or "promtail" (end of life since 2026-03-02)');

export type LogAgentKind = z.infer<typeof logAgentSchema>;

// Promtail stays the default log agent because the original design asks for it; `large` runs Alloy.
export const LOG_AGENT_DEFAULT: LogAgentKind = 'promtail';
export const LOG_AGENT_PROFILES: ProfileChanges<LogAgentKind> = { large: 'alloy' };
