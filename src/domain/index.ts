/** The domain's public surface: pure rules and types (no I/O). */
export * from './types';
export * from './reasons';
export {
  decide,
  decideWithoutExact,
  decideWithExact,
  stopsBeforeChannel,
  sourceName,
  type FirstStage,
  type InputBeforeExact,
} from './decide';
export * from './lifecycle';
export * from './sweepRules';
export * from './evidence';
export {
  chooseChannel,
  resolveMethod,
  methodName,
  AUTOMATIC_CHAIN,
  type ChannelChoice,
  type MethodName,
} from './channel';
export { isValidEmail, parseEmailList, isValidPeppolId, textOrNull, type EmailList } from './addresses';
export {
  DEFAULT_TIME_ZONE,
  SEND_TIME_OF_DAY,
  isValidTimeZone,
  effectiveTimeZone,
  wallTimeAt,
  zoneOffsetMs,
  zonedWallTimeToInstant,
  parseDateOnly,
  invoiceDateSendInstant,
  formatWallTime,
  type WallTime,
} from './timing';
export {
  LICENCE_ISSUER,
  LICENCE_ALGORITHM,
  LICENCE_FEATURES,
  LICENCE_CLOCK_TOLERANCE_SECONDS,
  LICENCE_NOTICE_DAYS,
  featureForSource,
  normaliseOrganizationId,
  verifyLicence,
  licenceCovers,
  licenceExpiryNotice,
  type LicenceExpiryNotice,
} from './licence';
export { explain, explainLicenceExpiry, languageFromCode, channelWord } from './messages';
export { exactEmailRecipient, asExactHasIt, asMirrored, type RecipientInputs } from './receiver';
export { decideCopy, type CopyDecision } from './copy';
export { forecastOf, FORECAST_WIDTH } from './forecast';
export {
  emailRouteOf,
  reviewOf,
  dynamicsRecipients,
  withInvoiceNumber,
  mailboxOf,
  type DynamicsRecipients,
} from './dynamicsMail';
