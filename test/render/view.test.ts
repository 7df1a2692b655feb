/** Pieces of the report view that decide what a reader sees. */
import { describe, expect, it } from 'vitest';
import { modelName } from '../../src/render/markdown/view.js';

describe('modelName', () => {
  it('shows a model given as a path by its name, and a hub id as it is', () => {
    expect(modelName('../models/gpt-oss-120b')).toBe('gpt-oss-120b');
    expect(modelName('/data/models/Qwen3-32B-FP8/')).toBe('Qwen3-32B-FP8');
    expect(modelName('./Qwen3-32B')).toBe('Qwen3-32B');
    expect(modelName('C:\\\\models\\\\llama')).toBe('llama');
    expect(modelName('Qwen/Qwen3-32B-FP8')).toBe('Qwen/Qwen3-32B-FP8');
    expect(modelName('meta.llama2-70b-chat-v1')).toBe('meta.llama2-70b-chat-v1');
  });
});
