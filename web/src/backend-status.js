// The header line that says which inference backend runs the models, and why.

const element = () => document.getElementById('backend-status');

/** @param {{label: string, threads: number, crossOriginIsolated: boolean}} backend */
export function showBackend({ label, threads, crossOriginIsolated }) {
  const threading = crossOriginIsolated
    ? `${threads} thread${threads === 1 ? '' : 's'}`
    : '1 thread (page not cross-origin isolated)';
  element().textContent = `Backend: ${label} · ${threading}`;
}

export function showBackendError(message) {
  element().textContent = `Backend unavailable: ${message}`;
}
