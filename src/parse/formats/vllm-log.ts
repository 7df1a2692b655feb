/** A vLLM server log: engine facts (version, quantization, dtype, KV cache, parallelism) and findings with stable codes. */
import { defineFormat } from '../format.js';
import { parseVllmLogBytes, readVllmLogFileWithRest, VLLM_LOG_MARKERS, vllmLog } from '../vllm-log.js';

export default defineFormat({
  id: 'vllm-log',
  name: { en: 'vLLM server log', zh: 'vLLM 服务端日志' },
  input: 'text',
  yields: 'server-logs',
  order: 130,
  checkedOn: 'vLLM 0.4 – 0.13',
  describes: 'a vLLM server log: engine facts (version, quantization, dtype, KV cache, parallelism, memory) and findings (FP8 scales, OOM, preemption, …)',
  claims: vllmLog.claims,
  parse: vllmLog.parse,
  whole: {
    looksLike: (head) => VLLM_LOG_MARKERS.test(head),
    none: 'text file with no vLLM engine in it',
    fromBytes: parseVllmLogBytes,
    fromFile: readVllmLogFileWithRest,
  },
});
