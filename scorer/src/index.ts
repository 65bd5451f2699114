/** Public API of the Like2Earn scorer. */
export { ScorerError, InputError, ScoreDecreasedError, ChainError, ManifestError, InvariantError } from "./errors";
export { WAD, parseWad, formatWad, formatWadFixed, mulDiv } from "./fixed";
export {
  parseConfig,
  parseConfigText,
  configToJson,
  LIKE2EARN_DEFAULTS,
  SOCIAL_AI_DEFAULTS,
  DEFAULT_LAMBDA,
  type CampaignConfig,
  type Like2EarnParams,
  type SocialAiParams,
} from "./config";
export {
  ENGAGEMENT_TYPES,
  EngagementTableBuilder,
  engagementTable,
  type Engagement,
  type EngagementTable,
  type EngagementType,
} from "./engagements";
export { ingestEngagements, ingestFile } from "./ingest";
export { readParticipants, validateParticipants, type Participant } from "./ingest/participants";
export { chainDataFromMaps, chainDataFromJson, chainDataToJson, type ChainData, type AccountChainData } from "./chain-data";
export { readChainData, powerAt, POWER_STAKING_ABI, type ChainReader } from "./onchain";
export { v0Wad, kUserForAssets } from "./model-a";
export { interactionWeight, decayFactor, expNegWad } from "./model-b";
export { score, scoreEngagements, type ScoreResult, type AccountScore } from "./score";
export { allocateEvent, allocateChannel, checkCumulative, type Allocation } from "./allocate";
export * from "./format";
export { runScore, computeCampaign, loadInputs, type RunScoreOptions, type TreeBackend } from "./run";
export { verifyManifest, type VerifyResult } from "./verify";
export { runCollect, type CollectOptions, type CollectResult } from "./collect/collect";
export { XClient, paginate, XApiError, PaginationLoopError, type XClientOptions } from "./collect/x-client";
