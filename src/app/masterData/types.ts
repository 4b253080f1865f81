import type { ExactMasterData } from './ports';
import type { MasterDataRecords } from './records';

/** What the sync use cases are given: Exact's master data, the Dataverse mirror, and how new row ids are made. */
export interface MasterDataPorts {
  exact: ExactMasterData;
  records: MasterDataRecords;
  newId: () => string;
}
