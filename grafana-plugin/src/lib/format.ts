/** Unit formatting for the pages. Every function accepts missing or non-finite input and shows a dash. */

export const NO_VALUE = '—';

export interface CurrencyOptions {
  currency: string;
  /** Units of `currency` per US dollar. */
  currencyPerDollar: number;
}

const USD: CurrencyOptions = { currency: 'USD', currencyPerDollar: 1 };

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, digits: number): Intl.NumberFormat {
  const key = `${currency}:${digits}`;
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
    } catch {
      // An unknown currency code still shows the amount, with the code as a suffix.
      format = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    }
    moneyFormats.set(key, format);
  }
  return format;
}

function isNumber(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** An amount given in dollars, shown in the configured currency. Large amounts drop the cents. */
export function formatMoney(dollars: number | null | undefined, options: CurrencyOptions = USD): string {
  if (!isNumber(dollars)) {
    return NO_VALUE;
  }
  const amount = dollars * options.currencyPerDollar;
  const digits = Math.abs(amount) >= 10000 ? 0 : 2;
  const format = moneyFormat(options.currency, digits);
  const text = format.format(amount);
  return format.resolvedOptions().style === 'currency' ? text : `${text} ${options.currency}`;
}

export function formatMoneyPerHour(dollarsPerHour: number | null | undefined, options: CurrencyOptions = USD): string {
  return isNumber(dollarsPerHour) ? `${formatMoney(dollarsPerHour, options)}/h` : NO_VALUE;
}

/** A 0–1 ratio as a percentage with one decimal. */
export function formatRatio(ratio: number | null | undefined): string {
  return isNumber(ratio) ? `${(ratio * 100).toFixed(1)} %` : NO_VALUE;
}

export function formatCount(count: number | null | undefined): string {
  return isNumber(count) ? new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(count) : NO_VALUE;
}

/**
 * A count with its noun made to agree: "1 straggler", "3 stragglers", "0 stragglers", and "— GPUs"
 * when the count is unknown. Only a count that shows as exactly 1 takes the singular.
 */
export function formatCountOf(count: number | null | undefined, singular: string, plural = `${singular}s`): string {
  const text = formatCount(count);
  return `${text} ${text === '1' ? singular : plural}`;
}

/** GPU-hours: whole hours once there are many, two decimals for a young or small fleet. */
export function formatGpuHours(hours: number | null | undefined): string {
  if (!isNumber(hours)) {
    return NO_VALUE;
  }
  return Math.abs(hours) >= 100 ? formatCount(hours) : hours.toFixed(2);
}

export function formatNumber(value: number | null | undefined, digits = 2): string {
  return isNumber(value) ? value.toFixed(digits) : NO_VALUE;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number | null | undefined): string {
  if (!isNumber(bytes)) {
    return NO_VALUE;
  }
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const sign = bytes < 0 ? '-' : '';
  return `${sign}${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

export function formatBytesPerSecond(bytesPerSecond: number | null | undefined): string {
  return isNumber(bytesPerSecond) ? `${formatBytes(bytesPerSecond)}/s` : NO_VALUE;
}

export function formatWatts(watts: number | null | undefined): string {
  return isNumber(watts) ? `${watts.toFixed(0)} W` : NO_VALUE;
}

export function formatCelsius(celsius: number | null | undefined): string {
  return isNumber(celsius) ? `${celsius.toFixed(0)} °C` : NO_VALUE;
}

/** A duration in seconds, in the largest whole unit that reads naturally (e.g. "6h", "30d"). */
export function formatDuration(seconds: number | null | undefined): string {
  if (!isNumber(seconds) || seconds < 0) {
    return NO_VALUE;
  }
  if (seconds >= 86400 && seconds % 86400 === 0) {
    return `${seconds / 86400}d`;
  }
  if (seconds >= 3600 && seconds % 3600 === 0) {
    return `${seconds / 3600}h`;
  }
  if (seconds >= 60 && seconds % 60 === 0) {
    return `${seconds / 60}m`;
  }
  return `${Math.round(seconds)}s`;
}
