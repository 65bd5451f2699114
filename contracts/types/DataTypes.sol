// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice A root posted for a campaign. Storage is packed so a claim reads the root and its timing
/// in two slots.
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
/// @param claimWindow Seconds during which claims stay open once a root has become claimable.
/// @param publishDeadline Unix timestamp (end + the deployment's publish deadline, fixed at creation):
/// if no root is live by then the brand may take a full refund.
/// @param funded Token wei received (creation + top-ups).
/// @param total Token wei the live root declares (≤ funded); 0 while no root is live.
/// @param claimed Token wei paid out to claimants.
/// @param recipientCount Number of leaves the live root declares.
/// @param settled True once the brand took a refund or withdrew the unclaimed rest: the event is over.
struct EventBounty {
    address brand;
    address token;
    uint40 start;
    uint40 end;
    uint40 claimWindow;
    uint40 publishDeadline;
    uint128 funded;
    uint128 total;
    uint128 claimed;
    uint64 recipientCount;
    bool settled;
}

/// @notice A perpetual channel pool converting cumulative score to tokens at a brand-set rate.
/// @param brand Who created the channel; may top up, change the rate, veto roots, close it.
/// @param token Reward token; address(0) means native ETH.
/// @param rate Token wei paid per 1e18 score units (score is 18-decimal fixed point).
/// @param pendingRate The announced next rate; 0 when no change is pending.
/// @param rateEffectiveAt Unix timestamp from which `pendingRate` applies.
/// @param closesAt Unix timestamp at which the channel closes (0 while open); claims stay open until then.
/// @param balance Token wei the channel holds for claims (funded − paid − withdrawn).
/// @param lastEpoch Highest epoch ever posted (vetoed epochs included: an epoch number is never reused).
/// @param withdrawn True once the brand withdrew the rest after closing.
struct ChannelPool {
    address brand;
    address token;
    uint128 rate;
    uint128 pendingRate;
    uint40 rateEffectiveAt;
    uint40 closesAt;
    uint128 balance;
    uint64 lastEpoch;
    bool withdrawn;
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
