/**
 * vLLM server logs → one ServerLog per engine instance. Reads line by line and keeps only
 * per-engine state, so memory stays flat whatever the log's size (`readVllmLogFile` streams).
 *
 * Copes with V0 (`INFO 08-09 13:55:56 llm_engine.py:174]`) and V1 (`INFO 03-18 14:03:56
 * [core.py:93]`) line formats, `(APIServer pid=1)`/`(EngineCore_DP0 pid=143)` prefixes (the pid
 * tells interleaved engines apart), Docker/kubectl/Slurm/`tail -f` wrappers, ANSI colours, CRLF,
 * configs printed as Python reprs, `1,234` numbers and the GB label older versions printed for GiB
 * figures (vLLM always divided by 2**30).
 */
import { open } from 'node:fs/promises';
import { messages } from '../messages.js';
import type { Finding, Message, OomPhase, ServerLog } from '../model.js';
import { asBool, asNumber, asString, readDict, readKeyValues, readNamespace, type PyValue } from './pyrepr.js';
import { cleanLine, parseNumber, type CleanLine } from './text.js';
import { emptyParsed, type Parsed, type TextParser } from './types.js';

/**
 * Before a logger line's level, the name of a platform plugin's logger; after it, the time, with
 * the year and comma milliseconds where that logger prints them (vllm-rbln: `[vllm-rbln] INFO
 * 2026-10-07 21:56:32,186 [api_server.py:1351] …`; vLLM's own: `INFO 03-18 14:03:56 [core.py:93] …`).
 */
const PLUGIN_TAG = String.raw`(?:\[[\w.-]+\] )?`;
const LOG_TIME = String.raw`(?:\d{4}-)?\d\d-\d\d \d\d:\d\d:\d\d(?:[.,]\d+)?`;

/** vLLM's logger line: level, time, `[file:line]`, message. */
const LOGGER = new RegExp(String.raw`^${PLUGIN_TAG}(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL) (${LOG_TIME}) \[?([\w.<>-]+):(\d+)\] ?(.*)$`);
const EXCEPTION = /^((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception|Interrupt|Exit)): (.+)$/;
const OOM = /CUDA out of memory|OutOfMemoryError|CUDA error: out of memory|HIP out of memory/;
const KV_TOO_SMALL =
  /larger than the maximum number of tokens that can be stored in KV cache|No available memory for the cache blocks|KV cache is needed, which is larger than the available KV cache memory|larger than the available KV cache memory/;
const START_FAILED = /EngineCore failed to start|Engine core initialization failed|Engine process failed to start|Failed to start the engine/;
const FP8_SCALES =
  /Using KV cache scaling factor 1\.0 for fp8|Using uncalibrated q_scale|Checkpoint does not provide a q scaling factor|may cause accuracy issues\. Please make sure (?:k\/v|q\/prob)_scale/;
/** A quantized GEMM that runs on a slower path than the checkpoint's format asks for (Marlin weight-only, BF16 emulation). */
const KERNEL_FALLBACK =
  /does not have native support for FP\d+ computation but FP\d+ quantization is being used|falling back to (?:BF16|FP16|bf16|fp16) emulation|(?:kernel|GEMM|CUTLASS|scaled_mm)\b[^.]*\bfall(?:ing)? ?back to|fall(?:ing)? ?back to (?:the )?(?:Marlin|Triton|CUTLASS|torch|naive)\b/i;
/** A cheap first look: every KERNEL_FALLBACK line holds one of these. */
const MAY_FALL_BACK = /back|native support/i;
/** V1 `SpecDecoding metrics: Mean acceptance length: …`; V0 `Speculative metrics: Draft acceptance rate: …`. */
const SPEC_METRICS = /(?:SpecDecoding|Speculative) metrics: (.*)$/;
const PREEMPTED = /is preempted by PreemptionMode|Sequence group \S+ is preempted/;
/**
 * The model's generation config replaced vLLM's sampling defaults (temperature, top_p, …): output
 * lengths change with it. Worded `Default sampling parameters … generation config` before 0.20,
 * `Default vLLM sampling parameters … \`generation_config.json\`` in 0.20.
 */
const GENERATION_CONFIG = /^Default (?:vLLM )?sampling parameters have been overridden by the model's (?:Hugging Face )?(?:generation config|`generation_config\.json`)/;
const SAMPLING_DEFAULTS = /^Using default (?:chat |completion )?sampling params from model: (\{.*\})/;

/** The lines that are findings wherever they appear: enough to read a fragment of a log without its start. */
const FINDING_LINE = new RegExp([FP8_SCALES, KV_TOO_SMALL, START_FAILED, OOM, PREEMPTED, GENERATION_CONFIG, KERNEL_FALLBACK, SPEC_METRICS].map((r) => r.source).join('|'), 'i');

/** vLLM's logger line of V1 (`INFO 03-18 14:03:56 [core.py:93] `), optionally behind a process tag. */
const V1_LOGGER_LINE = new RegExp(String.raw`^(?:\([\w.:-]+ pid=\d+\) )*${PLUGIN_TAG}(?:DEBUG|INFO|WARNING|ERROR|CRITICAL) ${LOG_TIME} \[[\w.<>-]+:\d+\] (.*)$`, 'm');

/** Whether a text is a vLLM log, or a fragment of one: a start marker, or a finding on a vLLM logger line. */
export function looksLikeVllmLog(text: string): boolean {
  if (VLLM_LOG_MARKERS.test(text)) return true;
  const re = new RegExp(V1_LOGGER_LINE.source, 'gm');
  for (const m of text.matchAll(re)) if (FINDING_LINE.test(m[1] ?? '')) return true;
  return false;
}

/** Messages only an engine logs (not the API server's front matter). */
const ENGINE_LEVEL =
  /^(?:Starting to load model|Model loading took|Loading model weights took|Available KV cache memory|GPU KV cache size|# GPU blocks|Maximum concurrency for|Capturing|Graph capturing finished|init engine|Using .*backend)/;

/** Engine markers the sniffer looks for in a file's head. */
export const VLLM_LOG_MARKERS =
  /Initializing an? (?:V[01] )?LLM engine|vLLM API server version|non-default args: \{|Avg prompt throughput: [\d.]+ tokens\/s|# GPU blocks: \d+|GPU KV cache size: [\d,]+ tokens|Model loading took [\d.]+ GiB|Loading model weights took [\d.]+ GB/;

interface EngineState {
  log: ServerLog;
  phase: OomPhase;
  sawSamplerFrame: boolean;
  oom: Finding | null;
  /** Every FP8 scale warning, each with its line (the same text once). */
  fp8: Finding[];
  /** Every kernel fallback, each text once. */
  fallbacks: Finding[];
  /** The last speculative-decoding metrics line and the last logged prefix-cache hit rate, for their findings. */
  specLast: { line: number; text: string } | null;
  /** Line of the last hit rate, and its text where the line was V0's own (V1's is written from the rate). */
  prefixLine: number | null;
  prefixText: string | null;
  generationConfig: Finding | null;
  preemptions: number;
  preemptFirst: { line: number; text: string } | null;
  lastError: { line: number; text: string } | null;
  blockSizeFromArgs: number | null;
  kvLine: number | null;
}

type Pending = Pick<
  ServerLog,
  | 'vllmVersion'
  | 'nonDefaultArgs'
  | 'quantizationRequested'
  | 'kvCacheDtypeRequested'
  | 'maxModelLen'
  | 'gpuMemoryUtilization'
  | 'maxNumSeqs'
  | 'maxNumBatchedTokens'
  | 'model'
  | 'servedModelName'
  | 'kvCacheDtype'
  | 'tensorParallelSize'
  | 'pipelineParallelSize'
  | 'enforceEager'
> & { blockSize: number | null };

function emptyPending(): Pending {
  return {
    vllmVersion: null,
    nonDefaultArgs: null,
    quantizationRequested: null,
    kvCacheDtypeRequested: null,
    maxModelLen: null,
    gpuMemoryUtilization: null,
    maxNumSeqs: null,
    maxNumBatchedTokens: null,
    model: null,
    servedModelName: null,
    kvCacheDtype: null,
    tensorParallelSize: null,
    pipelineParallelSize: null,
    enforceEager: null,
    blockSize: null,
  };
}

function newServerLog(file: string, index: number, pid: number | null, line: number | null, p: Pending): ServerLog {
  return {
    file,
    index,
    pid,
    line,
    vllmVersion: p.vllmVersion,
    engine: null,
    model: p.model,
    servedModelName: p.servedModelName,
    dtype: null,
    quantization: null,
    quantizationRequested: p.quantizationRequested,
    kvCacheDtype: p.kvCacheDtype,
    kvCacheDtypeRequested: p.kvCacheDtypeRequested,
    tensorParallelSize: p.tensorParallelSize,
    pipelineParallelSize: p.pipelineParallelSize,
    dataParallelSize: null,
    maxModelLen: p.maxModelLen,
    gpuMemoryUtilization: p.gpuMemoryUtilization,
    maxNumSeqs: p.maxNumSeqs,
    maxNumBatchedTokens: p.maxNumBatchedTokens,
    enforceEager: p.enforceEager,
    enablePrefixCaching: null,
    attentionBackend: null,
    modelLoadGiB: null,
    modelLoadS: null,
    availableKvCacheGiB: null,
    gpuBlocks: null,
    blockSize: p.blockSize,
    kvCacheTokens: null,
    maxConcurrency: null,
    cudaGraphCaptureS: null,
    cudaGraphGiB: null,
    initEngineS: null,
    torchCompileS: null,
    peakPromptTps: null,
    peakGenerationTps: null,
    metricLines: 0,
    prefixCacheHitRate: null,
    specDecoding: null,
    nonDefaultArgs: p.nonDefaultArgs,
    findings: [],
  };
}

function num(s: string | undefined): number | null {
  return s === undefined ? null : parseNumber(s);
}

function stripTorch(dtype: string | null): string | null {
  return dtype === null ? null : dtype.replace(/^torch\./, '');
}

function trimText(s: string): string {
  return s.length > 400 ? s.slice(0, 400) + '…' : s;
}

/** Canonical attention backend name from the many sentences vLLM has used. */
export function attentionBackendOf(msg: string): string | null {
  let m = /Using (\w+) attention backend out of potential backends/.exec(msg);
  if (m?.[1]) return m[1];
  if (/Using Flash Attention backend/.test(msg)) return 'FLASH_ATTN';
  if (/Using FlashInfer backend/.test(msg)) return 'FLASHINFER';
  if (/Using XFormers backend/.test(msg)) return 'XFORMERS';
  if (/Using (?:Torch SDPA|TorchSDPA) backend/.test(msg)) return 'TORCH_SDPA';
  if (/Using Triton (?:Attention )?backend/i.test(msg)) return 'TRITON_ATTN';
  m = /Using (?:AttentionBackendEnum\.)?([A-Z][A-Z0-9_]+) backend\b/.exec(msg);
  return m?.[1] ?? null;
}

/** Reads a vLLM log fed one line at a time. */
export class VllmLogReader {
  private lineNo = 0;
  private readonly engines: EngineState[] = [];
  private readonly byPid = new Map<number, EngineState>();
  private current: EngineState | null = null;
  private pending: Pending = emptyPending();
  private sawVllm = false;
  /** The last exception logged while no engine had started (an API server failing on its arguments). */
  private orphanError: { line: number; text: string } | null = null;
  private readonly out: Message[] = [];

  constructor(private readonly file: string) {}

  /** Reads one decoded line (LineFeeder has already taken access and metrics lines apart). */
  push(raw: string): void {
    this.lineNo++;
    const c = fastClean(raw);
    const text = c.text;
    if (text.length === 0) return;
    const first = text.charCodeAt(0);
    // Uvicorn access lines ("INFO:     1.2.3.4 - "POST …") are the bulk of a busy log.
    if (first === 73 /* I */ && text.startsWith('INFO:')) return;
    const m = LOGGER.exec(text);
    if (m) {
      const msg = m[5] ?? '';
      this.onMessage(c, msg, m[3] ?? '');
      return;
    }
    this.onRawLine(c, text);
  }

  finish(): { serverLogs: ServerLog[]; messages: Message[] } {
    if (this.engines.length === 0 && this.sawVllm) this.newEngine(null, null, '');
    // An exception before any engine started (the API server's own traceback) is the first engine's error.
    const first = this.engines[0];
    if (first && this.orphanError && (first.lastError === null || first.lastError.line > this.orphanError.line)) first.lastError = this.orphanError;
    const logs: ServerLog[] = [];
    for (const e of this.engines) {
      const log = e.log;
      if (log.kvCacheTokens === null && log.gpuBlocks !== null) {
        const bs = log.blockSize ?? e.blockSizeFromArgs;
        if (bs !== null) log.kvCacheTokens = log.gpuBlocks * bs;
        else {
          log.blockSize = 16;
          log.kvCacheTokens = log.gpuBlocks * 16;
          if (!this.out.some((m) => m.rule === 'assumed-block-size')) {
            this.out.push(messages.logAssumedBlockSize(this.file, e.kvLine ?? log.line ?? 1));
          }
        }
      }
      if (log.kvCacheTokens !== null && log.maxModelLen !== null && log.kvCacheTokens < log.maxModelLen) {
        if (!log.findings.some((f) => f.code === 'kv-cache-too-small')) {
          log.findings.push({
            code: 'kv-cache-too-small',
            severity: 'warning',
            line: e.kvLine ?? log.line ?? 1,
            text: `KV cache holds ${log.kvCacheTokens} tokens, fewer than one request of max_model_len ${log.maxModelLen}`,
          });
        }
      }
      log.findings.push(...e.fp8, ...e.fallbacks);
      if (e.specLast) log.findings.push({ code: 'spec-decoding', severity: 'info', line: e.specLast.line, text: e.specLast.text });
      // A hit rate that stayed 0 says nothing a reader must weigh; one above 0 means cached prefixes shortened prefill.
      const hit = log.prefixCacheHitRate;
      if (e.prefixLine !== null && hit && hit.max > 0) log.findings.push({ code: 'prefix-cache', severity: 'info', line: e.prefixLine, text: e.prefixText ?? `Prefix cache hit rate: ${hit.last}%` });
      if (e.generationConfig) log.findings.push(e.generationConfig);
      if (e.oom) log.findings.push(e.oom);
      if (e.preemptions > 0 && e.preemptFirst) {
        log.findings.push({
          code: 'preemption',
          severity: 'warning',
          line: e.preemptFirst.line,
          text: `${e.preemptions} preemption warning${e.preemptions === 1 ? '' : 's'} (KV cache ran short); first: ${e.preemptFirst.text}`,
        });
      }
      if (e.lastError) log.findings.push({ code: 'error', severity: 'error', line: e.lastError.line, text: e.lastError.text });
      log.findings.sort((a, b) => a.line - b.line || a.code.localeCompare(b.code));
      logs.push(log);
    }
    return { serverLogs: logs, messages: this.out };
  }

  private engineFor(c: CleanLine): EngineState | null {
    if (c.pid !== null) {
      const e = this.byPid.get(c.pid);
      if (e) return e;
    }
    return this.current;
  }

  private newEngine(pid: number | null, line: number | null, loggerFile: string): EngineState {
    const log = newServerLog(this.file, this.engines.length, pid, line, this.pending);
    if (loggerFile === 'core.py') log.engine = 'v1';
    const e: EngineState = {
      log,
      phase: 'model-loading',
      sawSamplerFrame: false,
      oom: null,
      fp8: [],
      fallbacks: [],
      specLast: null,
      prefixLine: null,
      prefixText: null,
      generationConfig: null,
      preemptions: 0,
      preemptFirst: null,
      lastError: null,
      blockSizeFromArgs: this.pending.blockSize,
      kvLine: null,
    };
    this.engines.push(e);
    if (pid !== null) this.byPid.set(pid, e);
    this.current = e;
    return e;
  }

  /** The engine a line belongs to, or the pending front matter of the next engine. */
  private target(c: CleanLine): ServerLog | Pending {
    return this.engineFor(c)?.log ?? this.pending;
  }

  private applyArgs(args: Record<string, PyValue>, target: ServerLog | Pending): void {
    const clean: Record<string, string | number | boolean | null> = {};
    for (const [k, v] of Object.entries(args)) clean[k] = v;
    target.nonDefaultArgs = clean;
    target.quantizationRequested = asString(args['quantization']) ?? target.quantizationRequested;
    target.kvCacheDtypeRequested = asString(args['kv_cache_dtype']) ?? target.kvCacheDtypeRequested;
    target.maxModelLen = asNumber(args['max_model_len']) ?? target.maxModelLen;
    target.gpuMemoryUtilization = asNumber(args['gpu_memory_utilization']) ?? target.gpuMemoryUtilization;
    target.maxNumSeqs = asNumber(args['max_num_seqs']) ?? target.maxNumSeqs;
    target.maxNumBatchedTokens = asNumber(args['max_num_batched_tokens']) ?? target.maxNumBatchedTokens;
    target.tensorParallelSize = asNumber(args['tensor_parallel_size']) ?? target.tensorParallelSize;
    target.pipelineParallelSize = asNumber(args['pipeline_parallel_size']) ?? target.pipelineParallelSize;
    target.enforceEager = asBool(args['enforce_eager']) ?? target.enforceEager;
    target.model = asString(args['model']) ?? asString(args['model_tag']) ?? target.model;
    const served = args['served_model_name'];
    if (typeof served === 'string') target.servedModelName = served.replace(/^\[['"]?|['"]?\]$/g, '');
    const bs = asNumber(args['block_size']);
    if (bs !== null) {
      if ('blockSize' in target) target.blockSize = bs;
      const e = this.current;
      if (e && target === e.log) e.blockSizeFromArgs = bs;
    }
  }

  private onConfig(e: EngineState, config: string): void {
    const kv = readKeyValues(config);
    const log = e.log;
    log.model = asString(kv['model']) ?? log.model;
    const served = asString(kv['served_model_name']);
    if (served && served !== log.model) log.servedModelName = served;
    log.dtype = stripTorch(asString(kv['dtype']));
    log.maxModelLen = asNumber(kv['max_seq_len']) ?? asNumber(kv['max_model_len']) ?? log.maxModelLen;
    log.tensorParallelSize = asNumber(kv['tensor_parallel_size']) ?? log.tensorParallelSize;
    log.pipelineParallelSize = asNumber(kv['pipeline_parallel_size']) ?? log.pipelineParallelSize;
    log.dataParallelSize = asNumber(kv['data_parallel_size']) ?? log.dataParallelSize;
    const q = kv['quantization'];
    // quantization=None: not quantized, said as null (the weights are then the dtype).
    log.quantization = q === null || q === 'None' ? null : (asString(q) ?? log.quantization);
    log.enforceEager = asBool(kv['enforce_eager']) ?? log.enforceEager;
    log.kvCacheDtype = asString(kv['kv_cache_dtype']) ?? log.kvCacheDtype;
    log.enablePrefixCaching = asBool(kv['enable_prefix_caching']) ?? log.enablePrefixCaching;
    const bs = asNumber(kv['block_size']);
    if (bs !== null) log.blockSize = bs;
  }

  lines(): number {
    return this.lineNo;
  }

  /** The last line had no newline: the log was cut mid-line. */
  cutLine(line: number): void {
    this.out.push(messages.truncatedLine(this.file, line));
  }

  /** Counts a line the caller found to be a web-server access line (nothing to read in it). */
  skip(): void {
    this.lineNo++;
  }

  /** A metrics line the caller has already taken apart (the streaming reader does so on bytes). */
  metrics(prompt: number, gen: number, pid: number | null, prefixHit = NaN): void {
    this.lineNo++;
    this.applyMetrics(prompt, gen, pid, prefixHit);
  }

  /** A prefix-cache hit rate (%) logged at the current line. */
  private applyPrefixHit(e: EngineState, hit: number, text: string | null = null): void {
    const r = e.log.prefixCacheHitRate;
    if (r === null) e.log.prefixCacheHitRate = { last: hit, min: hit, max: hit, lines: 1 };
    else {
      r.last = hit;
      if (hit < r.min) r.min = hit;
      if (hit > r.max) r.max = hit;
      r.lines++;
    }
    e.prefixLine = this.lineNo;
    e.prefixText = text;
  }

  private applyMetrics(prompt: number, gen: number, pid: number | null, prefixHit: number): void {
    this.sawVllm = true;
    let e = this.current;
    if (pid !== null) e = this.byPid.get(pid) ?? e;
    e ??= this.newEngine(null, null, '');
    const log = e.log;
    log.metricLines++;
    if (prompt === prompt && (log.peakPromptTps === null || prompt > log.peakPromptTps)) log.peakPromptTps = prompt;
    if (gen === gen && (log.peakGenerationTps === null || gen > log.peakGenerationTps)) log.peakGenerationTps = gen;
    if (prefixHit === prefixHit) this.applyPrefixHit(e, prefixHit);
    e.phase = 'serving';
  }

  private onMessage(c: CleanLine, msg: string, loggerFile: string): void {
    const line = this.lineNo;
    const init = /^Initializing an? (?:(V[01]) )?LLM engine \(v([^)]+)\) with config: (.*)$/.exec(msg);
    if (init) {
      this.sawVllm = true;
      const e = this.newEngine(c.pid, line, loggerFile);
      e.log.vllmVersion = init[2] ?? e.log.vllmVersion;
      e.log.engine = init[1] === 'V1' ? 'v1' : init[1] === 'V0' ? 'v0' : loggerFile === 'core.py' ? 'v1' : 'v0';
      this.onConfig(e, init[3] ?? '');
      return;
    }
    const version = /^vLLM API server version (\S+)/.exec(msg);
    if (version) {
      this.sawVllm = true;
      this.pending = emptyPending();
      this.pending.vllmVersion = version[1] ?? null;
      this.current = null;
      return;
    }
    if (msg.startsWith('non-default args: {')) {
      const body = msg.slice('non-default args: '.length);
      this.applyArgs(readDict(body.slice(1, body.lastIndexOf('}'))), this.target(c));
      return;
    }
    if (msg.startsWith('args: Namespace(')) {
      const args = readNamespace(msg);
      if (args) this.applyArgs(args, this.target(c));
      return;
    }
    let e = this.engineFor(c);
    // A fragment without the engine's start (an excerpt pasted into an issue): its findings still have an engine.
    if (!e && !this.sawVllm && FINDING_LINE.test(msg)) {
      this.sawVllm = true;
      e = this.newEngine(c.pid, null, loggerFile);
    }
    if (this.onFinding(e, msg, line)) return;
    let v0prefix: RegExpExecArray | null;
    if (e && (v0prefix = /^Prefix cache hit rate: GPU: ([\d.]+)%/.exec(msg))) {
      this.applyPrefixHit(e, Number(v0prefix[1]), trimText(msg));
      return;
    }
    const target = e?.log ?? this.pending;
    let m: RegExpExecArray | null;
    if ((m = /^Using max model len (\d+)/.exec(msg))) {
      target.maxModelLen = num(m[1]);
      return;
    }
    if ((m = /max_num_batched_tokens=(\d+)/.exec(msg)) && msg.includes('Chunked prefill')) {
      target.maxNumBatchedTokens = num(m[1]);
      return;
    }
    if (msg.startsWith('Using fp8 data type to store kv cache')) {
      target.kvCacheDtype ??= 'fp8';
      return;
    }
    if (!e) {
      // A log cut before the engine's start line (an excerpt, a rotated file) still has an engine.
      if (!this.sawVllm || !ENGINE_LEVEL.test(msg)) return;
      e = this.newEngine(c.pid, null, loggerFile);
    }
    const log = e.log;
    if ((m = /^torch\.compile (?:takes|took) ([\d.]+) s in total/.exec(msg))) {
      log.torchCompileS ??= num(m[1]);
      return;
    }
    if (msg.startsWith('Starting to load model')) {
      e.phase = 'model-loading';
      return;
    }
    if ((m = /^Model loading took ([\d.]+) (GiB|GB)(?: memory)? and ([\d.]+) seconds/.exec(msg))) {
      log.modelLoadGiB ??= num(m[1]);
      log.modelLoadS ??= num(m[3]);
      e.phase = 'profiling';
      return;
    }
    if ((m = /^Loading model weights took ([\d.]+) (GiB|GB)/.exec(msg))) {
      log.modelLoadGiB ??= num(m[1]);
      e.phase = 'profiling';
      return;
    }
    if ((m = /^Available KV cache memory: ([\d.]+) GiB/.exec(msg))) {
      log.availableKvCacheGiB ??= num(m[1]);
      return;
    }
    if ((m = /^GPU KV cache size: ([\d,]+) tokens/.exec(msg))) {
      log.kvCacheTokens ??= num(m[1]);
      e.kvLine ??= line;
      e.phase = 'cuda-graphs';
      return;
    }
    if ((m = /# GPU blocks: (\d+)/.exec(msg)) || (m = /num_gpu_blocks is: (\d+)/.exec(msg))) {
      log.gpuBlocks ??= num(m[1]);
      e.kvLine ??= line;
      if (msg.includes('# GPU blocks')) e.phase = 'cuda-graphs';
      return;
    }
    if ((m = /^Maximum concurrency for ([\d,]+) tokens per request: ([\d.]+)x/.exec(msg))) {
      log.maxConcurrency ??= num(m[2]);
      log.maxModelLen ??= num(m[1]);
      return;
    }
    if (msg.startsWith('Capturing the model for CUDA graphs') || msg.startsWith('Capturing cudagraphs')) {
      e.phase = 'cuda-graphs';
      return;
    }
    if ((m = /^Graph capturing finished in (\d+) secs?(?:, took ([\d.]+) GiB)?/.exec(msg))) {
      log.cudaGraphCaptureS ??= num(m[1]);
      if (m[2] !== undefined) log.cudaGraphGiB ??= num(m[2]);
      e.phase = log.engine === 'v1' ? 'sampler-warmup' : 'serving';
      return;
    }
    if ((m = /^init engine \(profile, create kv cache, warmup model\) took ([\d.]+) (?:seconds|s)\b(?: \(compilation: ([\d.]+) s\))?/.exec(msg))) {
      log.initEngineS ??= num(m[1]);
      if (m[2] !== undefined) log.torchCompileS ??= num(m[2]);
      e.phase = 'serving';
      return;
    }
    if (msg.startsWith('Starting vLLM API server') || msg.startsWith('Available routes are')) {
      e.phase = 'serving';
      return;
    }
    if (msg.includes('backend') && log.attentionBackend === null && /^Using /.test(msg) && !/sampling|for top-p/.test(msg)) {
      log.attentionBackend = attentionBackendOf(msg);
      return;
    }
  }

  /** Lines that are findings wherever they appear; returns true when the line was one. */
  private onFinding(e: EngineState | null, msg: string, line: number): boolean {
    const spec = msg.includes(' metrics: ') ? SPEC_METRICS.exec(msg) : null;
    if (spec) {
      if (e) this.applySpec(e, spec[1] ?? '', line, msg);
      return true;
    }
    if (MAY_FALL_BACK.test(msg) && KERNEL_FALLBACK.test(msg)) {
      const text = trimText(msg);
      if (e && !e.fallbacks.some((f) => f.text === text)) e.fallbacks.push({ code: 'kernel-fallback', severity: 'warning', line, text });
      return true;
    }
    if (FP8_SCALES.test(msg)) {
      const text = trimText(msg);
      if (e && !e.fp8.some((f) => f.text === text)) e.fp8.push({ code: 'fp8-uncalibrated-scales', severity: 'warning', line, text });
      return true;
    }
    if (GENERATION_CONFIG.test(msg)) {
      if (e && !e.generationConfig) e.generationConfig = { code: 'generation-config', severity: 'warning', line, text: trimText(msg) };
      return true;
    }
    const defaults = SAMPLING_DEFAULTS.exec(msg);
    if (defaults) {
      // The values the generation config set, said once beside its warning.
      if (e?.generationConfig && !e.generationConfig.text.includes('sampling defaults')) e.generationConfig.text += ` (sampling defaults: ${defaults[1]})`;
      return true;
    }
    if (PREEMPTED.test(msg)) {
      if (e) {
        e.preemptions++;
        e.preemptFirst ??= { line, text: trimText(msg) };
      }
      return true;
    }
    if (e && START_FAILED.test(msg)) {
      if (!e.log.findings.some((f) => f.code === 'engine-start-failed')) {
        e.log.findings.push({ code: 'engine-start-failed', severity: 'error', line, text: trimText(msg) });
      }
      return true;
    }
    if (e && KV_TOO_SMALL.test(msg)) {
      if (!e.log.findings.some((f) => f.code === 'kv-cache-too-small')) {
        e.log.findings.push({ code: 'kv-cache-too-small', severity: 'error', line, text: trimText(msg) });
      }
      // also an exception line, read below
    }
    if (msg.includes('_dummy_sampler_run') && e) e.sawSamplerFrame = true;
    if (e && OOM.test(msg)) {
      const phase: OomPhase = /warming up sampler/.test(msg) || e.sawSamplerFrame ? 'sampler-warmup' : e.phase;
      if (!e.oom) e.oom = { code: 'cuda-oom', severity: 'error', line, text: trimText(msg), phase };
      else if (phase === 'sampler-warmup') e.oom.phase = phase;
    }
    const ex = EXCEPTION.exec(msg.trim());
    if (ex) {
      if (e) e.lastError = { line, text: trimText(msg.trim()) };
      else if (this.sawVllm) this.orphanError = { line, text: trimText(msg.trim()) };
      return true;
    }
    return false;
  }

  /**
   * One speculative-decoding metrics line: its accepted and drafted token counts add up (each line
   * covers the interval since the last); the acceptance length is the last line's.
   */
  private applySpec(e: EngineState, body: string, line: number, msg: string): void {
    const field = (re: RegExp): number | null => num(re.exec(body)?.[1]);
    const prev = e.log.specDecoding ?? { accepted: null, drafted: null, acceptanceRate: null, meanAcceptanceLength: null, lines: 0 };
    // V1: "Accepted: 801 tokens, Drafted: 1500 tokens"; V0: "Number of accepted tokens: 801, Number of draft tokens: 1500".
    const accepted = field(/\bAccepted: (\d[\d,]*) tokens/) ?? field(/Number of accepted tokens: (\d[\d,]*\d|\d)/);
    const drafted = field(/\bDrafted: (\d[\d,]*) tokens/) ?? field(/Number of draft tokens: (\d[\d,]*\d|\d)/);
    // V0's counts are totals since the start; V1's are per interval.
    const cumulative = /Number of accepted tokens/.test(body);
    const add = (a: number | null, b: number | null): number | null => (b === null ? a : cumulative ? b : (a ?? 0) + b);
    const sumA = add(prev.accepted, accepted);
    const sumD = add(prev.drafted, drafted);
    let rate = sumA !== null && sumD !== null && sumD > 0 ? sumA / sumD : null;
    if (rate === null) {
      // Only a rate: "Avg Draft acceptance rate: 53.4%" or V0's "Draft acceptance rate: 0.651".
      const pct = field(/acceptance rate: ([\d.]+)%/);
      const frac = field(/Draft acceptance rate: ([\d.]+)(?!\d*%)/);
      rate = pct !== null ? pct / 100 : frac;
    }
    e.log.specDecoding = {
      accepted: sumA,
      drafted: sumD,
      acceptanceRate: rate,
      meanAcceptanceLength: field(/Mean acceptance length: ([\d.]+)/) ?? prev.meanAcceptanceLength,
      lines: prev.lines + 1,
    };
    e.specLast = { line, text: trimText(msg) };
  }

  private onRawLine(c: CleanLine, text: string): void {
    const e = this.engineFor(c);
    const line = this.lineNo;
    if (text.startsWith('Namespace(')) {
      const args = readNamespace(text);
      // A load generator's own arguments are not an engine's.
      if (args && !('endpoint' in args) && !('base_url' in args) && args['bench_type'] !== 'serve') {
        this.pending = emptyPending();
        this.applyArgs(args, this.pending);
        this.current = null;
      }
      return;
    }
    const banner = /^vLLM Version (\S+)/.exec(text);
    if (banner && this.pending.vllmVersion === null) {
      this.pending.vllmVersion = banner[1] ?? null;
      return;
    }
    if (!e) {
      // The API server's traceback before any engine started: its exception is the log's error.
      if (this.sawVllm && EXCEPTION.test(text.trim())) this.orphanError = { line, text: trimText(text.trim()) };
      return;
    }
    if (text.includes('Capturing CUDA graph')) {
      if (e.phase === 'profiling' || e.phase === 'model-loading') e.phase = 'cuda-graphs';
      return;
    }
    this.onFinding(e, text, line);
  }
}

const LEVEL_START = /^(?:INFO|WARNING|ERROR|DEBUG) /;

/** cleanLine, skipping the regex work for the common case of a bare logger line. */
function fastClean(raw: string): CleanLine {
  if (!raw.includes('\x1b') && !raw.endsWith('\r') && LEVEL_START.test(raw)) return { text: raw, pid: null, role: null };
  return cleanLine(raw);
}

function toParsed(reader: VllmLogReader): Parsed {
  const out = emptyParsed();
  const { serverLogs, messages: msgs } = reader.finish();
  out.serverLogs.push(...serverLogs);
  out.messages.push(...msgs);
  if (serverLogs.length > 0) out.formats.push('vllm-log');
  return out;
}

const HTTP = Buffer.from('HTTP/');
const VERSION_1 = Buffer.from('1.1"');
const VERSION_2 = Buffer.from('2"');

/** Whether buf[pos, end) starts with `bytes`. */
function startsAt(buf: Buffer, pos: number, end: number, bytes: Buffer): boolean {
  if (pos + bytes.length > end) return false;
  for (let i = 0; i < bytes.length; i++) if (buf[pos + i] !== bytes[i]) return false;
  return true;
}

/**
 * An access line's protocol, `HTTP/1.1"` or `HTTP/2"`, at `at` (where HTTP/ was found): one needle
 * for both, so that the one a server does not speak costs no search of the whole log.
 */
const accessAt = (buf: Buffer, at: number, end: number): boolean => startsAt(buf, at + HTTP.length, end, VERSION_1) || startsAt(buf, at + HTTP.length, end, VERSION_2);

const METRICS = Buffer.from('Avg prompt throughput: ');
const GENERATION = Buffer.from('Avg generation throughput: ');
const PID = Buffer.from('pid=');
const PREFIX_HIT = Buffer.from('Prefix cache hit rate: ');

/** A decimal number in bytes (digits, `,` separators, one `.`) starting at `pos`, or NaN. */
function numberAt(buf: Buffer, pos: number, end: number): number {
  let v = 0;
  let scale = 0;
  let digits = 0;
  for (let i = pos; i < end; i++) {
    const c = buf[i] ?? 0;
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      if (scale > 0) scale *= 10;
      digits++;
    } else if (c === 46 && scale === 0) scale = 1;
    else if (c === 44 && scale === 0 && digits > 0) continue;
    else break;
  }
  return digits === 0 ? NaN : scale > 1 ? v / scale : v;
}

/** No offset learned yet (Finder.near). */
const NOWHERE = Number.MIN_SAFE_INTEGER;

/**
 * Finds `needle` in buf[from, end) using a cached next position, so a scan stays linear: each
 * Finder is asked with `from` never going back within one buffer.
 */
class Finder {
  private buf: Buffer | null = null;
  private next = -1;
  /** How far before its line's end the needle was last found (-1: not yet). */
  private tail = -1;
  /** Where it was last found from the anchor `near` was given (NOWHERE: not yet). */
  private offset = NOWHERE;
  constructor(private readonly needle: Buffer) {}
  within(buf: Buffer, from: number, end: number): number {
    if (buf !== this.buf || (this.next !== -1 && this.next < from)) {
      this.buf = buf;
      this.next = buf.indexOf(this.needle, from);
    }
    return this.next !== -1 && this.next < end ? this.next : -1;
  }

  /**
   * Whether buf[from, end) holds the needle at a place `accept` takes. Lines of one kind end alike
   * (`HTTP/1.1" 200 OK`), so the place it was last found from the end is tried first, without a
   * search.
   */
  inLine(buf: Buffer, from: number, end: number, accept: (buf: Buffer, at: number, end: number) => boolean): boolean {
    const at = end - this.tail;
    if (this.tail >= 0 && at >= from && startsAt(buf, at, end, this.needle) && accept(buf, at, end)) return true;
    for (let found = this.within(buf, from, end); found >= 0; found = this.within(buf, found + 1, end)) {
      if (!accept(buf, found, end)) continue;
      this.tail = end - found;
      return true;
    }
    return false;
  }

  /**
   * The needle in buf[from, end), tried first `offset` bytes from `anchor`, where it was last
   * found: the fields of a metrics line come in one order and wording, so most lines need no
   * search, which for these needles would cross the access lines between two metrics lines.
   */
  near(buf: Buffer, anchor: number, from: number, end: number): number {
    const at = anchor + this.offset;
    if (this.offset !== NOWHERE && at >= from && startsAt(buf, at, end, this.needle)) return at;
    const found = this.within(buf, from, end);
    if (found >= 0) this.offset = found - anchor;
    return found;
  }
}

/** Longest line kept whole; the rest of a longer one is dropped (it is not a log line). */
const MAX_LINE = 16 << 20;

/**
 * Splits bytes into lines and classifies them on the raw bytes: access and metrics lines (nearly
 * all of a long log) are read without decoding; every other line is decoded and pushed to the
 * reader. The in-memory and the streaming parser both feed it, so they read alike.
 */
class LineFeeder {
  private carry: Buffer | null = null;
  private overlong = false;
  private readonly access = new Finder(HTTP);
  private readonly metrics = new Finder(METRICS);
  private readonly generation = new Finder(GENERATION);
  private readonly pid = new Finder(PID);
  private readonly prefixHit = new Finder(PREFIX_HIT);
  /** The rest (see LogWithRest): decoded lines, one empty line standing in for a run of access and metrics lines. */
  private readonly rest: string[] | null;
  /** The 1-based line in the file of each line of the rest. */
  private readonly restLines: number[] = [];
  /** Lines fed so far. */
  private fed = 0;

  constructor(
    private readonly reader: VllmLogReader,
    keepRest = false,
    private readonly strip: (line: string) => string = (l) => l,
  ) {
    this.rest = keepRest ? [] : null;
  }

  /** Every line that is not an access or metrics line, and the line in the file of each. */
  restOf(): { rest: string; lines: number[] } {
    return { rest: this.rest === null ? '' : this.rest.join('\n'), lines: this.restLines };
  }

  private other(text: string): void {
    this.reader.push(this.strip(text));
    this.fed++;
    if (this.rest === null) return;
    // Empty lines in a row are one to the other formats: a break between blocks.
    if (text === '' && this.rest[this.rest.length - 1] === '') return;
    this.rest.push(text);
    this.restLines.push(this.fed);
  }

  private noise(): void {
    this.fed++;
    if (this.rest === null || this.rest[this.rest.length - 1] === '') return;
    this.rest.push('');
    this.restLines.push(this.fed);
  }

  chunk(buf: Buffer): void {
    let start = 0;
    if (this.carry) {
      // Only the line that straddles the chunks is copied, not the whole chunk.
      const nl = buf.indexOf(10);
      if (nl < 0) {
        this.keep(Buffer.concat([this.carry, buf]));
        return;
      }
      const line = Buffer.concat([this.carry, buf.subarray(0, nl)]);
      this.carry = null;
      this.line(line, 0, line.length);
      start = nl + 1;
    }
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      if (this.overlong) this.overlong = false;
      else this.line(buf, start, nl);
      start = nl + 1;
    }
    if (start < buf.length) this.keep(buf.subarray(start));
  }

  end(): void {
    if (this.carry && this.carry.length > 0) {
      this.line(this.carry, 0, this.carry.length);
      this.reader.cutLine(this.reader.lines());
    }
    this.carry = null;
  }

  private keep(rest: Buffer): void {
    if (this.overlong) return;
    if (rest.length > MAX_LINE) {
      // Read the start of a line too long to be a log line; skip to its end.
      this.other(rest.toString('utf8', 0, 4096));
      this.carry = null;
      this.overlong = true;
      return;
    }
    this.carry = Buffer.from(rest);
  }

  private line(buf: Buffer, start: number, end: number): void {
    const reader = this.reader;
    if (this.access.inLine(buf, start, end, accessAt)) {
      reader.skip();
      this.noise();
      return;
    }
    const ap = this.metrics.within(buf, start, end);
    if (ap < 0) {
      this.other(buf.toString('utf8', start, end));
      return;
    }
    this.noise();
    const gi = this.generation.near(buf, ap, ap, end);
    // The process tag before the metrics (after whatever wraps the line), within the line only.
    const p = this.pid.near(buf, ap, start, ap);
    const hit = this.prefixHit.near(buf, ap, ap, end);
    reader.metrics(
      numberAt(buf, ap + METRICS.length, end),
      gi >= 0 ? numberAt(buf, gi + GENERATION.length, end) : NaN,
      p >= 0 ? numberAt(buf, p + PID.length, end) : null,
      hit >= 0 ? numberAt(buf, hit + PREFIX_HIT.length, end) : NaN,
    );
  }
}

const CHUNK = 1 << 20;

/**
 * Feeds a file in 1 MiB chunks through two buffers in turn: the next chunk is read into one while
 * the other is parsed, and no chunk is a new allocation (the feeder copies what it keeps).
 */
async function feedFile(path: string, feeder: LineFeeder): Promise<void> {
  const fh = await open(path, 'r');
  const buffers: [Buffer, Buffer] = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  let turn = 0;
  const into = (b: Buffer) => fh.read(b, 0, CHUNK, null).then(({ bytesRead }) => b.subarray(0, bytesRead));
  let reading = into(buffers[0]);
  try {
    for (;;) {
      const chunk = await reading;
      if (chunk.length === 0) break;
      turn ^= 1;
      reading = into(turn === 0 ? buffers[0] : buffers[1]);
      feeder.chunk(chunk);
    }
  } finally {
    await reading.catch(() => {});
    await fh.close();
  }
}

/**
 * A server log parsed, and the rest of it for the other parsers (a log may hold a printed result
 * block or a capture): its lines but the access and metrics lines, a run of which (or of empty
 * lines) is one empty line, so that they read kilobytes instead of megabytes; `lines` gives each
 * line's number in the file, so that what they say names the right line.
 */
export interface LogWithRest {
  parsed: Parsed;
  rest: string;
  lines: number[];
}

/** A reader and its line feeder; `done` ends the input and gives what was read. */
function logReader(file: string, keepRest: boolean, strip?: (line: string) => string): { feeder: LineFeeder; done: () => LogWithRest } {
  const reader = new VllmLogReader(file);
  const feeder = new LineFeeder(reader, keepRest, strip);
  return {
    feeder,
    done: () => {
      feeder.end();
      return { parsed: toParsed(reader), ...feeder.restOf() };
    },
  };
}

export function parseVllmLogBytes(bytes: Buffer, file: string, strip?: (line: string) => string): LogWithRest {
  const r = logReader(file, true, strip);
  r.feeder.chunk(bytes);
  return r.done();
}

/** parseVllmLogBytes for a file on disk, streamed in 1 MiB chunks. */
export async function readVllmLogFileWithRest(path: string, file: string, strip?: (line: string) => string): Promise<LogWithRest> {
  const r = logReader(file, true, strip);
  await feedFile(path, r.feeder);
  return r.done();
}

export function parseVllmLogText(text: string, file: string): Parsed {
  const r = logReader(file, false);
  r.feeder.chunk(Buffer.from(text, 'utf8'));
  return r.done().parsed;
}

/** Streams a log file from disk in 1 MiB chunks; memory holds one chunk and the engines' state. */
export async function readVllmLogFile(path: string, file: string): Promise<Parsed> {
  const r = logReader(file, false);
  await feedFile(path, r.feeder);
  return r.done().parsed;
}

export const vllmLog: TextParser = {
  claims: looksLikeVllmLog,
  parse: parseVllmLogText,
};
