// `npm run bench -- [suite...]`: runs benchmark suites (all when none is named), prints
// their figures as a table and merges them into bench/results/latest.json, keyed by
// suite, so suites run at different times keep each other's last results.
import { readFile, writeFile } from 'node:fs/promises';
import { arch, cpus, loadavg, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** What the value is measured against (e.g. the raw fsync rate), in the same unit. */
  baseline?: number;
  /** value / baseline. */
  ratio?: number;
  /** What a result survives: "power loss", "process crash", or "n/a" for reads. */
  durability?: string;
  note?: string;
}

/** What a suite module exports as `run`. Suite modules import only types from this file. */
export type BenchSuite = () => Promise<Figure[]>;

/** One line per suite; modules load only when their suite runs. */
const suites: Record<string, () => Promise<{ run: BenchSuite }>> = {
  eventstore: () => import('./eventstore.js'),
  projections: () => import('./projections.js'),
  images: () => import('./images.js'),
  launch: () => import('./launch.js'),
  api: () => import('./api.js'),
};

const resultsFile = fileURLToPath(new URL('./results/latest.json', import.meta.url));

function machine() {
  const processors = cpus();
  return {
    cpu: processors[0]?.model ?? 'unknown',
    cores: processors.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()} ${arch()}`,
    /** 1-minute load when the suite ended: above `cores`, other work competed with the benchmark. */
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

function formatNumber(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);
}

function printTable(suite: string, figures: Figure[]): void {
  const rows = figures.map((figure) => [
    figure.name,
    `${formatNumber(figure.value)} ${figure.unit}`,
    figure.ratio === undefined ? '' : `${(figure.ratio * 100).toFixed(0)}% of ${formatNumber(figure.baseline ?? 0)}`,
    figure.durability ?? '',
    figure.note ?? '',
  ]);
  const header = ['figure', 'value', 'vs baseline', 'durability', 'note'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  console.log(`\n== ${suite}`);
  console.log(line(header));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
}

async function readResults(): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(resultsFile, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

async function run(): Promise<void> {
  const requested = process.argv.slice(2).filter((arg) => arg !== '--');
  const unknown = requested.filter((name) => !(name in suites));
  if (unknown.length > 0) {
    console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${Object.keys(suites).join(', ')}`);
    process.exit(2);
  }
  const results = await readResults();
  for (const name of requested.length > 0 ? requested : Object.keys(suites)) {
    const started = Date.now();
    const figures = await (await suites[name]!()).run();
    printTable(name, figures);
    results[name] = { timestamp: new Date().toISOString(), durationSeconds: (Date.now() - started) / 1000, machine: machine(), figures };
    // Written after each suite, so a later suite's failure does not lose earlier results.
    await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  }
  console.log(`\nresults merged into ${resultsFile}`);
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
