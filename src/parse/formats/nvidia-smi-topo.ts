/** `nvidia-smi topo -m` matrix (links, CPU and NUMA affinity). */
import { defineFormat } from '../format.js';
import { nvidiaSmiTopo } from '../topology.js';

declare module '../../model.js' {
  interface EnvironmentKinds {
    'nvidia-smi-topo': true;
  }
}

export default defineFormat({
  id: 'nvidia-smi-topo',
  name: 'nvidia-smi topo -m',
  input: 'text',
  yields: 'environment',
  order: 90,
  checkedOn: { en: 'drivers 5xx (8×A100 NV12, 8×H200 NV18 TAB-separated, L40)', zh: '驱动 5xx（8×A100 NV12、8×H200 NV18 制表符分隔、L40）' },
  describes: '`nvidia-smi topo -m` matrix (links, CPU and NUMA affinity)',
  claims: nvidiaSmiTopo.claims,
  parse: nvidiaSmiTopo.parse,
});
