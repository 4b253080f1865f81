/** Channels as the Dataverse choice `eol_channels` / `eol_dispatchchannel` numbers them. */
export const CHANNEL_CODE = { peppol: 1, postbox: 2, email: 3, paper: 4 } as const;
export type Channel = keyof typeof CHANNEL_CODE;
export const CHANNELS: readonly Channel[] = ['peppol', 'postbox', 'email', 'paper'];

/** Where Exact takes the email address from for `SendEmailToCustomer` (decision 0070). */
export type RecipientSource = 'contactPerson' | 'account';
