// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { IRewardsBase } from "./IRewardsBase.sol";
import { IEventBounties } from "./IEventBounties.sol";
import { IChannelPools } from "./IChannelPools.sol";
import { EventClaim, ChannelClaim } from "../types/DataTypes.sol";

/// @title ILike2EarnRewards
/// @notice The deployed rewards contract: event bounties and channel pools, plus batch claims across both.
interface ILike2EarnRewards is IRewardsBase, IEventBounties, IChannelPools {
    /// @notice Emitted by a batch for an item it skipped (already claimed, nothing owed, pool empty, or the
    /// receiver rejected the payment), so a batch never reverts because of one item.
    /// @param kind 0 = event, 1 = channel.
    /// @param reason 0 = already claimed / nothing owed, 1 = pool empty, 2 = payment rejected by receiver.
    event BatchItemSkipped(uint8 kind, uint256 indexed campaignId, address indexed account, uint8 reason);

    /// @notice Claims several event leaves (for any accounts) and the caller's channel scores at once.
    /// @dev An item already claimed, with nothing owed, with an empty pool, or whose receiver rejects the
    /// payment is skipped (see {BatchItemSkipped}) instead of reverting, so nobody can front-run one item
    /// to sink a batch. An invalid proof, a paused contract or a root not live still revert.
    /// @return paidEvents Number of event items paid. @return paidChannels Number of channel items paid.
    function batchClaim(
        EventClaim[] calldata eventClaims,
        ChannelClaim[] calldata channelClaims
    ) external returns (uint256 paidEvents, uint256 paidChannels);
}
