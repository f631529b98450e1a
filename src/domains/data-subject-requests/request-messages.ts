import { dutchDate } from '../notifications/messages';
import { SUPERVISORY_AUTHORITY } from '../../privacy/policy/processing';
import { DataSubjectRequestKind } from './data-subject-request.entity';

const REQUEST_NAMES: Record<DataSubjectRequestKind, string> = {
  [DataSubjectRequestKind.ACCESS]: 'inzage in uw gegevens',
  [DataSubjectRequestKind.RECTIFICATION]: 'correctie van uw gegevens',
  [DataSubjectRequestKind.ERASURE]: 'verwijdering van uw gegevens',
  [DataSubjectRequestKind.RESTRICTION]: 'beperking van de verwerking van uw gegevens',
  [DataSubjectRequestKind.OBJECTION]: 'bezwaar tegen de verwerking van uw gegevens',
};

export function requestResolvedMessage(kind: DataSubjectRequestKind, receivedAt: Date): string {
  return `Uw verzoek om ${REQUEST_NAMES[kind]} van ${dutchDate(receivedAt)} is afgehandeld. De uitkomst staat in MijnMijande.`;
}

/** Art. 12(4): the refusal, its reason and where to complain. */
export function requestRefusedMessage(kind: DataSubjectRequestKind, receivedAt: Date, reason: string): string {
  return `Uw verzoek om ${REQUEST_NAMES[kind]} van ${dutchDate(receivedAt)} is afgewezen. Reden: ${reason} ${SUPERVISORY_AUTHORITY.nl}`;
}

/** An erasure held back by a lease, completed by the retention job once the last lease ended. */
export function erasureCompletedMessage(receivedAt: Date): string {
  return `Uw verzoek om ${REQUEST_NAMES[DataSubjectRequestKind.ERASURE]} van ${dutchDate(receivedAt)} is nu volledig uitgevoerd: uw huurcontract is beëindigd en uw gegevens zijn geanonimiseerd.`;
}
