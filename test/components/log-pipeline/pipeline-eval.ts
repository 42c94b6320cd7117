/**
 * Test-only evaluators for the two rendered pipelines: a reader for the subset of the Alloy configuration
 * language the renderer emits, the envsubst step Promtail applies with -config.expand-env, Prometheus
 * relabelling, and the five stages both agents run (CRI, JSON, labels, structured metadata, label drop),
 * implemented from the upstream docs. Both renderings are read back into one neutral form and run over
 * the same discovered pod and the same CRI lines.
 */

// ---------- Alloy syntax (subset) ----------

export type AlloyParsed =
  | string | number | boolean
  | { ref: string }
  | AlloyParsed[]
  | { [k: string]: AlloyParsed };

export interface ParsedBlock {
  name: string;
  label?: string;
  attrs: Record<string, AlloyParsed>;
  blocks: ParsedBlock[];
}

type Tok = { t: 'ident' | 'str' | 'num' | 'punct'; v: string };

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (src.startsWith('//', i)) { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '"') {
      let j = i + 1;
      while (src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      toks.push({ t: 'str', v: JSON.parse(src.slice(i, j + 1)) as string });
      i = j + 1;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i));
    if (id) { toks.push({ t: 'ident', v: id[0] }); i += id[0].length; continue; }
    const num = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i));
    if (num) { toks.push({ t: 'num', v: num[0] }); i += num[0].length; continue; }
    if ('{}[]=,()+'.includes(c)) { toks.push({ t: 'punct', v: c }); i++; continue; }
    throw new Error(`unexpected character ${JSON.stringify(c)} at ${i}`);
  }
  return toks;
}

/** Parses an Alloy document; `env` resolves `sys.env(...)` calls, `+` concatenates strings. */
export function parseAlloy(src: string, env: Record<string, string> = {}): ParsedBlock[] {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const next = () => toks[p++];
  const expect = (v: string) => {
    const t = next();
    if (t?.v !== v) throw new Error(`expected ${v}, got ${t?.v}`);
  };

  function primary(): AlloyParsed {
    const t = next();
    if (t.t === 'str') return t.v;
    if (t.t === 'num') return Number(t.v);
    if (t.t === 'ident') {
      if (t.v === 'true' || t.v === 'false') return t.v === 'true';
      if (peek()?.v === '(') {
        next();
        const arg = expr();
        expect(')');
        if (t.v !== 'sys.env' || typeof arg !== 'string') throw new Error(`unsupported call ${t.v}`);
        return env[arg] ?? '';
      }
      return { ref: t.v };
    }
    if (t.v === '[') {
      const items: AlloyParsed[] = [];
      while (peek().v !== ']') { items.push(expr()); if (peek().v === ',') next(); }
      next();
      return items;
    }
    if (t.v === '{') {
      const obj: Record<string, AlloyParsed> = {};
      while (peek().v !== '}') {
        const k = next();
        expect('=');
        obj[k.v] = expr();
        if (peek().v === ',') next();
      }
      next();
      return obj;
    }
    throw new Error(`unexpected token ${t.v}`);
  }

  function expr(): AlloyParsed {
    let v = primary();
    while (peek()?.v === '+') {
      next();
      const r = primary();
      if (typeof v !== 'string' || typeof r !== 'string') throw new Error('+ on non-strings');
      v = v + r;
    }
    return v;
  }

  function body(end: string | undefined): ParsedBlock {
    const b: ParsedBlock = { name: '', attrs: {}, blocks: [] };
    while (p < toks.length && peek().v !== end) {
      const name = next();
      if (name.t !== 'ident') throw new Error(`expected identifier, got ${name.v}`);
      if (peek().v === '=') { next(); b.attrs[name.v] = expr(); continue; }
      let label: string | undefined;
      if (peek().t === 'str') label = next().v;
      expect('{');
      const inner = body('}');
      expect('}');
      b.blocks.push({ ...inner, name: name.v, ...(label !== undefined ? { label } : {}) });
    }
    return b;
  }

  return body(undefined).blocks;
}

/** drone/envsubst as Promtail applies it with -config.expand-env=true ($$ → $, \\ → \, ${VAR} → value). */
export function envsubst(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\\\\|\\\/|\$\{([A-Za-z0-9_]+)\}|\$([A-Za-z0-9_]+)/g, (m, braced, bare) => {
    if (m === '$$') return '$';
    if (m === '\\\\') return '\\';
    if (m === '\\/') return '/';
    return env[braced ?? bare] ?? '';
  });
}

// ---------- neutral pipeline form ----------

export interface Rule {
  sourceLabels: string[];
  separator: string;
  regex: string;
  targetLabel?: string;
  replacement: string;
  action: string;
}

export type Stage =
  | { kind: 'cri' }
  | { kind: 'json'; expressions: Record<string, string> }
  | { kind: 'labels'; values: Record<string, string> }
  | { kind: 'structuredMetadata'; values: Record<string, string> }
  | { kind: 'labelDrop'; names: string[] };

/** How the writer delivers a batch, in seconds (push timeout, backoff floor and ceiling) and retries. */
export interface Delivery {
  timeout: number;
  minBackoff: number;
  maxBackoff: number;
  retries: number;
}

export interface NeutralPipeline {
  nodeSelector: string;
  rules: Rule[];
  stages: Stage[];
  pushUrl: string;
  tenant?: string;
  externalLabels: Record<string, string>;
  delivery: Delivery;
}

export function rule(r: { source_labels?: string[]; separator?: string; regex?: string; target_label?: string; replacement?: string; action?: string }): Rule {
  return {
    sourceLabels: r.source_labels ?? [],
    separator: r.separator ?? ';',
    regex: r.regex ?? '(.*)',
    ...(r.target_label !== undefined ? { targetLabel: r.target_label } : {}),
    replacement: r.replacement ?? '$1',
    action: r.action ?? 'replace',
  };
}

// ---------- evaluation ----------

/** Prometheus relabelling for the actions the pipeline uses. Returns undefined when the target is dropped. */
export function relabel(labels: Record<string, string>, rules: readonly Rule[]): Record<string, string> | undefined {
  let out = { ...labels };
  for (const r of rules) {
    const value = r.sourceLabels.map((l) => out[l] ?? '').join(r.separator);
    const re = new RegExp(`^(?:${r.regex})$`);
    const m = re.exec(value);
    switch (r.action) {
      case 'keep': if (!m) return undefined; break;
      case 'drop': if (m) return undefined; break;
      case 'replace': {
        if (!m || r.targetLabel === undefined) break;
        const v = r.replacement.replace(/\$(\d+)|\$\{(\d+)\}/g, (_, a, b) => m[Number(a ?? b)] ?? '');
        if (v === '') delete out[r.targetLabel]; else out[r.targetLabel] = v;
        break;
      }
      case 'labeldrop':
        out = Object.fromEntries(Object.entries(out).filter(([k]) => !re.test(k)));
        break;
      default: throw new Error(`action ${r.action} not modelled`);
    }
  }
  return out;
}

/** Labels a file target carries into the pipeline: non-reserved labels plus `filename` (as both agents add). */
export function targetLabels(target: Record<string, string>, file: string): Record<string, string> {
  return { ...Object.fromEntries(Object.entries(target).filter(([k]) => !k.startsWith('__'))), filename: file };
}

export interface Entry {
  line: string;
  timestamp?: string;
  labels: Record<string, string>;
  structuredMetadata: Record<string, string>;
}

/** Runs one file line through the stages, as both agents document them. */
export function runStages(stages: readonly Stage[], raw: string, labels: Record<string, string>): Entry {
  const e: Entry = { line: raw, labels: { ...labels }, structuredMetadata: {} };
  const extracted: Record<string, string> = {};
  for (const s of stages) {
    switch (s.kind) {
      case 'cri': {
        const m = /^(\S+) (stdout|stderr) (F|P) (.*)$/.exec(e.line);
        if (m) { e.timestamp = m[1]; e.labels.stream = m[2]; e.line = m[4]; }
        break;
      }
      case 'json': {
        let obj: unknown;
        try { obj = JSON.parse(e.line); } catch { obj = undefined; }
        if (obj && typeof obj === 'object') {
          for (const [name, path] of Object.entries(s.expressions)) {
            const v = (obj as Record<string, unknown>)[path];
            if (v !== undefined && v !== null) extracted[name] = typeof v === 'string' ? v : JSON.stringify(v);
          }
        }
        break;
      }
      case 'labels':
        for (const [name, src] of Object.entries(s.values)) {
          const v = extracted[src === '' ? name : src];
          if (v !== undefined) e.labels[name] = v;
        }
        break;
      case 'structuredMetadata':
        for (const [name, src] of Object.entries(s.values)) {
          const v = extracted[src === '' ? name : src];
          if (v !== undefined) e.structuredMetadata[name] = v;
        }
        break;
      case 'labelDrop':
        for (const n of s.names) delete e.labels[n];
        break;
    }
  }
  return e;
}

/** A line as it reaches Loki: the writer adds its external labels. */
export function ship(p: NeutralPipeline, target: Record<string, string>, file: string, raw: string): Entry {
  const e = runStages(p.stages, raw, targetLabels(target, file));
  return { ...e, labels: { ...e.labels, ...p.externalLabels } };
}
