import { IsUrl } from 'class-validator';

// Property names are the environment variables, prefixed with the extension's name.
export class NotificationsSettings {
  @IsUrl({ require_tld: false, require_protocol: true })
  NOTIFICATIONS_EMAIL_URL!: string;
}
