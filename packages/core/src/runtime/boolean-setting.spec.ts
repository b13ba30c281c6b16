import { describe, expect, it } from '@jest/globals';
import { BooleanSetting } from './boolean-setting.js';
import { loadSettings, SettingsError } from './settings.js';

class Flags {
  @BooleanSetting()
  SAMPLE_ENABLED: boolean = true;
}

describe('BooleanSetting', () => {
  it('parses true and false words and keeps the default when unset', () => {
    expect(loadSettings(Flags, {}).SAMPLE_ENABLED).toBe(true);
    for (const word of ['false', 'FALSE', '0', 'no', 'off']) {
      expect(loadSettings(Flags, { SAMPLE_ENABLED: word }).SAMPLE_ENABLED).toBe(false);
    }
    for (const word of ['true', 'True', '1', 'yes', 'on']) {
      expect(loadSettings(Flags, { SAMPLE_ENABLED: word }).SAMPLE_ENABLED).toBe(true);
    }
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => loadSettings(Flags, { SAMPLE_ENABLED: 'maybe' })).toThrow(SettingsError);
    expect(() => loadSettings(Flags, { SAMPLE_ENABLED: 'maybe' })).toThrow(
      'SAMPLE_ENABLED="maybe": SAMPLE_ENABLED must be true or false',
    );
  });
});
