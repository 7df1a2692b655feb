/** Result JSON of the OpenAI-compatible bench script (`bench_openai.py`): raw counts and times, plus its own `derived` figures. */
import { benchOpenai } from '../bench-openai.js';
import { defineFormat } from '../format.js';

declare module '../../model.js' {
  interface RunFormats {
    'bench-openai': true;
  }
}

export default defineFormat({
  id: 'bench-openai',
  input: 'json',
  yields: 'runs',
  order: 10,
  describes: 'result JSON of the OpenAI-compatible bench script (`bench_openai.py`): counts, times, `latency_s`, `token_usage`, `derived`',
  claims: benchOpenai.claims,
  parse: benchOpenai.parse,
  provenance: {
    requestThroughput: 'ok / total_time_s',
    inputTokenThroughput: 'ok × token_usage.prompt_tokens_mean / total_time_s',
    outputTokenThroughput: 'ok × token_usage.completion_tokens_mean / total_time_s',
    latency: 'latency_s.{mean,p50,p95} × 1000',
  },
  metrics: {
    latency: 'per request, send to the full (non-streamed) response, in seconds',
    outputTokenThroughput: 'successful requests × mean completion tokens / wall time of the run',
  },
});
