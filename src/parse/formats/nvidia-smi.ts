/** `nvidia-smi` table (driver, CUDA, GPUs with memory, MIG devices). */
import { defineFormat } from '../format.js';
import { nvidiaSmi } from '../nvidia-smi.js';

declare module '../../model.js' {
  interface EnvironmentKinds {
    'nvidia-smi': true;
  }
}

export default defineFormat({
  id: 'nvidia-smi',
  input: 'text',
  yields: 'environment',
  order: 60,
  describes: '`nvidia-smi` table (driver, CUDA, GPUs with memory, MIG devices)',
  claims: nvidiaSmi.claims,
  parse: nvidiaSmi.parse,
});
