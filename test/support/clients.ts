export { clientOperation, clientOperationNames, clientFiles, CLIENTS_DIR } from '../../scripts/lib/client-operations';
