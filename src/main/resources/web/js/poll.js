// Repeats an async task every `ms` milliseconds, one run at a time, skipping runs while the tab is hidden;
// the task returns false to stop.

export function poll(task, ms) {
  let timer = null;
  let stopped = false;
  const run = async () => {
    if (stopped) return;
    if (!document.hidden) {
      try {
        if ((await task()) === false) stopped = true;
      } catch (error) {
        console.warn('refresh failed', error);
      }
    }
    if (!stopped) timer = setTimeout(run, ms);
  };
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
