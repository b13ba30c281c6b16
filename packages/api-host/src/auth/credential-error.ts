/** Credentials were presented but are not valid: answered 401 with this message. */
export class CredentialError extends Error {
  override readonly name = 'CredentialError';
}
