/** MetaX `mx-smi` table (driver, GPUs with memory). */
import { defineFormat } from '../format.js';
import { mxSmi } from '../mx-smi.js';

declare module '../../model.js' {
  interface EnvironmentKinds {
    'mx-smi': true;
  }
}

export default defineFormat({
  id: 'mx-smi',
  input: 'text',
  yields: 'environment',
  order: 100,
  describes: 'MetaX `mx-smi` table (driver, GPUs with memory)',
  claims: mxSmi.claims,
  parse: mxSmi.parse,
});
