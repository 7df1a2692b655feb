/** MetaX `mx-smi topo` matrix. */
import { defineFormat } from '../format.js';
import { mxSmiTopo } from '../topology.js';

declare module '../../model.js' {
  interface EnvironmentKinds {
    'mx-smi-topo': true;
  }
}

export default defineFormat({
  id: 'mx-smi-topo',
  name: 'mx-smi topo',
  input: 'text',
  yields: 'environment',
  order: 110,
  checkedOn: { en: 'MetaX mx-smi 2.x (sample experiment)', zh: 'MetaX mx-smi 2.x（示例实验）' },
  describes: 'MetaX `mx-smi topo` matrix',
  claims: mxSmiTopo.claims,
  parse: mxSmiTopo.parse,
});
