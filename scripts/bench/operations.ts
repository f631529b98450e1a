export { clientOperation, CLIENTS_DIR } from '../lib/client-operations';
