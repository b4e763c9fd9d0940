// The confirmation dialog moved to the app's primitives (Headless UI); this path stays for screens that import it here.
export { ConfirmDialog } from '../../app/primitives.tsx';
