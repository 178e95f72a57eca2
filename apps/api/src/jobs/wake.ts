// The running share worker's wake-up, for services: after a commit that queued submissions, call
// wakeShareWorker(); without a worker (no SHARE_SERVICE_URL) the submissions simply wait in the queue.
let wake: (() => void) | undefined;

export function setShareWake(fn: (() => void) | undefined) {
  wake = fn;
}

export function wakeShareWorker() {
  wake?.();
}
