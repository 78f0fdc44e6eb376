/** Failing against 6bf02e0 (kept out of the suite): a loop puts the same execution to wait again; the resume claim, held per execution id for an hour, refuses the second wait. */
import * as h from '../helpers/hiDreamCallback';
import { items, resumed, styleParams } from '../helpers/hiDreamCallback';
const setup = h.hiDreamCallbackSetup();

test('in a loop, the same execution waits again: the second wait is resumed by its callbacks too', async () => {
	const { server, fake, receiver } = setup;
	server.renderMs = 500;
	const first = await h.submit(setup, styleParams, items(2));
	await resumed(first.execution);
	expect(first.execution.resumedBy).toBe('webhook');
	const firstIds = [...fake.jobs.keys()];
	// the loop's next batch: the same node, the same execution (same id, same resume URL)
	const second = await h.submit(setup, styleParams, items(2), { execution: first.execution });
	expect(second.execution).toBe(first.execution);
	expect(second.execution.status).toBe('waiting');
	const secondIds = [...fake.jobs.keys()].filter((id) => !firstIds.includes(id));
	await resumed(second.execution);
	expect(second.execution.resumedBy).toBe('webhook');
	expect(second.execution.output![0].map((i) => [i.json.jobId, i.json.status])).toEqual(secondIds.map((id) => [id, 'completed']));
	expect(receiver.webhookCalls(first.execution).filter((c) => c.resumed)).toHaveLength(2);
}, 20_000);
