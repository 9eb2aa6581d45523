// Bolt with nothing but acks, the ack benchmark's floor. Plain JavaScript, run with npm start's node
// flags, so it runs like the compiled bot does. Prints its port once it listens.
// With BENCH_FOLLOW_UP_VIEW set, it also opens that modal after each ack, through Bolt's own client: the
// least an app can do after acking, to tell the cost of that one call from the cost of refdesk's own work.
import { App, LogLevel } from '@slack/bolt';

const { SLACK_SIGNING_SECRET, SLACK_API_URL, BENCH_COMMAND, BENCH_ACTION, BENCH_FOLLOW_UP_VIEW } =
  process.env;
const app = new App({
  token: 'xoxb-bench-token',
  signingSecret: SLACK_SIGNING_SECRET,
  // refdesk logs at warn in the bench; logging must not be the difference.
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: SLACK_API_URL },
});
const followUp = BENCH_FOLLOW_UP_VIEW
  ? async ({ client, body }) => {
      await new Promise((resolve) => setImmediate(resolve));
      await client.views.open({ trigger_id: body.trigger_id, view: BENCH_FOLLOW_UP_VIEW });
    }
  : async () => {};
const answer = async (args) => {
  await args.ack();
  await followUp(args);
};
app.command(BENCH_COMMAND, answer);
app.action(BENCH_ACTION, answer);
const server = await app.start(0);
console.log(server.address().port);
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
