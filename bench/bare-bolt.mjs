// Bolt with nothing but acks, the ack benchmark's floor. Plain JavaScript, run with npm start's node
// flags, so it runs like the compiled bot does. Prints its port once it listens.
import { App, LogLevel } from '@slack/bolt';

const { SLACK_SIGNING_SECRET, SLACK_API_URL, BENCH_COMMAND, BENCH_ACTION } = process.env;
const app = new App({
  token: 'xoxb-bench-token',
  signingSecret: SLACK_SIGNING_SECRET,
  // refdesk logs at warn in the bench; logging must not be the difference.
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: SLACK_API_URL },
});
app.command(BENCH_COMMAND, async ({ ack }) => ack());
app.action(BENCH_ACTION, async ({ ack }) => ack());
const server = await app.start(0);
console.log(server.address().port);
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
