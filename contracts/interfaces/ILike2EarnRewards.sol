// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { IRewardsBase } from "./IRewardsBase.sol";
import { IEventBounties } from "./IEventBounties.sol";
import { IChannelPools } from "./IChannelPools.sol";
import {
    CampaignKind,
    ChannelClaim,
    EventClaim,
    SignedChannelClaim,
    SignedEventClaim,
    SkipReason
} from "../types/DataTypes.sol";

/// @title ILike2EarnRewards
/// @notice The deployed rewards contract: event bounties and channel pools, batch claims across both, and
/// claims signed by the account (EIP-712) that anyone may submit for a fee.
/// @dev Hostile receivers: every payout forwards a bounded amount of gas (ETH_PAYOUT_GAS = 50,000 to an ETH
/// receiver, TOKEN_PAYOUT_GAS = 100,000 to a token; see the Funds library) and copies at most 32 bytes of
/// return data, so in a batch a receiver that reverts or burns its gas is skipped at the cost of its allowance.
///
/// Signed claims. EIP-712 domain {name: "Like2EarnRewards", version: "1", chainId, verifyingContract: this},
/// so a signature is bound to one chain and one deployment; the campaign id in the message binds the campaign.
/// Types:
/// `EventClaim(uint256 eventId,uint256 index,address account,uint256 amount,address recipient,uint256 maxFee,uint256 deadline)`,
/// `ChannelClaim(uint256 channelId,uint64 epoch,address account,uint256 cumulativeScore,address recipient,uint256 maxFee,uint256 deadline)`.
/// The signature is checked with OpenZeppelin SignatureChecker (ECDSA, or EIP-1271 when the account is a
/// contract). The submitter (msg.sender) gets `fee` ≤ maxFee out of the payout and `recipient` the rest.
/// Replay: an event leaf pays once (bitmap), so its signature can be used once. A channel signature names the
/// epoch, and is accepted only while that epoch's root is the claimable one; within it, it can be submitted
/// again after a partial payout (the pool ran short), but a fee is only taken by the submission that converts
/// everything still owed (a partial payout takes none), and after that nothing is owed for that signature's
/// score: so the fees taken under one signature never exceed its maxFee.
interface ILike2EarnRewards is IRewardsBase, IEventBounties, IChannelPools {
    /// @notice Emitted by a batch for an item it skipped (already claimed, nothing owed, pool empty, or the
    /// receiver rejected the payment or ran out of its gas allowance), so a batch never reverts because of one
    /// item. `account` is the leaf's account, whose leaf was proven (channel items: the caller).
    event BatchItemSkipped(CampaignKind kind, uint256 indexed campaignId, address indexed account, SkipReason reason);

    /// @notice Claims several event leaves (for any accounts) and the caller's channel scores at once.
    /// @dev An item already claimed, with nothing owed, with an empty pool, or whose receiver rejects the
    /// payment or runs out of gas is skipped (see {BatchItemSkipped}) instead of reverting, so nobody can
    /// front-run one item to sink a batch. An invalid proof, a paused contract, a root not live or a claim for
    /// address(0) still revert.
    /// @return paidEvents Number of event items paid. @return paidChannels Number of channel items paid.
    function batchClaim(
        EventClaim[] calldata eventClaims,
        ChannelClaim[] calldata channelClaims
    ) external returns (uint256 paidEvents, uint256 paidChannels);

    /// @notice Submits an event claim signed by its account: `claim.amount − fee` to `claim.recipient`, `fee`
    /// to the caller.
    /// @dev Requirements: as {claimEvent}; block.timestamp ≤ deadline; recipient != 0; fee ≤ maxFee and
    /// fee ≤ amount; a valid signature of `claim` by `claim.account`. Emits {EventClaimed} and, when fee > 0,
    /// {ClaimRelayed}.
    function claimEventBySig(
        SignedEventClaim calldata claim,
        bytes32[] calldata proof,
        uint256 fee,
        bytes calldata signature
    ) external;

    /// @notice Submits a channel claim signed by its account: the payout minus `fee` to `claim.recipient`,
    /// `fee` to the caller (only when the claim converts everything owed; no fee on a partial payout).
    /// @dev Requirements: as {claimChannel} for `claim.account`; `claim.epoch` is the claimable root's epoch;
    /// block.timestamp ≤ deadline; recipient != 0; fee ≤ maxFee and fee ≤ payout; a valid signature.
    /// Emits {ChannelClaimed} and, when a fee was taken, {ClaimRelayed}.
    function claimChannelBySig(
        SignedChannelClaim calldata claim,
        bytes32[] calldata proof,
        uint256 fee,
        bytes calldata signature
    ) external;
}
