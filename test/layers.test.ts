/**
 * The layout's one rule: imports run one way, composition → domains → privacy kernel → platform,
 * and nothing imports in a circle. Read from the source with the TypeScript compiler's own import
 * scanner (dependency-cruiser, the maintained tool for this, needs Node 22 in its current releases;
 * the project also runs on Node 20).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..');
const SRC = join(ROOT, 'src');

/** Lower layers never import higher ones. */
const LAYERS = ['platform', 'privacy', 'domains', 'app'] as const;
type Layer = (typeof LAYERS)[number];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const rel = (file: string) => relative(ROOT, file);

function layerOf(file: string): Layer | undefined {
  const top = relative(SRC, file).split('/')[0];
  return (LAYERS as readonly string[]).includes(top) ? (top as Layer) : undefined;
}

/** The domain folder of a file under src/domains, for the domain-level cycle check. */
function domainOf(file: string): string | undefined {
  const parts = relative(SRC, file).split('/');
  return parts[0] === 'domains' ? parts[1] : undefined;
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** Every file of `src` with the files of `src` it imports (type-only imports included). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of filesUnder(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    graph.set(file, importedFiles.flatMap(({ fileName }) => resolveImport(file, fileName) ?? []).filter((f) => f.startsWith(SRC)));
  }
  return graph;
}

/** Strongly connected components with more than one member, or a member importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indices.get(next)!));
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

const graph = importGraph();

test('every source file lives in one of the layers', () => {
  expect([...graph.keys()].filter((f) => !layerOf(f)).map(rel)).toEqual([]);
});

test('no import runs against the direction app → domains → privacy → platform', () => {
  const against = [...graph].flatMap(([file, imports]) =>
    imports
      .filter((target) => LAYERS.indexOf(layerOf(target)!) > LAYERS.indexOf(layerOf(file)!))
      .map((target) => `${rel(file)} (${layerOf(file)}) imports ${rel(target)} (${layerOf(target)})`),
  );
  expect(against).toEqual([]);
});

test('no file imports in a circle', () => {
  expect(cycles(graph).map((component) => component.map(rel))).toEqual([]);
});

test('no two domains import each other, directly or through others', () => {
  const domains = new Map<string, string[]>();
  for (const [file, imports] of graph) {
    const from = domainOf(file);
    if (!from) continue;
    const targets = domains.get(from) ?? [];
    for (const target of imports) {
      const to = domainOf(target);
      if (to && to !== from && !targets.includes(to)) targets.push(to);
    }
    domains.set(from, targets);
  }
  expect(cycles(domains)).toEqual([]);
});

test('the scanner sees imports: the app imports the domains, the kernel and the platform', () => {
  const server = graph.get(join(SRC, 'app/server.ts')) ?? [];
  expect(new Set(server.map((f) => layerOf(f)))).toEqual(new Set(['platform', 'privacy', 'app']));
  const schema = graph.get(join(SRC, 'app/schema.ts')) ?? [];
  expect(schema.some((f) => layerOf(f) === 'domains')).toBe(true);
});
