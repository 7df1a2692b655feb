/** `nvidia-smi --query-gpu=… --format=csv` output. */
import { defineFormat } from '../format.js';
import { nvidiaSmiQuery } from '../nvidia-smi-query.js';

declare module '../../model.js' {
  interface EnvironmentKinds {
    'nvidia-smi-query': true;
  }
}

export default defineFormat({
  id: 'nvidia-smi-query',
  input: 'text',
  yields: 'environment',
  order: 80,
  describes: '`nvidia-smi --query-gpu=… --format=csv` output',
  claims: nvidiaSmiQuery.claims,
  parse: nvidiaSmiQuery.parse,
});
