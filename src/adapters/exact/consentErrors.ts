/**
 * The errors of connecting Exact (the OAuth callback), in a file of their own: the connect function tells
 * them apart without loading the Exact client (cold start).
 */
/** Raised when the `state` of a callback is unknown, expired or already used (CSRF, replay, double click). */
export class OAuthStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OAuthStateError';
  }
}

/** Raised when Exact refuses the authorization code of a callback (expired, used, or for another redirect URI). */
export class OAuthCodeError extends Error {
  constructor() {
    super(
      'Exact did not accept the authorization code: a code is valid for about 3 minutes, once, for the redirect URI it was issued to; start connecting again',
    );
    this.name = 'OAuthCodeError';
  }
}

/** Raised when the consent must not connect the tenant; the message is for the person who consented. */
export class ConsentRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConsentRefusedError';
  }
}
