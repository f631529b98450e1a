export { clientOperation, clientOperationNames } from '../../scripts/lib/client-operations';
