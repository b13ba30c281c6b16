/** Environment variables whose values are secrets: keys, secrets, passwords, tokens, credentials. */
export const SECRET_VARIABLE = /API_KEY|SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_KEY|CREDENTIALS/i;
