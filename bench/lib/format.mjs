// Numbers for people: fixed decimals, thousands separated, '–' when there is no value.

export function fmt(value, digits = 2) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const fmtRatio = (value) => (typeof value === 'number' && Number.isFinite(value) ? `${fmt(value)}×` : '–');
