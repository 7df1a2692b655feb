/** JSON as Python writes it: bare NaN and Infinity tokens, outside strings only. */
import { describe, expect, it } from 'vitest';
import { parseJson, withPythonTokens } from '../../src/parse/json.js';

describe('withPythonTokens', () => {
  it('turns bare NaN and ±Infinity into values a field reader names, and leaves strings and words alone', () => {
    expect(withPythonTokens('{"a": NaN, "b": Infinity, "c": -Infinity, "d": "NaN in a string", "NaNo": 1}')).toBe(
      '{"a": "NaN", "b": 1e999, "c": -1e999, "d": "NaN in a string", "NaNo": 1}',
    );
    expect(withPythonTokens('{"s": "say \\"Infinity\\"", "x": 1}')).toBeNull();
    const parsed = parseJson('{"request_rate": Infinity, "ttft": NaN}', 'a.json');
    expect(parsed).toEqual({ ok: true, value: { request_rate: Infinity, ttft: 'NaN' } });
  });

  it('still reports JSON that is broken in another way, with its line', () => {
    const parsed = parseJson('{"a": NaN,\n "b": }', 'a.json');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatchObject({ rule: 'json-syntax', line: 2 });
  });
});
