/**
 * Astrid Nilsson's quote request from Nordkraft AB: nordkraft.se is an account Mats Lindqvist owns in
 * sla/default.yaml, so the lead is his (the owner-away scenarios).
 */
export const MATS = 'mats.lindqvist@kessler-industrial.example';
export const NORDKRAFT_LEAD = 'a.nilsson@nordkraft.se';

export const NORDKRAFT_QUOTE = {
  email: NORDKRAFT_LEAD,
  firstName: 'Astrid',
  lastName: 'Nilsson',
  company: 'Nordkraft AB',
  jobTitle: 'Head of Procurement',
  country: 'SE',
  interest: 'compressors',
  message: 'We need a quote for a second compressor.',
  marketingConsent: false,
  formId: 'quote-request',
} as const;
