/**
 * The typed model every stage shares. Field names here are the public `benchbook inspect --json`
 * interface (see README "JSON interface"): camelCase, durations in milliseconds except `durationS`
 * and the `*S` fields, throughputs per second, absent values `null` (never invented).
 */

export type Severity = 'error' | 'warning' | 'info';

/** A problem attached to an input file, with a place (line or JSON pointer) and a stable rule id. */
export interface Message {
  file: string;
  line?: number;
  pointer?: string;
  severity: Severity;
  rule: string;
  text: string;
}

/** Summary statistics of one metric; each key is null when the source did not give it. */
export interface Stat {
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  min: number | null;
  max: number | null;
}

/**
 * The ids of the formats that yield runs. Empty here: each run format's definition file
 * (src/parse/formats/) adds its own id by module augmentation, so that a new format changes no
 * other file.
 */
export interface RunFormats {}
export type RunFormat = keyof RunFormats & string;

/** One load-generator run: a result block or result file, normalised. */
export interface Run {
  file: string;
  index: number;
  /** 1-based line where the run's block starts in a text file; null for JSON. */
  line: number | null;
  format: RunFormat;
  model: string | null;
  /** Requests in flight the client aimed for (max concurrency); null when unbounded or unknown. */
  concurrency: number | null;
  /**
   * Whether the client streamed the responses: false when the source says it did not (a `stream:
   * false` field, one response "package" per request), true when it says it did, null when it does
   * not say. A run that did not stream has no TTFT, TPOT or ITL: what a tool prints there is its
   * end-to-end latency or an aggregate, so those figures are left empty.
   */
  streaming: boolean | null;
  /** Requests the run was asked to send. */
  requests: number | null;
  completed: number | null;
  failed: number | null;
  maxTokens: number | null;
  /** Configured request rate in req/s; null when infinite or not stated. */
  requestRate: number | null;
  durationS: number | null;
  requestThroughput: number | null;
  inputTokenThroughput: number | null;
  outputTokenThroughput: number | null;
  totalTokenThroughput: number | null;
  peakOutputTokenThroughput: number | null;
  peakConcurrentRequests: number | null;
  inputTokensMean: number | null;
  outputTokensMean: number | null;
  totalInputTokens: number | null;
  totalOutputTokens: number | null;
  latencyMs: Stat | null;
  ttftMs: Stat | null;
  tpotMs: Stat | null;
  itlMs: Stat | null;
  /** Mean end-to-end latency divided by mean output tokens (bench_openai's ms_per_output_token). */
  msPerOutputToken: number | null;
  /** Free-form key/value pairs the tool recorded beside the figures (vLLM `--metadata`, labels). */
  metadata: Record<string, string>;
  /**
   * The parameters a sweep set for this run (`vllm bench sweep` serve and bench overrides such as
   * `max_num_seqs`, `random_input_len`), as written; absent outside sweeps. Runs differing in one
   * are told apart by it in their labels; runs alike in all are repeats.
   */
  params?: Record<string, string>;
  /** Tags taken from the file name, used for pairing (e.g. ["nvfp4", "1gpu", "c16"]). */
  tags: string[];
  /** Label of the run in comparisons: experiment.yaml's label, else derived from the file name. */
  label: string;
  /** The label per locale, where experiment.yaml gives one ({zh: 不绑核, en: no binding}); `label` is then the English one, else the first. */
  labels?: Record<string, string>;
  serverLog: string | null;
  environment: string | null;
  /**
   * Each successful request's figures, where the file keeps them (vLLM `--save-detailed`, SGLang
   * `--output-details`): what goodput is counted from. Left out of `inspect --json`.
   */
  perRequest?: RequestSamples;
}

/** Per-request figures in ms, one entry per successful request, in the file's order. */
export interface RequestSamples {
  ttftMs: number[];
  /** (end-to-end − TTFT) ÷ (its output tokens − 1); null for a one-token output. */
  tpotMs: (number | null)[];
  /** The request's own end-to-end latency where the file keeps it (`e2els`), else TTFT + the sum of its inter-token gaps. */
  e2eMs: number[];
}

export type Engine = 'v0' | 'v1';

/** The codes of server-log findings, stable: scripts and experiment.yaml name them. */
export const FINDING_CODES = [
  'fp8-uncalibrated-scales', 'cuda-oom', 'kv-cache-too-small', 'engine-start-failed', 'preemption', 'generation-config', 'error',
  'kernel-fallback', 'spec-decoding', 'prefix-cache',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export interface Finding {
  code: FindingCode;
  severity: Severity;
  line: number;
  text: string;
  /** For `cuda-oom`: profiling, cuda-graphs, sampler-warmup, serving, or null when unknown. */
  phase?: OomPhase | null;
}

export type OomPhase = 'model-loading' | 'profiling' | 'cuda-graphs' | 'sampler-warmup' | 'serving';

/** One vLLM engine instance read from a server log (a log may hold several). */
export interface ServerLog {
  file: string;
  /** 0-based engine instance within the file. */
  index: number;
  /** Process id of the engine, where the log prefixes lines with it. */
  pid: number | null;
  /** 1-based line where this engine's start was logged. */
  line: number | null;
  vllmVersion: string | null;
  engine: Engine | null;
  model: string | null;
  servedModelName: string | null;
  dtype: string | null;
  quantization: string | null;
  quantizationRequested: string | null;
  kvCacheDtype: string | null;
  kvCacheDtypeRequested: string | null;
  tensorParallelSize: number | null;
  pipelineParallelSize: number | null;
  dataParallelSize: number | null;
  maxModelLen: number | null;
  gpuMemoryUtilization: number | null;
  maxNumSeqs: number | null;
  maxNumBatchedTokens: number | null;
  enforceEager: boolean | null;
  enablePrefixCaching: boolean | null;
  attentionBackend: string | null;
  modelLoadGiB: number | null;
  modelLoadS: number | null;
  availableKvCacheGiB: number | null;
  gpuBlocks: number | null;
  blockSize: number | null;
  kvCacheTokens: number | null;
  maxConcurrency: number | null;
  cudaGraphCaptureS: number | null;
  cudaGraphGiB: number | null;
  initEngineS: number | null;
  /** torch.compile's share of the start (`torch.compile takes 19.37 s in total`, or `(compilation: 9.18 s)` after the init time). */
  torchCompileS: number | null;
  peakPromptTps: number | null;
  peakGenerationTps: number | null;
  metricLines: number;
  /**
   * The prefix-cache hit rate the periodic metrics logged, in %: the last value and the range. vLLM
   * computes it over a rolling window of recent requests, so it is no hit rate of the whole run.
   */
  prefixCacheHitRate: { last: number; min: number; max: number; lines: number } | null;
  /**
   * Speculative decoding as the periodic `SpecDecoding metrics` lines logged it: accepted and drafted
   * tokens summed over the lines (each covers the interval since the one before), their ratio, and
   * the mean acceptance length of the last line.
   */
  specDecoding: { accepted: number | null; drafted: number | null; acceptanceRate: number | null; meanAcceptanceLength: number | null; lines: number } | null;
  /** The user's non-default arguments as logged (`non-default args: {...}` or `args: Namespace(...)`). */
  nonDefaultArgs: Record<string, string | number | boolean | null> | null;
  findings: Finding[];
}

export interface GpuInfo {
  index: number;
  name: string;
  memoryTotalMiB: number | null;
  memoryUsedMiB: number | null;
  busId: string | null;
  /** 'Enabled' / 'Disabled' / 'N/A' as printed; null in layouts without the column. */
  migMode: string | null;
  uuid: string | null;
}

export interface MigDevice {
  gpu: number;
  gi: number | null;
  ci: number | null;
  index: number;
  /** Memory of the GPU instance; compute instances sharing a GI report the same figure. */
  memoryTotalMiB: number | null;
  profile: string | null;
}

export interface Link {
  from: string;
  to: string;
  type: string;
}

export interface NumaNode {
  node: number;
  cpus: string;
  sizeMB: number | null;
  freeMB: number | null;
}

/** The ids of the hardware-capture formats (added by their definition files, like RunFormats). */
export interface EnvironmentKinds {}
export type EnvironmentKind = keyof EnvironmentKinds & string;

/** A hardware capture: the sections found in one file, merged. */
export interface Environment {
  file: string;
  kind: EnvironmentKind;
  /** Every kind of capture found in the file, in order (a file may paste several). */
  sections: EnvironmentKind[];
  driverVersion: string | null;
  cudaVersion: string | null;
  gpus: GpuInfo[];
  migDevices: MigDevice[];
  links: Link[];
  /** CPU affinity per device row of a topology matrix, e.g. {"GPU0": "0-63"}. */
  cpuAffinity: Record<string, string>;
  numaAffinity: Record<string, string>;
  numaNodes: NumaNode[];
}

export interface AccuracyTask {
  task: string;
  metric: string;
  value: number;
  stderr: number | null;
  /** Questions answered correctly and asked, where the source counts them. */
  correct: number | null;
  total: number | null;
  /** Run label or variant this figure belongs to, where the file says. */
  variant: string | null;
}

/** The ids of the accuracy formats (added by their definition files, like RunFormats). */
export interface AccuracyFormats {}
export type AccuracyFormat = keyof AccuracyFormats & string;

export interface Accuracy {
  file: string;
  format: AccuracyFormat;
  model: string | null;
  tasks: AccuracyTask[];
}

export interface Unrecognised {
  file: string;
  reason: string;
}

/** What a chart shows (the charts an experiment gets are chosen from what varies in it). */
export const CHART_KINDS = [
  'throughput',
  'qps',
  'latency',
  'latency-percentiles',
  'ttft',
  'tpot',
  'itl',
  'scaling',
  'sweep-qps',
  'sweep-latency',
  'sweep-throughput',
  'sweep-failed',
  'accuracy',
  'accuracy-vs-throughput',
  'pareto',
  'throughput-latency',
] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** Optional `experiment.yaml`: what no artifact file says. */
/** A service-level objective's metric and the statistic it limits. */
export type SloMetric = 'ttft' | 'tpot' | 'itl' | 'e2e';
export type SloStat = 'mean' | 'p50' | 'p90' | 'p95' | 'p99';
export interface SloCheck {
  metric: SloMetric;
  stat: SloStat;
  limitMs: number;
}
/** The SLO of an experiment: a preset's name (or null) and its limits. */
export interface Slo {
  name: string | null;
  checks: SloCheck[];
}

export interface ExperimentConfig {
  title: Record<string, string>;
  goal: Record<string, string>;
  baseline: string | null;
  runs: Record<string, { label?: string | Record<string, string>; serverLog?: string; environment?: string; launch?: string; gpus?: number }>;
  /** Facts no file states; a value is the same in every locale, or one per locale. */
  facts: Record<string, string | number | boolean | Record<string, string>>;
  /** What the README's section of this experiment shows: which charts, in order (none: []); unset, the first two. */
  readme: { charts: ChartKind[] | null };
  /** The latency objective the runs are checked against, or null. */
  slo: Slo | null;
}

export interface Experiment {
  id: string;
  date: string;
  dir: string;
  config: ExperimentConfig | null;
  runs: Run[];
  serverLogs: ServerLog[];
  environments: Environment[];
  accuracy: Accuracy[];
  unrecognised: Unrecognised[];
  /** Server logs and environments no run was paired with. */
  unpaired: string[];
  /** The author's notes per locale: `notes.<locale>.md` files of the experiment. */
  notes: Record<string, string>;
}

export interface Model {
  experiments: Experiment[];
  messages: Message[];
}

export function emptyStat(): Stat {
  return { mean: null, p50: null, p90: null, p95: null, p99: null, min: null, max: null };
}

/**
 * A run that did not stream has no per-token timings: its "TTFT" is the whole latency and TPOT/ITL
 * are not measured, whatever its file fills in. Applied wherever streaming becomes known.
 */
export function dropUnstreamedTimings(run: Run): void {
  if (run.streaming !== false) return;
  run.ttftMs = null;
  run.tpotMs = null;
  run.itlMs = null;
}

/** A stat with at least one figure, or null when every figure is absent. */
export function statOrNull(stat: Stat): Stat | null {
  return Object.values(stat).some((v) => v !== null) ? stat : null;
}

/** The statistics a run part may hold. */
export type PartStat = 'latencyMs' | 'ttftMs' | 'tpotMs' | 'itlMs';

/**
 * Part of a run kept in a file of its own beside the file of the run it belongs to: EvalScope's
 * `benchmark_percentile.json` and `benchmark_args.json` beside its `benchmark_summary.json`. It is
 * joined with the one run of format `completes` in the same folder, filling what that run lacks.
 */
export interface RunPart {
  file: string;
  completes: RunFormat;
  /** What the file is, for messages ("percentiles", "arguments"). */
  holds: string;
  /** The run's own file as the tool names it, for messages (`benchmark_summary.json`). */
  runFile: string;
  model?: string;
  concurrency?: number;
  requests?: number;
  maxTokens?: number;
  requestRate?: number;
  streaming?: boolean;
  stats?: Partial<Record<PartStat, Stat>>;
  /** Kept beside the run's figures (Run.metadata). */
  metadata?: Record<string, string>;
}

/** Where a run's headline figures come from in its source file (see FormatFacts). */
export type ProvenanceField = 'requestThroughput' | 'inputTokenThroughput' | 'outputTokenThroughput' | 'latency';

/** The quantities whose definition differs between tools (METRICS.md). */
export type MetricName = 'ttft' | 'tpot' | 'itl' | 'latency' | 'outputTokenThroughput' | 'totalTokenThroughput' | 'concurrency';

/**
 * How a tool computes a figure, in short (inspect --json `definitions`; words per locale in
 * `definition.<id>`):
 *   first-token                 TTFT: request sent → first token (or chunk) received
 *   per-request-after-first     TPOT: per request (latency − TTFT) / (output tokens − 1), averaged over requests
 *   pooled-chunk-gaps           ITL: gaps between consecutive streamed chunks, pooled over all requests
 *   per-response-gap-per-token  ITL: per response, gap to the previous one ÷ tokens in it (genai-perf)
 *   request-e2e                 latency: request sent → last token
 *   offline-batch               latency: one offline batch of requests, from its start to its last token (vllm bench latency)
 *   output-tokens-over-duration throughput: all output tokens ÷ the run's wall time
 *   windowed-mean-rate          throughput: mean of the rate over time windows (GuideLLM)
 *   completed-x-mean-over-duration throughput: completed requests × mean output tokens ÷ wall time
 */
export const DEFINITIONS = [
  'first-token',
  'per-request-after-first',
  'pooled-chunk-gaps',
  'per-response-gap-per-token',
  'request-e2e',
  'offline-batch',
  'output-tokens-over-duration',
  'windowed-mean-rate',
  'completed-x-mean-over-duration',
] as const;
export type Definition = (typeof DEFINITIONS)[number];

/** A text in the source's own terms (field names, formulas), or one per locale where it needs words. */
export type Localized = string | Readonly<Record<string, string>>;

/**
 * Where a figure comes from: the source field or formula, or the alternatives across the tool's
 * versions (the one whose fields the file has is cited). Labels a printout shows are in double quotes.
 */
export type Provenance = Localized | readonly Localized[];

/** What an input format says of itself, carried with a loaded experiment so that rendering needs no parser. */
export interface FormatFacts {
  /** What a reader calls the format. */
  name: Localized;
  /** The source fields (or formula) each headline figure comes from, in the unit the report shows. */
  provenance: Readonly<Record<ProvenanceField, Provenance>> | null;
  /** How the tool defines each metric it reports. */
  metrics: Readonly<Partial<Record<MetricName, Localized>>>;
  /** Short ids of those definitions (DEFINITIONS). */
  definitions: Readonly<Partial<Record<MetricName, Definition>>>;
}

/** A Localized text in one locale (the English one, else any, when that locale has none). */
export function localized(text: Localized, locale: string): string {
  return typeof text === 'string' ? text : (text[locale] ?? text['en'] ?? Object.values(text)[0] ?? '');
}

/** The start of a file, cut at a line end, and how many lines the whole file has. */
export interface RawText {
  text: string;
  lines: number;
  /** The whole file's size and SHA-256 (hex), for the raw-data appendix's list of files. */
  bytes: number;
  sha256: string;
}

/**
 * An experiment as the load stage leaves it: the model of its files plus every text rendering needs
 * (nothing later reads the disk).
 */
export interface LoadedExperiment {
  experiment: Experiment;
  /** What reading its files produced, named relative to the artifacts folder (`<id>/<file>`). */
  messages: Message[];
  /** The start of each result file (whole lines) and its line count, by experiment-relative path (for the raw-data section). */
  raw: Record<string, RawText>;
  /** The author's notes per locale (`notes.<locale>.md`). */
  notes: Record<string, string>;
  /** What each format found in it says of itself, by format id. */
  formats: Record<string, FormatFacts>;
  /** Bytes of artifact files read. */
  bytesRead: number;
}

/** A run's configuration key: what makes two runs, in any experiments, the same measurement (assemble/series.ts keyOf). */
export interface RunKey {
  model: string | null;
  precision: string | null;
  gpu: string | null;
  gpuCount: number | null;
  tp: number | null;
  pp: number | null;
  dp: number | null;
  engine: string | null;
  inputLength: number | null;
  outputLength: number | null;
  concurrency: number | null;
  requestRate: number | null;
  tool: string | null;
}

/** What of a server's setup a change between two points of a series is shown with. */
export type SetupField = 'engineVersion' | 'driver' | 'cuda' | 'launchFlags';

/**
 * What the views across experiments need of one run: its key, its headline figures and the setup
 * a change is explained by. Small plain data: the build keeps it with each experiment's entry, so
 * series are found without reading any experiment again.
 */
export interface KeyedRun {
  experiment: string;
  date: string;
  file: string;
  index: number;
  label: string;
  key: RunKey;
  keyId: string;
  outputTokenThroughput: number | null;
  /** p99, or null (a mean never stands in). */
  ttftMs: number | null;
  tpotMs: number | null;
  /** Output tokens/s per GPU the server used, where the GPU count is known. */
  tokPerSecPerGpu: number | null;
  /** Whether the run met its experiment's SLO; null without an SLO or a figure to check. */
  sloMet: boolean | null;
  /** The key's input or output length is a mean rounded to two significant digits, not a length the run was set to. */
  approxLengths: boolean;
  setup: Record<SetupField, string | null>;
}
