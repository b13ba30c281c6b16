import { IsEmail, IsString, Length } from 'class-validator';

// The payload DTO: validated when dispatched and again in the worker.
export class SendNotificationPayload {
  @IsEmail()
  to!: string;

  @IsString()
  @Length(1, 200)
  subject!: string;
}
