import { describe, expect, it } from '@jest/globals';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { loadSettings, SettingsError } from './settings.js';
import { parseWiringOverrides } from './wiring-overrides.js';

class Sample {
  @IsString()
  SAMPLE_URL!: string;

  @IsInt()
  @Min(1)
  @Max(100)
  SAMPLE_SIZE: number = 10;
}

describe('loadSettings', () => {
  it('reads variables, converts numbers and keeps defaults', () => {
    expect(loadSettings(Sample, { SAMPLE_URL: 'x', SAMPLE_SIZE: '42' })).toEqual(
      Object.assign(new Sample(), { SAMPLE_URL: 'x', SAMPLE_SIZE: 42 }),
    );
    expect(loadSettings(Sample, { SAMPLE_URL: 'x' }).SAMPLE_SIZE).toBe(10);
  });

  it('names each bad or missing variable and the value it had', () => {
    const error = (() => {
      try {
        loadSettings(Sample, { SAMPLE_SIZE: 'lots' });
      } catch (e) {
        return e as SettingsError;
      }
    })();
    expect(error).toBeInstanceOf(SettingsError);
    expect(error?.problems).toEqual([
      'SAMPLE_URL is required (SAMPLE_URL must be a string)',
      expect.stringMatching(/^SAMPLE_SIZE="lots": .*SAMPLE_SIZE must be an integer number/),
    ]);
  });
});

class WithSecret {
  @Matches(/^sk_/, { message: 'SAMPLE_API_KEY must start with sk_' })
  SAMPLE_API_KEY!: string;
}

describe('loadSettings with a secret', () => {
  it('names the variable but never shows its value', () => {
    const error = (() => {
      try {
        loadSettings(WithSecret, { SAMPLE_API_KEY: 'whsec_pasted_in_the_wrong_place' });
      } catch (e) {
        return e as SettingsError;
      }
    })();
    expect(error?.problems).toEqual(['SAMPLE_API_KEY=(31 characters, not shown): SAMPLE_API_KEY must start with sk_']);
    expect(error?.message).not.toContain('whsec_');
  });
});

describe('parseWiringOverrides', () => {
  it('parses handler overrides', () => {
    expect(parseWiringOverrides('{"a.b->c.d": {"enabled": false, "queue": "slow"}}')).toEqual({
      'a.b->c.d': { enabled: false, queue: 'slow' },
    });
    expect(parseWiringOverrides(undefined)).toEqual({});
  });

  it('names the variable and the problem', () => {
    expect(() => parseWiringOverrides('{')).toThrow('COORDINATOR_WIRING is not valid JSON');
    expect(() => parseWiringOverrides('{"x": {"enabled": "no"}}')).toThrow(
      'COORDINATOR_WIRING["x"].enabled must be true or false',
    );
    expect(() => parseWiringOverrides('{"x": {"colour": "red"}}')).toThrow(
      'COORDINATOR_WIRING["x"] has unknown keys: colour',
    );
  });
});
