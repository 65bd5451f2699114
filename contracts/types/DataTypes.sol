// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Why a batch item (or a signed claim) was skipped instead of paid; see
/// {ILike2EarnRewards-BatchItemSkipped}. The numbering is part of the interface: new reasons are appended.
enum SkipReason {
    NothingOwed, // 0: event leaf already claimed or zero; channel score already converted (or worth < 1 wei)
    PoolEmpty, // 1: the root's remaining total (event) or the pool (channel) cannot pay it
    PaymentRejected, // 2: the receiver (or the token) reverted or returned false
    PaymentOutOfGas, // 3: the receiver (or the token) used all the gas a payout may forward
    None // internal: the item was paid (never emitted)
}

/// @notice Which kind of campaign a batch item or a relayed claim is for.
enum CampaignKind {
    Event, // 0
    Channel // 1
}

/// @notice The timing parameters the admin sets, as named in {IRewardsBase-RewardsBase_ParameterOutOfRange}.
enum Parameter {
    ChallengePeriod, // 0
    PublishDeadline, // 1
    RateChangeNotice, // 2
    CloseNotice, // 3
    MinClaimWindow // 4
}

/// @notice The deployment's timing parameters (seconds). Each campaign copies the ones it needs when it is
/// created; a later {IRewardsBase-setParameters} only applies to campaigns created after it.
/// @param challengePeriod Posting a root → claimable (0 allowed for local demos).
/// @param publishDeadline An event's end → the time by which a root must be live, else the brand may refund.
/// @param rateChangeNotice A channel rate announcement → the new rate applies (≥ challengePeriod).
/// @param closeNotice A channel close announcement → the close.
/// @param minClaimWindow Least claim window an event may be created with.
struct Parameters {
    uint40 challengePeriod;
    uint40 publishDeadline;
    uint40 rateChangeNotice;
    uint40 closeNotice;
    uint40 minClaimWindow;
}

/// @notice A root posted for a campaign.
/// @param root The Merkle root (OpenZeppelin standard leaves: double keccak of the abi-encoded leaf).
/// @param claimableAt Unix timestamp at which the challenge period ends and claims open.
/// @param vetoed True once the brand or a guardian vetoed the root during its challenge period.
struct PostedRoot {
    bytes32 root;
    uint40 claimableAt;
    bool vetoed;
}

/// @notice An event bounty: a pot shared pro rata by social score once the event has ended.
/// @param brand Who created the event; may top up, veto its roots, take refunds and withdraw leftovers.
/// @param token Reward token; address(0) means native ETH.
/// @param start Unix timestamp, start of the scored period.
/// @param end Unix timestamp, end of the scored period; roots may only be posted at or after it.
/// @param claimWindow Seconds during which claims stay open once a root has become claimable (plus any time
/// claims spend paused after the root was posted).
/// @param rootDeadline Unix timestamp (end + the publish deadline the event was created under): if no root
/// is live by then the brand may take a full refund.
/// @param funded Token wei received (creation + top-ups).
/// @param total Token wei the live root declares (≤ funded); 0 while no root is live.
/// @param claimed Token wei paid out to claimants.
/// @param recipientCount Number of leaves the live root declares.
/// @param settled True once the brand took a refund or withdrew the unclaimed rest: the event is over.
/// @param challengePeriod Seconds, the challenge period the event was created under.
/// @param claimsCloseAt Unix timestamp at which the live root's claim window closes, as it stands now (it moves
/// later while claims are paused); 0 while no root is live.
struct EventBounty {
    address brand;
    address token;
    uint40 start;
    uint40 end;
    uint40 claimWindow;
    uint40 rootDeadline;
    uint128 funded;
    uint128 total;
    uint128 claimed;
    uint64 recipientCount;
    bool settled;
    uint40 challengePeriod;
    uint256 claimsCloseAt;
}

/// @notice A perpetual channel pool converting cumulative score to tokens at a brand-set rate.
/// @param brand Who created the channel; may top up, change the rate, veto roots, close it.
/// @param token Reward token; address(0) means native ETH.
/// @param rate Token wei paid per 1e18 score units (score is 18-decimal fixed point).
/// @param pendingRate The announced next rate; 0 when no change is pending.
/// @param rateEffectiveAt Unix timestamp from which `pendingRate` applies, as it stands now (it moves later
/// while claims are paused).
/// @param closesAt Unix timestamp at which the channel closes (0 while open), as it stands now (it moves
/// later while claims are paused); claims stay open until then.
/// @param balance Token wei the channel holds for claims (funded − paid − withdrawn).
/// @param lastEpoch The last posted epoch that was not vetoed (the next root must be lastEpoch + 1).
/// @param withdrawn True once the brand withdrew the rest after closing.
/// @param challengePeriod Seconds, the challenge period the channel was created under.
/// @param rateChangeNotice Seconds, the rate-change notice the channel was created under.
/// @param closeNotice Seconds, the close notice the channel was created under.
struct ChannelPool {
    address brand;
    address token;
    uint128 rate;
    uint128 pendingRate;
    uint256 rateEffectiveAt;
    uint256 closesAt;
    uint128 balance;
    uint64 lastEpoch;
    bool withdrawn;
    uint40 challengePeriod;
    uint40 rateChangeNotice;
    uint40 closeNotice;
}

/// @notice One item of a batch claim on an event.
struct EventClaim {
    uint256 eventId;
    uint256 index;
    address account;
    uint256 amount;
    bytes32[] proof;
}

/// @notice One item of a batch claim on a channel (always for msg.sender).
struct ChannelClaim {
    uint256 channelId;
    uint256 cumulativeScore;
    bytes32[] proof;
}

/// @notice An event claim signed by the leaf's account (EIP-712 primary type `EventClaim`): anyone may
/// submit it; `recipient` gets the amount minus the submitter's fee (≤ maxFee). Refused after `deadline`.
struct SignedEventClaim {
    uint256 eventId;
    uint256 index;
    address account;
    uint256 amount;
    address recipient;
    uint256 maxFee;
    uint256 deadline;
}

/// @notice A channel claim signed by the leaf's account (EIP-712 primary type `ChannelClaim`), bound to the
/// live `epoch`: anyone may submit it while that epoch's root is the live one.
struct SignedChannelClaim {
    uint256 channelId;
    uint64 epoch;
    address account;
    uint256 cumulativeScore;
    address recipient;
    uint256 maxFee;
    uint256 deadline;
}
