export { clientOperation, clientOperationNames, clientFiles, CLIENTS_DIR, CLIENTS_COPY_DIR, SHARED_CLIENTS_DIR } from '../../scripts/lib/client-operations';
