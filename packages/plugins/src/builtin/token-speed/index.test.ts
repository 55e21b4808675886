import { describe, expect, it } from '@jest/globals';
import { PluginManager } from '../../plugin-manager.js';
import { createRecordingLogger } from '../../test-helpers.js';

describe('token-speed', () => {
  it('loads from a CCR v2 entry, says where the numbers are, and reports healthy', async () => {
    const logger = createRecordingLogger();
    const manager = new PluginManager({ logger });
    const report = await manager.loadPlugins([
      { name: 'token-speed', enabled: true, options: { interval: 5 } },
    ]);
    expect(report.loaded).toMatchObject([{ name: 'token-speed', source: 'builtin' }]);
    expect(logger.messages('info')).toContainEqual(
      expect.stringContaining('token-speed is recorded by @conduit/monitoring metrics'),
    );
    expect(await manager.getHealth()).toEqual({
      status: 'healthy',
      plugins: [
        {
          name: 'token-speed',
          status: 'healthy',
          message:
            'token speed is reported by @conduit/monitoring as conduit_output_tokens_per_second',
        },
      ],
    });
  });
});
