throw new Error('plugin setup exploded');
