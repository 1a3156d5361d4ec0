/**
 * The one error type of the bot layer: input a person typed that cannot be answered. Its message is
 * shown to that person as is (one line, no stack trace); `title` heads the reply.
 */
export class BotInputError extends Error {
  readonly title: string;
  constructor(title: string, message: string) {
    super(message);
    this.name = 'BotInputError';
    this.title = title;
  }
}
