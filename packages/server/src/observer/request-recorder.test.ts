import { silentLogger } from '@conduit/core';
import { describe, expect, it } from '@jest/globals';
import type { RequestRecord } from './request-observer.js';
import { RequestRecorder } from './request-recorder.js';

function recorderWithLog() {
  const events: string[] = [];
  const recorder = new RequestRecorder({
    requestId: 'req_1',
    observer: {
      onRequestComplete: (record: RequestRecord) => {
        events.push(`observer ${record.status}`);
      },
    },
    logger: silentLogger,
    now: () => 0,
    onFinish: () => events.push('finished'),
  });
  recorder.onRecord(record => events.push(`listener ${record.status}`));
  return { recorder, events };
}

const ok = { status: 200, outcome: null, errorType: null, streamed: false };

describe('RequestRecorder.finish', () => {
  it('hands the record over at once by default', () => {
    const { recorder, events } = recorderWithLog();
    recorder.finish(ok);
    expect(events).toEqual(['finished', 'listener 200', 'observer 200']);
  });

  it('hands the record over when the scheduled task runs, then ends the request', () => {
    const { recorder, events } = recorderWithLog();
    const tasks: Array<() => void> = [];
    recorder.finish(ok, task => tasks.push(task));
    expect(events).toEqual([]);
    expect(tasks).toHaveLength(1);
    tasks[0]?.();
    // The in-flight entry ends last, so a shutdown waiting for it finds the record handed over.
    expect(events).toEqual(['listener 200', 'observer 200', 'finished']);
  });

  it('keeps the first ending and the record it was given', () => {
    const { recorder, events } = recorderWithLog();
    const tasks: Array<() => void> = [];
    recorder.finish(ok, task => tasks.push(task));
    recorder.finish({ ...ok, status: 500 });
    for (const task of tasks) task();
    expect(events).toEqual(['listener 200', 'observer 200', 'finished']);
  });
});
