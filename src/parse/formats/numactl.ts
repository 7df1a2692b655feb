/** `numactl --hardware` (NUMA nodes, CPUs, memory). */
import { defineFormat } from '../format.js';
import { numactl } from '../numactl.js';

declare module '../../model.js' {
  interface EnvironmentKinds {
    'numactl': true;
  }
}

export default defineFormat({
  id: 'numactl',
  input: 'text',
  yields: 'environment',
  order: 120,
  describes: '`numactl --hardware` (NUMA nodes, CPUs, memory)',
  claims: numactl.claims,
  parse: numactl.parse,
});
