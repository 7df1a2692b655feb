/** `nvidia-smi -L` list (GPU names, UUIDs, MIG devices). */
import { defineFormat } from '../format.js';
import { nvidiaSmiList } from '../nvidia-smi-list.js';

declare module '../../model.js' {
  interface EnvironmentKinds {
    'nvidia-smi-list': true;
  }
}

export default defineFormat({
  id: 'nvidia-smi-list',
  input: 'text',
  yields: 'environment',
  order: 70,
  describes: '`nvidia-smi -L` list (GPU names, UUIDs, MIG devices)',
  claims: nvidiaSmiList.claims,
  parse: nvidiaSmiList.parse,
});
