// The ack benchmark's baseline: bare Bolt that acks, then opens a modal through Bolt's own client, the Web
// API work refdesk does for the same request. Plain JavaScript, run with npm start's node flags, so it runs
// like the compiled bot does. Reads the modals as JSON on stdin, { command, action }: the ones refdesk opened.
// Prints its port once it listens. BENCH_EXTRA_LISTENERS registers that many more listeners that never match, so
// Bolt walks as many per request as it does in refdesk (npm run bench -- ack --listeners).
import { text } from 'node:stream/consumers';
import { App, LogLevel } from '@slack/bolt';

const { SLACK_SIGNING_SECRET, SLACK_API_URL, BENCH_COMMAND, BENCH_ACTION } = process.env;
const views = JSON.parse(await text(process.stdin));
const app = new App({
  token: 'xoxb-bench-token',
  signingSecret: SLACK_SIGNING_SECRET,
  // refdesk logs at warn in the bench; logging must not be the difference.
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: SLACK_API_URL },
});
function opening(view) {
  return async ({ ack, client, body }) => {
    await ack();
    // refdesk reads before it opens the modal, so its ack goes out first; so does this one.
    await new Promise((resolve) => setImmediate(resolve));
    await client.views.open({ trigger_id: body.trigger_id, view });
  };
}
for (let i = 0; i < Number(process.env.BENCH_EXTRA_LISTENERS ?? 0); i++) {
  app.action(`bench_unused_${i}`, async ({ ack }) => ack());
}
app.command(BENCH_COMMAND, opening(views.command));
app.action(BENCH_ACTION, opening(views.action));
const server = await app.start(0);
console.log(server.address().port);
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
