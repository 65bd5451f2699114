// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { ILike2EarnRewards } from "./interfaces/ILike2EarnRewards.sol";
import { EventClaim, ChannelClaim } from "./types/DataTypes.sol";
import { ChannelPools } from "./abstracts/ChannelPools.sol";
import { EventBounties } from "./abstracts/EventBounties.sol";
import { RewardsBase } from "./abstracts/RewardsBase.sol";

/// @title Like2EarnRewards
/// @notice Event bounties and channel pools in one deployment, each campaign with its own ledger, plus
/// batch claims across both. See {ILike2EarnRewards}.
contract Like2EarnRewards is ILike2EarnRewards, EventBounties, ChannelPools {
    /*//////////////////////////////////////////////////////////////////////////
                                    CONSTRUCTOR
    //////////////////////////////////////////////////////////////////////////*/

    /// @param admin Receives DEFAULT_ADMIN_ROLE (sets parameters, grants roles).
    /// @param publisher Receives PUBLISHER_ROLE (posts roots).
    /// @param guardian Receives GUARDIAN_ROLE (vetoes roots, pauses claims).
    /// @param challengePeriod_ Seconds from posting a root to claims opening (0 allowed for local demos).
    /// @param publishDeadline_ Seconds after an event's end by which a root must be live, else refund.
    /// @param rateChangeNotice_ Seconds from a rate announcement to the new rate applying.
    /// @param closeNotice_ Seconds from a close announcement to the close.
    constructor(
        address admin,
        address publisher,
        address guardian,
        uint40 challengePeriod_,
        uint40 publishDeadline_,
        uint40 rateChangeNotice_,
        uint40 closeNotice_
    )
        RewardsBase(
            admin,
            publisher,
            guardian,
            challengePeriod_,
            publishDeadline_,
            rateChangeNotice_,
            closeNotice_
        )
    {}

    /*//////////////////////////////////////////////////////////////////////////
                             USER-FACING STATE-CHANGING
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILike2EarnRewards
    function batchClaim(
        EventClaim[] calldata eventClaims,
        ChannelClaim[] calldata channelClaims
    ) external override nonReentrant returns (uint256 paidEvents, uint256 paidChannels) {
        // Check
        _requireClaimsNotPaused();

        // Effects and interactions, item by item (each item follows check-effect-interaction on its own).
        for (uint256 i = 0; i < eventClaims.length; ++i) {
            EventClaim calldata item = eventClaims[i];
            uint8 skipReason = _claimEvent(
                item.eventId,
                item.index,
                item.account,
                item.amount,
                item.account,
                item.proof,
                false
            );
            if (skipReason == SKIP_NONE) ++paidEvents;
            else emit BatchItemSkipped(0, item.eventId, item.account, skipReason);
        }
        for (uint256 i = 0; i < channelClaims.length; ++i) {
            ChannelClaim calldata item = channelClaims[i];
            uint8 skipReason = _claimChannel(
                item.channelId,
                msg.sender,
                item.cumulativeScore,
                msg.sender,
                item.proof,
                false
            );
            if (skipReason == SKIP_NONE) ++paidChannels;
            else emit BatchItemSkipped(1, item.channelId, msg.sender, skipReason);
        }
    }
}
