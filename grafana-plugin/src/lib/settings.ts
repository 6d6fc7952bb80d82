/** A reference offer the Overview compares against; `offer` is the label value in the recorded series. */
export interface ReferenceOffer {
  offer: string;
  label: string;
}

/** What the Configuration page saves in the plugin's jsonData. */
export interface AppSettings {
  datasourceUid?: string;
  idleThreshold: number;
  currency: string;
  /** Units of `currency` per US dollar; the recorded series are in dollars. */
  currencyPerDollar: number;
  referenceOffers: ReferenceOffer[];
}

/** Empty: compare against every offer the billing price book defines. */
export const DEFAULT_REFERENCE_OFFERS: ReferenceOffer[] = [];

/** A readable name for an offer label value without a configured display name: `neocloud_on_demand` → `Neocloud on demand`. */
export function offerDisplayName(offer: string): string {
  const words = offer.replace(/[_-]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : offer;
}

export const DEFAULT_SETTINGS: AppSettings = {
  idleThreshold: 0.1,
  currency: 'USD',
  currencyPerDollar: 1,
  referenceOffers: DEFAULT_REFERENCE_OFFERS,
};

const CURRENCY_CODE = /^[A-Z]{3}$/;

/**
 * Reads jsonData as saved by any version of the plugin (or edited by hand through the API):
 * every field is checked and falls back to its default instead of breaking a page.
 */
export function readSettings(jsonData: unknown): AppSettings {
  const raw = (typeof jsonData === 'object' && jsonData !== null ? jsonData : {}) as Record<string, unknown>;
  const threshold = Number(raw.idleThreshold);
  const rate = Number(raw.currencyPerDollar);
  const currency = typeof raw.currency === 'string' ? raw.currency.trim().toUpperCase() : '';
  return {
    datasourceUid: typeof raw.datasourceUid === 'string' && raw.datasourceUid !== '' ? raw.datasourceUid : undefined,
    idleThreshold: Number.isFinite(threshold) && threshold > 0 && threshold < 1 ? threshold : DEFAULT_SETTINGS.idleThreshold,
    currency: CURRENCY_CODE.test(currency) ? currency : DEFAULT_SETTINGS.currency,
    currencyPerDollar: Number.isFinite(rate) && rate > 0 ? rate : DEFAULT_SETTINGS.currencyPerDollar,
    referenceOffers: readOffers(raw.referenceOffers),
  };
}

function readOffers(value: unknown): ReferenceOffer[] {
  if (!Array.isArray(value)) {
    return DEFAULT_REFERENCE_OFFERS;
  }
  const offers: ReferenceOffer[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) {
      continue;
    }
    const { offer, label } = item as Record<string, unknown>;
    if (typeof offer === 'string' && offer.trim() !== '') {
      offers.push({ offer: offer.trim(), label: typeof label === 'string' && label.trim() !== '' ? label.trim() : offer.trim() });
    }
  }
  return offers;
}

/** Validation messages for the Configuration form; empty when the settings can be saved. */
export function validateSettings(input: { idleThreshold: string; currency: string; currencyPerDollar: string }): string[] {
  const errors: string[] = [];
  const threshold = Number(input.idleThreshold);
  if (!(Number.isFinite(threshold) && threshold > 0 && threshold < 1)) {
    errors.push('Idle threshold must be a ratio between 0 and 1 (e.g. 0.1 for 10 %).');
  }
  if (!CURRENCY_CODE.test(input.currency.trim().toUpperCase())) {
    errors.push('Currency must be a three-letter ISO 4217 code such as USD or EUR.');
  }
  const rate = Number(input.currencyPerDollar);
  if (!(Number.isFinite(rate) && rate > 0)) {
    errors.push('Exchange rate must be a positive number of currency units per US dollar.');
  }
  return errors;
}
