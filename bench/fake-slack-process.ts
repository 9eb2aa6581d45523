/**
 * The local Web API server in a process of its own, as a stand-in for the remote Slack: its CPU is not
 * charged to the app under test. Prints its port on stdout; exits on SIGTERM or when stdin closes.
 *
 * Besides `GET /stats`, it answers the made-up method `bench.report`: when each views.open reached it,
 * by trigger_id, on the machine-wide monotonic clock, and the last modal opened (then it forgets them),
 * and the CPU it has used.
 */
import { FakeSlack } from '../test/support/fake-slack.ts';
import { processCpuMs } from './cpu.ts';
import { type FakeReport, REPORT_METHOD } from './external-slack.ts';
import { monotonicMs } from './sender.ts';

const slack = new FakeSlack();
let arrivals: Record<string, number> = {};
let lastView: object | null = null;

slack.intercept((call) => {
  if (call.method === REPORT_METHOD) {
    const report: FakeReport = { arrivals, lastView, cpuMs: processCpuMs() };
    arrivals = {};
    lastView = null;
    return { body: { ok: true, ...report } };
  }
  if (call.method !== 'views.open') return undefined;
  const triggerId = String(call.params.trigger_id);
  arrivals[triggerId] = monotonicMs();
  // Answer like Slack, but keep only the trigger_id of the call: a whole run's modals would fill the heap.
  const view = call.params.view as object;
  lastView = view;
  call.params = { trigger_id: triggerId };
  return { body: { ok: true, view: { id: `V${slack.calls.length}`, ...view } } };
});

await slack.start();
process.stdout.write(`${slack.port}\n`);

const stop = () => void slack.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop).resume();
